package dev.enphaseetl.health;

import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * An INFO line that comes once per gateway (a certificate trusted on first use, a serial learned): told at INFO for
 * the first few gateways, then at DEBUG, so that a fleet of thousands does not start with thousands of lines. The
 * line that switches says so and how to see the rest.
 */
public final class FirstFew {

    /** Gateways told at INFO per kind of line. */
    public static final int FEW = 3;

    private final Logger log;
    private final String what;
    private final AtomicLong seen = new AtomicLong();

    /**
     * @param log  the logger of the line
     * @param what what the line tells, plural, for the switch-over line (e.g. "certificates trusted on first use")
     */
    public FirstFew(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Logs {@code format} with {@code args} at INFO for the first {@link #FEW} calls, then at DEBUG. */
    public void info(String format, Object... args) {
        long n = seen.incrementAndGet();
        if (n <= FEW) {
            log.infof(format, args);
            if (n == FEW) {
                log.infof("Further %s are logged at DEBUG (category %s), not one INFO line per gateway", what,
                        log.getName());
            }
        } else {
            log.debugf(format, args);
        }
    }

    /** How many were told in all. */
    public long count() {
        return seen.get();
    }
}
