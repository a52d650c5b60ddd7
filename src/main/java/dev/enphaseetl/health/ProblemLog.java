package dev.enphaseetl.health;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

/**
 * One log line per problem, not one per poll: a problem of a gateway (or gateway and endpoint) is logged when it
 * starts or its reason changes, repeats go to DEBUG, and the recovery is logged once.
 */
public final class ProblemLog {

    private final Logger log;
    private final Map<String, String> current = new ConcurrentHashMap<>();

    public ProblemLog(Logger log) {
        this.log = log;
    }

    /** Reports a problem under {@code key}; returns true when it was logged (new or changed). */
    public boolean problem(String key, String kind, Logger.Level level, String message) {
        String previous = current.put(key, kind);
        if (!kind.equals(previous)) {
            log.log(level, message);
            return true;
        }
        log.debug(message);
        return false;
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
