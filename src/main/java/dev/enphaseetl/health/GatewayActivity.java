package dev.enphaseetl.health;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What each gateway's polls came to, written by polling and read by readiness and the status line: polls due, lost
 * (a tick found the endpoint still waiting), started and finished; the poll in flight and since when; the last poll
 * that gave readings and the newest reading's time; the last problem. A gateway that answers on every path but
 * gives no reading (HTML, not-data, 401) so differs from a healthy one, and a poll that never comes back is seen.
 */
@ApplicationScoped
public class GatewayActivity {

    /** One gateway's activity at one moment. */
    public record Snapshot(String gateway, Instant firstDue, long due, long lost, long started, long finished,
            long answered, long useful, long failures, Optional<Instant> inFlightSince,
            Optional<String> inFlightEndpoint,
            Optional<Instant> lastFinished, Optional<Instant> lastUseful, Optional<Instant> newestReading,
            Optional<String> problem, Optional<Instant> problemSince, boolean everAnswered) {}

    private static final class State {
        final String gateway;
        final Instant firstDue;
        long due;
        long lost;
        long started;
        long finished;
        long answered;
        long useful;
        long failures;
        Instant inFlightSince;
        String inFlightEndpoint;
        Instant lastFinished;
        Instant lastUseful;
        Instant newestReading;
        String problem;
        Instant problemSince;
        boolean everAnswered;

        State(String gateway, Instant firstDue) {
            this.gateway = gateway;
            this.firstDue = firstDue;
        }

        synchronized Snapshot snapshot() {
            return new Snapshot(gateway, firstDue, due, lost, started, finished, answered, useful, failures,
                    Optional.ofNullable(inFlightSince), Optional.ofNullable(inFlightEndpoint),
                    Optional.ofNullable(lastFinished), Optional.ofNullable(lastUseful),
                    Optional.ofNullable(newestReading), Optional.ofNullable(problem), Optional.ofNullable(problemSince),
                    everAnswered);
        }
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Clock clock;

    public GatewayActivity() {
        this(Clock.systemUTC());
    }

    public GatewayActivity(Clock clock) {
        this.clock = clock;
    }

    private State state(String gateway) {
        return states.computeIfAbsent(gateway, g -> new State(g, clock.instant()));
    }

    /** A tick made a poll of the gateway due; {@code lost} when the same endpoint still waited from before. */
    public void due(String gateway, boolean lost) {
        State s = state(gateway);
        synchronized (s) {
            s.due++;
            if (lost) {
                s.lost++;
            }
        }
    }

    /** A poll of the gateway starts. */
    public void started(String gateway, String endpoint) {
        State s = state(gateway);
        synchronized (s) {
            s.started++;
            s.inFlightSince = clock.instant();
            s.inFlightEndpoint = endpoint;
        }
    }

    /** The gateway's poll ended, whatever its outcome. */
    public void finished(String gateway) {
        State s = state(gateway);
        synchronized (s) {
            s.finished++;
            s.inFlightSince = null;
            s.inFlightEndpoint = null;
            s.lastFinished = clock.instant();
        }
    }

    /**
     * The gateway answered with something parsed: {@code readings} of them, the newest taken at {@code newest}.
     * Only an answer with readings is useful; one without (a not-data answer) is noted as {@code noData}.
     */
    public void answered(String gateway, int readings, Optional<Instant> newest, String noData) {
        State s = state(gateway);
        synchronized (s) {
            s.answered++;
            s.everAnswered = true;
            if (readings > 0) {
                s.useful++;
                s.lastUseful = clock.instant();
                s.problem = null;
                s.problemSince = null;
                newest.ifPresent(t -> {
                    if (s.newestReading == null || t.isAfter(s.newestReading)) {
                        s.newestReading = t;
                    }
                });
            } else if (noData != null) {
                problem(s, noData);
            }
        }
    }

    /** The gateway's poll failed; {@code answered} when the gateway did answer (a refusal, a bad payload). */
    public void failed(String gateway, String reason, boolean answered) {
        State s = state(gateway);
        synchronized (s) {
            s.failures++;
            if (answered) {
                s.everAnswered = true;
            }
            problem(s, reason);
        }
    }

    private void problem(State s, String reason) {
        if (!reason.equals(s.problem)) {
            s.problem = reason;
            s.problemSince = clock.instant();
        }
    }

    /** Whether the gateway ever answered anything since start. */
    public boolean everAnswered(String gateway) {
        State s = states.get(gateway);
        return s != null && s.snapshot().everAnswered();
    }

    public Optional<Snapshot> of(String gateway) {
        State s = states.get(gateway);
        return s == null ? Optional.empty() : Optional.of(s.snapshot());
    }

    /** Every gateway polled so far, by id. */
    public Map<String, Snapshot> all() {
        Map<String, Snapshot> m = new TreeMap<>();
        states.forEach((g, s) -> m.put(g, s.snapshot()));
        return m;
    }
}
