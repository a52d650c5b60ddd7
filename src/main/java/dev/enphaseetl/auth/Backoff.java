package dev.enphaseetl.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Cooldown after failures: after the n-th consecutive failure the next attempt waits {@code initial * 2^(n-1)}, at
 * most {@code max}; in addition at most {@code maxAttemptsPerHour} attempts start in any rolling hour. Pure: the
 * caller passes the time.
 */
public final class Backoff {

    private static final Duration HOUR = Duration.ofHours(1);

    private final Duration initial;
    private final Duration max;
    private final int maxAttemptsPerHour;
    private final Deque<Instant> attempts = new ArrayDeque<>();

    private int failures;
    private Instant notBefore = Instant.MIN;

    public Backoff(Duration initial, Duration max, int maxAttemptsPerHour) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttemptsPerHour < 1) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and at least 1 attempt per hour");
        }
        this.initial = initial;
        this.max = max;
        this.maxAttemptsPerHour = maxAttemptsPerHour;
    }

    /** 1 minute doubling to 1 hour, at most 6 attempts an hour. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofMinutes(1), Duration.ofHours(1), 6);
    }

    public synchronized boolean mayAttempt(Instant now) {
        prune(now);
        return !now.isBefore(notBefore) && attempts.size() < maxAttemptsPerHour;
    }

    /** The earliest time {@link #mayAttempt} can be true. */
    public synchronized Instant nextAttemptAt(Instant now) {
        prune(now);
        Instant t = notBefore.isAfter(now) ? notBefore : now;
        if (attempts.size() >= maxAttemptsPerHour) {
            Instant freed = attempts.peekFirst().plus(HOUR);
            t = freed.isAfter(t) ? freed : t;
        }
        return t;
    }

    public synchronized void recordAttempt(Instant now) {
        prune(now);
        attempts.addLast(now);
    }

    public synchronized void recordFailure(Instant now) {
        failures++;
        Duration d = initial;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        notBefore = now.plus(d.compareTo(max) > 0 ? max : d);
    }

    public synchronized void recordSuccess() {
        failures = 0;
        notBefore = Instant.MIN;
    }

    public synchronized int consecutiveFailures() {
        return failures;
    }

    private void prune(Instant now) {
        while (!attempts.isEmpty() && !attempts.peekFirst().plus(HOUR).isAfter(now)) {
            attempts.removeFirst();
        }
    }
}
