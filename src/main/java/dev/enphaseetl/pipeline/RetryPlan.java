package dev.enphaseetl.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import dev.enphaseetl.gateway.PollTask;

/**
 * When to ask a gateway again after a transient failure (unreachable, timeout, HTTP 5xx), between the regular ticks
 * of an endpoint's timer.
 * <ul>
 * <li>A failed poll is retried up to {@code maxRetries} times before the endpoint's next tick, after
 * {@code initial}, then twice that, and so on up to {@code maxDelay}, each delay jittered (50 to 150 %) so that many
 * gateways that failed together do not come back together.</li>
 * <li>Once a gateway has failed without a success for longer than {@code window} (a real outage, such as the
 * gateway's nightly restart), only the regular ticks ask it: a dead gateway costs one request per endpoint and
 * period, not more.</li>
 * <li>When such a gateway answers again, every endpoint that failed during the outage is asked at once, so that the
 * gap in the data is the outage itself, not the outage plus up to one period of each endpoint.</li>
 * </ul>
 * Pure (clock and random generator given); thread-safe.
 */
public final class RetryPlan {

    private record Pending(PollTask task, Instant at) {}

    private final int maxRetries;
    private final Duration initial;
    private final Duration maxDelay;
    private final Duration window;
    private final Clock clock;
    private final RandomGenerator random;

    // guarded by this
    private final Map<String, Integer> budget = new HashMap<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<String, Instant> failingSince = new HashMap<>();
    /** Endpoints that failed during a gateway's current failing streak, by gateway id then task key. */
    private final Map<String, Map<String, PollTask>> failedDuringStreak = new HashMap<>();

    public RetryPlan(int maxRetries, Duration initial, Duration maxDelay, Duration window, Clock clock,
            RandomGenerator random) {
        if (maxRetries < 0 || initial.isNegative() || maxDelay.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retries " + maxRetries + ", initial " + initial + ", max " + maxDelay);
        }
        this.maxRetries = maxRetries;
        this.initial = initial;
        this.maxDelay = maxDelay;
        this.window = window;
        this.clock = clock;
        this.random = random;
    }

    /** A regular tick starts a poll of the task: it replaces a pending retry and renews the retry budget. */
    public synchronized void ticked(PollTask task) {
        pending.remove(task.key());
        budget.put(task.key(), maxRetries);
    }

    /**
     * A poll failed transiently. Returns the delay of the retry planned, or empty when none is (budget spent, or the
     * gateway is in an outage longer than the window: the next tick asks again).
     */
    public synchronized Optional<Duration> failed(PollTask task) {
        Instant now = clock.instant();
        String gw = task.gateway().id();
        Instant since = failingSince.computeIfAbsent(gw, k -> now);
        failedDuringStreak.computeIfAbsent(gw, k -> new HashMap<>()).put(task.key(), task);
        int left = budget.getOrDefault(task.key(), maxRetries);
        if (left <= 0 || Duration.between(since, now).compareTo(window) > 0) {
            return Optional.empty();
        }
        budget.put(task.key(), left - 1);
        int attempt = maxRetries - left; // 0 for the first retry
        Duration delay = jittered(backoff(attempt));
        pending.put(task.key(), new Pending(task, now.plus(delay)));
        return Optional.of(delay);
    }

    /**
     * A poll of the gateway got an answer (data, or an answer that is not data: the gateway is there). Returns how long the gateway had been failing, when it had; its endpoints that
     * failed meanwhile (other than this one) are then due at once.
     */
    public synchronized Optional<Duration> succeeded(PollTask task) {
        Instant now = clock.instant();
        String gw = task.gateway().id();
        budget.put(task.key(), maxRetries);
        pending.remove(task.key());
        Instant since = failingSince.remove(gw);
        Map<String, PollTask> failed = failedDuringStreak.remove(gw);
        if (since == null) {
            return Optional.empty();
        }
        if (failed != null) {
            for (PollTask t : failed.values()) {
                if (!t.key().equals(task.key())) {
                    pending.put(t.key(), new Pending(t, now));
                }
            }
        }
        return Optional.of(Duration.between(since, now));
    }

    /** Retries whose time has come, removed from the plan, earliest first. */
    public synchronized List<PollTask> due() {
        Instant now = clock.instant();
        List<Pending> ready = new ArrayList<>();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
            Pending p = it.next();
            if (!p.at().isAfter(now)) {
                ready.add(p);
                it.remove();
            }
        }
        ready.sort((a, b) -> a.at().compareTo(b.at()));
        return ready.stream().map(Pending::task).toList();
    }

    /** Gateways failing without an answer, and since when. */
    public synchronized Map<String, Instant> failing() {
        return Map.copyOf(failingSince);
    }

    /** Since when a gateway fails without a success, if it does. */
    public synchronized Optional<Instant> failingSince(String gatewayId) {
        return Optional.ofNullable(failingSince.get(gatewayId));
    }

    /** Retries planned and not yet due. */
    public synchronized int pendingRetries() {
        return pending.size();
    }

    Duration backoff(int attempt) {
        Duration d = initial;
        for (int i = 0; i < attempt && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    private Duration jittered(Duration d) {
        double factor = 0.5 + random.nextDouble();
        return Duration.ofMillis(Math.round(d.toMillis() * factor));
    }
}
