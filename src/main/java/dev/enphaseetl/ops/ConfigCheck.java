package dev.enphaseetl.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.parse.Endpoint;

/**
 * Refuses to start on configuration keys that look right but mean nothing, naming the key: unknown keys under
 * {@code enphase.} are already refused by the config mapping; this adds unknown endpoint ids under
 * {@code enphase.poll.}.
 */
@Singleton
public class ConfigCheck {

    void onStart(@Observes StartupEvent event, EnphaseConfig config, GatewayRegistry registry) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Configuration error: " + String.join("; ", problems));
        }
        // load the gateways now, so that a bad token or account setting stops the start, naming the key
        registry.gateways();
    }

    public static List<String> problems(EnphaseConfig config) {
        List<String> problems = new ArrayList<>();
        for (String id : config.poll().endpoints().keySet()) {
            if (Endpoint.byId(id).isEmpty()) {
                problems.add("enphase.poll." + id + " names no endpoint; known endpoints: "
                        + String.join(", ", Arrays.stream(Endpoint.values()).map(Endpoint::id).toList()));
            }
        }
        return problems;
    }
}
