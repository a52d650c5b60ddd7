package dev.enphaseetl.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * One log line per problem, not one per poll or per failed entry: a problem (of a gateway, an endpoint, a sink) is
 * logged when it starts or its reason changes, and again as a reminder every {@link #DEFAULT_REMIND_EVERY} (10 min)
 * while it lasts; repeats in between go to DEBUG, and the recovery is logged once.
 */
public final class ProblemLog {

    public static final Duration DEFAULT_REMIND_EVERY = Duration.ofMinutes(10);

    private record Current(String kind, long since, long loggedAt) {}

    private final Logger log;
    private final long remindEveryNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Current> current = new ConcurrentHashMap<>();

    public ProblemLog(Logger log) {
        this(log, DEFAULT_REMIND_EVERY, System::nanoTime);
    }

    public ProblemLog(Logger log, Duration remindEvery, LongSupplier nanoTime) {
        this.log = log;
        this.remindEveryNanos = remindEvery.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Reports a problem under {@code key}; returns true when it was logged (new or changed; not a reminder). */
    public boolean problem(String key, String kind, Logger.Level level, String message) {
        long now = nanoTime.getAsLong();
        boolean[] fresh = {false};
        boolean[] remind = {false};
        Current c = current.compute(key, (k, old) -> {
            if (old == null || !old.kind().equals(kind)) {
                fresh[0] = true;
                return new Current(kind, now, now);
            }
            if (now - old.loggedAt() >= remindEveryNanos) {
                remind[0] = true;
                return new Current(kind, old.since(), now);
            }
            return old;
        });
        if (fresh[0]) {
            log.log(level, message);
        } else if (remind[0]) {
            log.log(level, "Still, for " + Duration.ofNanos(now - c.since()).toMinutes() + " min: " + message);
        } else {
            log.debug(message);
        }
        return fresh[0];
    }

    /** Clears the problem under {@code key}, logging the recovery once. */
    public void ok(String key, String message) {
        if (current.remove(key) != null) {
            log.info(message);
        }
    }

    /** Forgets every problem whose key starts with {@code prefix}, without logging. */
    public void clearPrefix(String prefix) {
        current.keySet().removeIf(k -> k.startsWith(prefix));
    }

    public boolean hasProblem(String key) {
        return current.containsKey(key);
    }
}
