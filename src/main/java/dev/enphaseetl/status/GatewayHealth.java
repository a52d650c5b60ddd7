package dev.enphaseetl.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.enphaseetl.health.GatewayActivity;

/**
 * Whether a gateway's polls collect anything, judged from its {@link GatewayActivity}: a poll in flight for longer
 * than {@code stuckAfter} is stuck; no reading for longer than {@code staleAfter} is a problem whatever the gateway
 * answers (HTML, not-data, 401, errors, or nothing at all), named with the last reason seen.
 */
public final class GatewayHealth {

    /** A poll makes at most a few requests (session, data, the other scheme, a renewed token), each bounded. */
    static final int REQUESTS_PER_POLL = 5;

    private GatewayHealth() {}

    /** How long a poll may be in flight before it counts as stuck: a few request deadlines. */
    public static Duration stuckAfter(Duration requestDeadline) {
        return requestDeadline.multipliedBy(REQUESTS_PER_POLL);
    }

    /** The gateway's problem at {@code now}, if any, in words naming the reason. */
    public static Optional<String> problem(GatewayActivity.Snapshot s, Instant now, Duration staleAfter,
            Duration stuckAfter) {
        if (s.inFlightSince().isPresent()) {
            Duration running = Duration.between(s.inFlightSince().get(), now);
            if (running.compareTo(stuckAfter) > 0) {
                return Optional.of("poll of " + s.inFlightEndpoint().orElse("?") + " stuck for " + running.toSeconds()
                        + " s (its poll thread has not come back)");
            }
        }
        Instant since = s.lastUseful().orElse(s.firstDue());
        Duration quiet = Duration.between(since, now);
        if (quiet.compareTo(staleAfter) <= 0) {
            return Optional.empty();
        }
        String what = s.lastUseful().isPresent()
                ? "no reading for " + quiet.toSeconds() + " s"
                : "no reading since start (" + quiet.toSeconds() + " s)";
        Optional<Instant> finished = s.lastFinished();
        if (finished.isEmpty() || Duration.between(finished.get(), now).compareTo(staleAfter) > 0) {
            return Optional.of(what + ": no poll completed for "
                    + finished.map(f -> Duration.between(f, now).toSeconds() + " s").orElse("as long")
                    + s.problem().map(p -> "; last problem: " + p).orElse(""));
        }
        return Optional.of(what + ": " + s.problem().orElse("its answers carry no readings"));
    }
}
