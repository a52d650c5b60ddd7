package dev.enphaseetl.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.enphaseetl.auth.GatewayTokens;
import dev.enphaseetl.auth.NotAJwtException;
import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.model.GatewayIdentity;

/**
 * The gateways this process polls, from configuration, plus those of every active {@link GatewaySource}: with none
 * configured (and {@code enphase.simulator.enabled} left at {@code auto}) the built-in simulator is started and its
 * virtual gateways are polled instead.
 */
@ApplicationScoped
public class GatewayRegistry {

    private static final Logger LOG = Logger.getLogger(GatewayRegistry.class);

    private final EnphaseConfig config;
    private final Instance<GatewaySource> sources;
    private final GatewayTokens tokens;
    private volatile List<GatewayTarget> gateways;

    @Inject
    public GatewayRegistry(EnphaseConfig config, Instance<GatewaySource> sources, GatewayTokens tokens) {
        this.config = config;
        this.sources = sources;
        this.tokens = tokens;
    }

    public List<GatewayTarget> gateways() {
        List<GatewayTarget> g = gateways;
        if (g == null) {
            synchronized (this) {
                if (gateways == null) {
                    gateways = load();
                }
                g = gateways;
            }
        }
        return g;
    }

    private List<GatewayTarget> load() {
        if (config.role() == EnphaseConfig.Role.CENTRAL) {
            LOG.info("enphase.role is central: no gateway is polled (readings come from Kafka, docs/kafka.md)");
            return List.of();
        }
        List<GatewayTarget> result = new ArrayList<>();
        List<EnphaseConfig.Gateway> configured = config.gateways().orElse(List.of());
        for (int i = 0; i < configured.size(); i++) {
            EnphaseConfig.Gateway gw = configured.get(i);
            result.add(register(gw, "enphase.gateways[" + i + "]"));
        }
        int fromConfig = result.size();
        if (config.gatewaysFile().isPresent()) {
            Path file = Path.of(config.gatewaysFile().get());
            java.util.Set<String> ids = new java.util.HashSet<>();
            result.forEach(t -> ids.add(t.id()));
            for (GatewayList.Entry e : GatewayList.read(file)) {
                GatewayTarget t = register(e.gateway(), "enphase.gateways-file " + file + " line " + e.line()
                        + ", key ");
                if (!ids.add(t.id())) {
                    throw new IllegalArgumentException("enphase.gateways-file " + file + " line " + e.line()
                            + ": gateway " + t.id() + " is configured in enphase.gateways too: keep one");
                }
                result.add(t);
            }
        }
        if (!result.isEmpty()) {
            long legacy = result.stream().filter(t -> "http".equals(t.baseUrl().getScheme())).count();
            long withToken = result.stream().filter(t -> t.hasToken() || tokens.manager().hasSource(t.id())).count();
            LOG.infof("Polling %d gateway(s): %d from enphase.gateways%s; %d with a token, %d over plain HTTP",
                    result.size(), fromConfig, config.gatewaysFile()
                            .map(f -> ", " + (result.size() - fromConfig) + " from " + f).orElse(""),
                    withToken, legacy);
        }
        boolean noneConfigured = result.isEmpty();
        for (GatewaySource source : sources) {
            if (!source.active(noneConfigured)) {
                continue;
            }
            List<GatewayTarget> provided = source.start();
            for (GatewayTarget t : provided) {
                try {
                    tokens.registerStatic(t.id(), t.token(), source.description());
                } catch (NotAJwtException e) {
                    throw new IllegalStateException("the token of " + source.description() + " is not a JWT", e);
                }
            }
            LOG.infof("No gateway configured: polling %d simulated gateway(s) of %s at %s", provided.size(),
                    source.description(), provided.isEmpty() ? "-" : provided.get(0).baseUrl());
            result.addAll(provided);
        }
        if (result.isEmpty()) {
            LOG.warn("No gateway configured and the simulator is off: nothing to poll. Set enphase.gateways[0].host.");
        }
        return List.copyOf(result);
    }

    private GatewayTarget register(EnphaseConfig.Gateway gw, String origin) {
        GatewayTarget target = fromConfig(gw);
        try {
            tokens.register(target.id(), gw, origin);
        } catch (NotAJwtException e) {
            throw new IllegalArgumentException(origin + ".token of gateway " + target.id() + ": " + e.getMessage());
        }
        return target;
    }

    /** A configured gateway as the pipeline polls it (its id: the configured name, else host[:port]). */
    public static GatewayTarget fromConfig(EnphaseConfig.Gateway gw) {
        String host = gw.host().trim();
        URI base = URI.create(host.contains("://") ? host : "https://" + host);
        String id = gw.name().orElse(base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : ""));
        return new GatewayTarget(id, base, gw.token().orElse(null),
                GatewayIdentity.readingTags(gw.name().orElse(null), gw.tags()),
                gw.certificateSha256().orElse(null), gw.username().orElse(null), gw.password().orElse(null),
                gw.serial().map(String::strip).filter(v -> !v.isEmpty()).orElse(null));
    }

    @PreDestroy
    void stop() {
        for (GatewaySource source : sources) {
            source.stop();
        }
    }
}
