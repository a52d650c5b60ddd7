package dev.enphaseetl.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Clocks for simulations: a clock that runs {@code factor} times faster than real time from {@code start}. */
public final class SimClocks {

    private SimClocks() {}

    public static Clock accelerated(Instant start, double factor) {
        return new Accelerated(Clock.systemUTC(), start, factor, ZoneOffset.UTC);
    }

    /** Same, driven by {@code base} (which tests can control). */
    public static Clock accelerated(Clock base, Instant start, double factor) {
        return new Accelerated(base, start, factor, ZoneOffset.UTC);
    }

    private static final class Accelerated extends Clock {
        private final Clock base;
        private final Instant origin;
        private final Instant start;
        private final double factor;
        private final ZoneId zone;

        Accelerated(Clock base, Instant start, double factor, ZoneId zone) {
            this(base, base.instant(), start, factor, zone);
        }

        private Accelerated(Clock base, Instant origin, Instant start, double factor, ZoneId zone) {
            this.base = base;
            this.origin = origin;
            this.start = start;
            this.factor = factor;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() { return zone; }

        @Override
        public Clock withZone(ZoneId z) {
            return new Accelerated(base, origin, start, factor, z);
        }

        @Override
        public Instant instant() {
            long elapsedNanos = Duration.between(origin, base.instant()).toNanos();
            return start.plusNanos((long) (elapsedNanos * factor));
        }
    }
}
