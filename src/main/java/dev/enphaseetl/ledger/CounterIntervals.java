package dev.enphaseetl.ledger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * Turns a lifetime counter's readings into energy per local day from the deltas between consecutive readings, so
 * missed polls lose nothing (the next delta covers them). A monotonic counter that decreases was reset: that interval
 * is left out and the day flagged {@code reset}; the next interval starts a new segment from the new value.
 */
final class CounterIntervals {

    /** A counter value at an epoch second. */
    record Point(long time, BigDecimal value) {}

    /** Receives energy (Wh, signed for bidirectional counters) attributed to a day, and flags. */
    interface Target {
        void add(LocalDate day, BigDecimal wh);

        void flag(LocalDate day, String flag);
    }

    private final LedgerConfig config;

    CounterIntervals(LedgerConfig config) {
        this.config = config;
    }

    /**
     * @param points      sorted by time
     * @param monotonic   true for counters that only grow; false for net counters (either sign is valid)
     * @param resetTimes  collects (monotonic) or supplies (bidirectional) the times at which a reset was seen
     */
    void split(List<Point> points, boolean monotonic, Set<Long> resetTimes, Target target) {
        for (int i = 1; i < points.size(); i++) {
            Point a = points.get(i - 1);
            Point b = points.get(i);
            if (b.time() == a.time()) {
                continue;
            }
            BigDecimal delta = b.value().subtract(a.value());
            LocalDate dayA = day(a.time());
            LocalDate dayB = day(b.time() - 1); // an interval ending exactly at midnight belongs to the day before
            if (monotonic ? delta.signum() < 0 : resetTimes.contains(b.time())) {
                if (monotonic) {
                    resetTimes.add(b.time());
                }
                target.flag(day(b.time()), "reset");
                continue;
            }
            if (dayA.equals(dayB)) {
                target.add(dayA, delta);
            } else if (b.time() - a.time() > config.maxCrossDayGap().toSeconds()) {
                target.flag(dayA, "gap");
                target.flag(dayB, "gap");
            } else {
                spread(a.time(), b.time(), delta, dayA, dayB, target);
            }
        }
    }

    /** Splits a delta across the days it spans, in proportion to the seconds spent in each. */
    private void spread(long from, long to, BigDecimal delta, LocalDate first, LocalDate last, Target target) {
        BigDecimal length = BigDecimal.valueOf(to - from);
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            long start = Math.max(from, d.atStartOfDay(config.zone()).toEpochSecond());
            long end = Math.min(to, d.plusDays(1).atStartOfDay(config.zone()).toEpochSecond());
            if (end > start) {
                target.add(d, delta.multiply(BigDecimal.valueOf(end - start)).divide(length, MathContext.DECIMAL64));
            }
        }
    }

    LocalDate day(long epochSecond) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), config.zone());
    }
}
