package dev.enphaseetl.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.GatewaySource;
import dev.enphaseetl.gateway.GatewayTarget;

/**
 * Runs the built-in gateway simulator inside the application when no gateway is configured, so that the pipeline
 * works out of the box. Its certificate is new on every start, so its fingerprint is pinned explicitly.
 */
@ApplicationScoped
public class EmbeddedSimulator implements GatewaySource {

    private final EnphaseConfig config;
    private GatewaySimulator simulator;

    @Inject
    public EmbeddedSimulator(EnphaseConfig config) {
        this.config = config;
    }

    /** {@code enphase.simulator.enabled}: {@code true}, or {@code auto} when no gateway is configured. */
    @Override
    public boolean active(boolean noneConfigured) {
        String mode = config.simulator().enabled();
        return "true".equalsIgnoreCase(mode) || ("auto".equalsIgnoreCase(mode) && noneConfigured);
    }

    @Override
    public String description() {
        return "the built-in simulator";
    }

    @Override
    public synchronized List<GatewayTarget> start() {
        if (simulator == null) {
            EnphaseConfig.Simulator c = config.simulator();
            SimulatorConfig.Builder b = SimulatorConfig.builder().httpPort(-1).httpsPort(c.httpsPort())
                    .gatewayCount(c.gateways()).seed(c.seed());
            c.captures().ifPresent(dir -> b.captureDir(Path.of(dir)));
            if (c.clockStart().isPresent() || c.speed() != 1) {
                if (!(c.speed() > 0)) {
                    throw new IllegalArgumentException("enphase.simulator.speed must be positive, not " + c.speed());
                }
                b.clock(SimClocks.accelerated(c.clockStart().orElse(Instant.now()), c.speed()));
            }
            simulator = new GatewaySimulator(b.build());
            simulator.start();
        }
        List<GatewayTarget> targets = new ArrayList<>();
        for (int i = 0; i < simulator.gateways().size(); i++) {
            VirtualGateway g = simulator.gateway(i);
            targets.add(new GatewayTarget(g.serial(), URI.create(simulator.baseUrl(i, true)),
                    SimulatorConfig.DEV_TOKEN, Map.of(), simulator.certificateSha256()));
        }
        return targets;
    }

    /** The running simulator (to set fault knobs in tests), if started. */
    public synchronized Optional<GatewaySimulator> simulator() {
        return Optional.ofNullable(simulator);
    }

    @Override
    public synchronized void stop() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }
}
