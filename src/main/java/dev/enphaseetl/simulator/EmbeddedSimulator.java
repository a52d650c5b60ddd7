package dev.enphaseetl.simulator;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.enphaseetl.gateway.GatewayTarget;

/** Starts the built-in gateway simulator inside the application when no gateway is configured. */
@ApplicationScoped
public class EmbeddedSimulator {

    public List<GatewayTarget> start() {
        return List.of();
    }

    public void stop() {
    }
}
