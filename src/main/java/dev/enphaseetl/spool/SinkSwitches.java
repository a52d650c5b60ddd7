package dev.enphaseetl.spool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.file.FileEndpoint;

import dev.enphaseetl.config.EnphaseConfig;

/**
 * Which sinks get a copy of every poll's readings in their spool directory.
 * <p>
 * The routes decide: an instance of the route template {@code spool-to-sink} (its timer {@code timer:spool-<name>}),
 * or a route that consumes {@code <data-dir>/spool/<name>}, with {@code autoStartup} true makes {@code <name>} a sink. For the four built-in sinks, {@code enphase.sink.<name>.enabled} must also be on (files and
 * the SQL database by default; InfluxDB when {@code enphase.sink.influxdb.url} is set). Any other name is a sink
 * wired in YAML alone (an MQTT broker, a second InfluxDB, ...). Without a Camel context (tools, unit tests) the
 * configured built-in sinks are the list.
 */
@ApplicationScoped
public class SinkSwitches {

    /** The scan timer of a sink route (routes/30, template spool-to-sink), followed by the sink's name. */
    static final String SPOOL_TIMER = "timer://spool-";

    /** The built-in sinks, in delivery order. */
    public static final List<String> ALL = List.of("lineprotocol", "csv", "influxdb", "jdbc");

    private final List<String> configured;
    private final Instance<CamelContext> camel;
    private final Path spoolRoot;
    private volatile List<String> settled;

    @Inject
    public SinkSwitches(EnphaseConfig config, Instance<CamelContext> camel) {
        this.configured = configured(config);
        this.camel = camel;
        this.spoolRoot = Path.of(config.dataDir(), "spool");
    }

    private SinkSwitches(List<String> enabled) {
        this.configured = List.copyOf(enabled);
        this.camel = null;
        this.spoolRoot = null;
        this.settled = this.configured;
    }

    public static SinkSwitches of(List<String> enabled) {
        return new SinkSwitches(enabled);
    }

    static List<String> configured(EnphaseConfig config) {
        EnphaseConfig.Sink s = config.sink();
        List<String> on = new ArrayList<>();
        if (s.lineprotocol().enabled()) {
            on.add("lineprotocol");
        }
        if (s.csv().enabled()) {
            on.add("csv");
        }
        boolean influxUrl = s.influxdb().url().filter(u -> !u.isBlank()).isPresent();
        if (s.influxdb().enabled().orElse(influxUrl)) {
            on.add("influxdb");
        }
        if (s.jdbc().enabled()) {
            on.add("jdbc");
        }
        return List.copyOf(on);
    }

    /** The sinks that get spool entries, built-in ones first, then the YAML-wired ones by name. */
    public List<String> enabled() {
        List<String> s = settled;
        if (s != null) {
            return s;
        }
        if (camel == null || !camel.isResolvable()) {
            return configured;
        }
        CamelContext context = camel.get();
        List<Route> routes = context.getRoutes();
        if (routes.isEmpty()) {
            return configured; // Camel has not built its routes yet
        }
        List<String> result = combine(configured, consumedSpools(routes, spoolRoot));
        if (context.isStarted()) {
            settled = result;
        }
        return result;
    }

    public boolean isEnabled(String sink) {
        return enabled().contains(sink);
    }

    /** Whether a name is one of the built-in sinks (the others are wired in YAML alone). */
    public static boolean builtIn(String sink) {
        return ALL.contains(sink);
    }

    /** Spool directories that routes consume, by sink name: true when such a route starts with Camel. */
    static Map<String, Boolean> consumedSpools(List<Route> routes, Path spoolRoot) {
        Map<String, Boolean> out = new TreeMap<>();
        for (Route route : routes) {
            spoolName(route, spoolRoot).ifPresent(name -> out.merge(name,
                    !Boolean.FALSE.equals(route.isAutoStartup()), Boolean::logicalOr));
        }
        return out;
    }

    private static Optional<String> spoolName(Route route, Path spoolRoot) {
        // an instance of the spool-to-sink template: its scan timer is timer:spool-<name>
        String uri = route.getEndpoint() == null ? null : route.getEndpoint().getEndpointUri();
        if (uri != null && uri.startsWith(SPOOL_TIMER)) {
            String name = uri.substring(SPOOL_TIMER.length()).replaceFirst("\\?.*", "");
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        }
        if (!(route.getEndpoint() instanceof FileEndpoint file) || file.getFile() == null) {
            return Optional.empty();
        }
        Path dir = file.getFile().toPath().toAbsolutePath().normalize();
        Path root = spoolRoot.toAbsolutePath().normalize();
        return root.equals(dir.getParent()) ? Optional.of(dir.getFileName().toString()) : Optional.empty();
    }

    /**
     * Pure rule: a configured built-in sink stays when a starting route consumes its spool; any other consumed
     * spool (not built-in) whose route starts is added.
     */
    static List<String> combine(List<String> configured, Map<String, Boolean> consumed) {
        List<String> out = new ArrayList<>();
        for (String sink : configured) {
            if (Boolean.TRUE.equals(consumed.get(sink))) {
                out.add(sink);
            }
        }
        consumed.forEach((name, starts) -> {
            if (starts && !builtIn(name)) {
                out.add(name);
            }
        });
        return List.copyOf(out);
    }
}
