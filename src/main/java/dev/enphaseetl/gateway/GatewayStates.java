package dev.enphaseetl.gateway;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.enphaseetl.parse.GatewayState;

/** What the pipeline knows about each gateway (serial, firmware, meters), by gateway id. */
@ApplicationScoped
public class GatewayStates {

    private final Map<String, GatewayState> states = new ConcurrentHashMap<>();

    public GatewayState of(String gatewayId) {
        return states.computeIfAbsent(gatewayId, id -> new GatewayState());
    }

    public Optional<String> serial(String gatewayId) {
        GatewayState s = states.get(gatewayId);
        return s == null ? Optional.empty() : s.serial();
    }
}
