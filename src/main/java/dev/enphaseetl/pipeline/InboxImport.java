package dev.enphaseetl.pipeline;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.jboss.logging.Logger;

import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayStates;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.model.GatewayIdentity;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.Converter;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.parse.GatewayState;
import dev.enphaseetl.parse.NotDataException;
import dev.enphaseetl.parse.PayloadException;
import dev.enphaseetl.parse.PayloadParser;

/**
 * The inbox ({@code <data-dir>/inbox/<gateway>/...}): gateway payloads dropped there go through the same parser as
 * polls. It imports archived captures ({@code inbox/<gateway>/production.json_details_1}, named as in a capture folder)
 * and replays dead-lettered poll payloads ({@code mv dead-letter/poll/<gateway>/<endpoint> inbox/<gateway>/}).
 * A folder named as a configured gateway shares its state, configured serial and tags. The gateway tag is the serial
 * (from an /info file or polling, else the configured one); a data file of a gateway whose serial is not known is
 * refused (kept in {@code .failed/}) rather than written under the folder name.
 */
@ApplicationScoped
@Named("inboxImport")
public class InboxImport {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.inbox");
    /** Files that describe a payload rather than being one: capture logs and dead-letter metadata. */
    private static final Pattern META = Pattern.compile(".*_log\\.json|\\d{8}T\\d{6}\\.\\d{3}Z-\\d+\\.json|_readme");

    private final PayloadParser parser;
    private final GatewayStates states;
    private final GatewayRegistry registry;

    @Inject
    public InboxImport(PayloadParser parser, GatewayStates states, GatewayRegistry registry) {
        this.parser = parser;
        this.states = states;
        this.registry = registry;
    }

    /**
     * Route step: the file's readings; empty for metadata files and for payloads that are not data. A file that
     * names no gateway or no endpoint is refused (kept in {@code .failed/} with a WARN line), never dropped.
     */
    public List<Reading> read(Exchange exchange) throws PayloadException {
        String relative = exchange.getIn().getHeader(Exchange.FILE_NAME, String.class);
        Path path = Path.of(relative);
        if (META.matcher(path.getFileName().toString()).matches()) {
            return List.of();
        }
        if (path.getNameCount() < 2) {
            throw new PayloadException("inbox file " + relative + " is not in a gateway folder: move it to"
                    + " inbox/<gateway>/ (the folder name is the gateway tag)");
        }
        String gateway = path.getName(0).toString();
        Endpoint endpoint = endpointOf(path).orElseThrow(() -> new PayloadException("inbox file " + relative
                + " names no endpoint: use a capture name (production.json_details_1, ivp_meters_readings, ...) or"
                + " an endpoint id folder (ivp-meters-readings/...)"));
        String body = exchange.getIn().getBody(String.class);
        Optional<GatewayTarget> configured = registry.gateways().stream().filter(g -> g.id().equals(gateway))
                .findFirst();
        GatewayState state = states.of(gateway);
        try {
            Optional<String> serial = state.serial().or(() -> configured.map(GatewayTarget::serial));
            if (serial.isEmpty() && endpoint != Endpoint.INFO) {
                throw new PayloadException("inbox file " + relative + ": the serial of gateway " + gateway
                        + " is not known (the gateway tag is always the serial): put its /info capture (file info)"
                        + " into the folder with it, or let the gateway named " + gateway + " answer /info, or set"
                        + " its enphase.gateways[n].serial; then move the file back from .failed/");
            }
            List<Reading> readings = parser.parse(serial.orElse(gateway), endpoint, 200, body, state);
            readings = GatewayIdentity.withTags(readings, configured.map(GatewayTarget::tags).orElse(Map.of()));
            LOG.infof("Inbox: %s gave %d readings", relative, readings.size());
            return readings;
        } catch (NotDataException e) {
            LOG.infof("Inbox: %s is not data (%s)", relative, e.getMessage());
            return List.of();
        }
    }

    /** The endpoint a file stands for: by its capture name, or by an endpoint-id folder above it. */
    static Optional<Endpoint> endpointOf(Path relative) {
        String name = relative.getFileName().toString();
        for (Endpoint e : Endpoint.values()) {
            if (e.captureName().equals(name) || e.id().equals(name)) {
                return Optional.of(e);
            }
        }
        if (name.equals("production.json") || name.equals("production.json_details_1")) {
            return Optional.of(Endpoint.PRODUCTION_JSON);
        }
        for (int i = relative.getNameCount() - 2; i >= 1; i--) {
            Optional<Endpoint> e = Endpoint.byId(relative.getName(i).toString());
            if (e.isPresent()) {
                return e;
            }
        }
        return Optional.empty();
    }

    /** Orders inbox files like the convert command: identity and meter configuration first, then the rest by name. */
    @ApplicationScoped
    @Named("inboxOrder")
    public static class Order implements Comparator<GenericFile<?>> {
        @Override
        public int compare(GenericFile<?> a, GenericFile<?> b) {
            int c = Integer.compare(rank(a.getRelativeFilePath()), rank(b.getRelativeFilePath()));
            return c != 0 ? c : a.getRelativeFilePath().compareTo(b.getRelativeFilePath());
        }

        static int rank(String relative) {
            return endpointOf(Path.of(relative)).map(Converter.ORDER::indexOf).orElse(Integer.MAX_VALUE);
        }
    }
}
