package dev.enphaseetl.health;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/** Whether each sink accepted its last delivery, for health checks and the status line. */
@ApplicationScoped
public class SinkStatus {

    /** The last outcome of a sink: when, whether it worked, and the error if not. */
    public record Outcome(Instant at, boolean ok, Optional<String> error, long delivered) {}

    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

    public void delivered(String sink, int readings) {
        outcomes.merge(sink, new Outcome(Instant.now(), true, Optional.empty(), readings),
                (old, now) -> new Outcome(now.at(), true, Optional.empty(), old.delivered() + readings));
    }

    public void failed(String sink, String error) {
        outcomes.merge(sink, new Outcome(Instant.now(), false, Optional.of(error), 0),
                (old, now) -> new Outcome(now.at(), false, now.error(), old.delivered()));
    }

    public Optional<Outcome> outcome(String sink) {
        return Optional.ofNullable(outcomes.get(sink));
    }
}
