package dev.enphaseetl.ledger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a lifetime counter's readings into energy per local day from the deltas between consecutive readings, so
 * missed polls lose nothing (the next delta covers them). An interval that cannot be energy is left out, its day
 * flagged, and the next interval starts a new segment from the new value:
 * <ul>
 * <li>{@code reset}: a monotonic counter decreased (counter reset, gateway restored to zero);</li>
 * <li>{@code source-switch}: the two readings come from different sources (production CT, /api/v1/production, the
 * inverters entry), whose lifetime counters are different counters;</li>
 * <li>{@code jump}: the delta is more energy than the system could produce or draw in that time: more than
 * {@link #JUMP_POWER_FACTOR} times the bounding power (the configured capacity, else the largest power the readings
 * show for that counter) over the time since the previous value was first seen plus {@link #JUMP_SLACK_S} (gateways
 * update some counters only every few minutes). Without a bounding power there is no jump check.</li>
 * </ul>
 */
final class CounterIntervals {

    /** How far above the bounding power an interval's mean power may be before it is called a jump. */
    static final BigDecimal JUMP_POWER_FACTOR = BigDecimal.valueOf(2);
    /** Seconds added to every interval for the jump check: counters that move in steps of a few minutes. */
    static final long JUMP_SLACK_S = 900;

    /** A counter value at an epoch second, and the source of that value (null when unknown). */
    record Point(long time, BigDecimal value, String source) {
        Point(long time, BigDecimal value) {
            this(time, value, null);
        }
    }

    /** Receives energy (Wh, signed for bidirectional counters) attributed to a day, and flags. */
    interface Target {
        void add(LocalDate day, BigDecimal wh);

        void flag(LocalDate day, String flag);

        /** The counter's energy of {@code from..to} (epoch seconds) was counted. */
        default void covered(long from, long to) {}
    }

    private final LedgerConfig config;

    CounterIntervals(LedgerConfig config) {
        this.config = config;
    }

    void split(List<Point> points, boolean monotonic, Set<Long> resetTimes, Target target) {
        split(points, monotonic, resetTimes, null, target);
    }

    /**
     * @param points       sorted by time
     * @param monotonic    true for counters that only grow; false for net counters (either sign is valid)
     * @param resetTimes   collects (monotonic) or supplies (bidirectional) the times at which a reset was seen
     * @param maxPowerW    the bounding power of the jump check (W), null for none
     */
    void split(List<Point> points, boolean monotonic, Set<Long> resetTimes, BigDecimal maxPowerW, Target target) {
        long valueSince = points.isEmpty() ? 0 : points.get(0).time();
        for (int i = 1; i < points.size(); i++) {
            Point a = points.get(i - 1);
            Point b = points.get(i);
            if (b.time() == a.time()) {
                continue;
            }
            if (i == 1 || a.value().compareTo(points.get(i - 2).value()) != 0) {
                valueSince = a.time();
            }
            BigDecimal delta = b.value().subtract(a.value());
            LocalDate dayA = day(a.time());
            LocalDate dayB = day(b.time() - 1); // an interval ending exactly at midnight belongs to the day before
            if (a.source() != null && b.source() != null && !Objects.equals(a.source(), b.source())) {
                target.flag(day(b.time()), "source-switch");
                continue;
            }
            if (monotonic ? delta.signum() < 0 : resetTimes.contains(b.time())) {
                if (monotonic) {
                    resetTimes.add(b.time());
                }
                target.flag(day(b.time()), "reset");
                continue;
            }
            if (maxPowerW != null && maxPowerW.signum() > 0 && delta.abs().compareTo(bound(maxPowerW,
                    b.time() - valueSince)) > 0) {
                target.flag(day(b.time()), "jump");
                continue;
            }
            if (dayA.equals(dayB)) {
                target.add(dayA, delta);
                target.covered(a.time(), b.time());
            } else if (b.time() - a.time() > config.maxCrossDayGap().toSeconds()) {
                target.flag(dayA, "gap");
                target.flag(dayB, "gap");
            } else {
                spread(a.time(), b.time(), delta, dayA, dayB, target);
                target.covered(a.time(), b.time());
            }
        }
    }

    /** The most energy (Wh) an interval of that many seconds may hold. */
    static BigDecimal bound(BigDecimal maxPowerW, long seconds) {
        return maxPowerW.multiply(JUMP_POWER_FACTOR).multiply(BigDecimal.valueOf(seconds + JUMP_SLACK_S))
                .divide(BigDecimal.valueOf(3600), MathContext.DECIMAL64);
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
