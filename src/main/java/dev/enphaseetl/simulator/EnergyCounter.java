package dev.enphaseetl.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * The lifetime energy counter of a profile: the exact integral of its power since the installation day. Whole
 * days are summed in a fixed order with checkpoints every {@value #BLOCK} days, so the value for a given instant
 * never depends on which instants were asked for before.
 */
final class EnergyCounter {

    private static final int BLOCK = 8;

    private final DailyProfile profile;
    private final LocalDate installed;
    private static final int CACHE = 16;

    private double[] checkpoints = {0.0};
    private final long[] cacheDays = new long[CACHE];
    private final double[] cacheValues = new double[CACHE];

    EnergyCounter(DailyProfile profile, LocalDate installed) {
        this.profile = profile;
        this.installed = installed;
        Arrays.fill(cacheDays, -1);
    }

    Instant installedAt() {
        return profile.dayStart(installed);
    }

    /** Wh since installation, 0 before it. */
    double lifetimeWh(Instant t) {
        LocalDate day = LocalDate.ofInstant(t, profile.zone());
        long index = day.toEpochDay() - installed.toEpochDay();
        if (index < 0) {
            return 0.0;
        }
        return atDayStart(index) + profile.energyIntoDayWh(day, t);
    }

    /** Lifetime at the start of day {@code index}, through a small direct-mapped cache. */
    private double atDayStart(long index) {
        int slot = (int) (index & (CACHE - 1));
        synchronized (cacheDays) {
            if (cacheDays[slot] == index) {
                return cacheValues[slot];
            }
        }
        double sum = checkpoint((int) (index / BLOCK));
        for (long d = index - index % BLOCK; d < index; d++) {
            sum += profile.dayEnergyWh(installed.plusDays(d));
        }
        synchronized (cacheDays) {
            cacheDays[slot] = index;
            cacheValues[slot] = sum;
        }
        return sum;
    }

    double powerW(Instant t) {
        return t.isBefore(installedAt()) ? 0.0 : profile.powerW(t);
    }

    private synchronized double checkpoint(int block) {
        int known = checkpoints.length;
        if (block >= known) {
            checkpoints = Arrays.copyOf(checkpoints, block + 1);
            for (int b = known; b <= block; b++) {
                double sum = checkpoints[b - 1];
                for (long d = (long) (b - 1) * BLOCK; d < (long) b * BLOCK; d++) {
                    sum += profile.dayEnergyWh(installed.plusDays(d));
                }
                checkpoints[b] = sum;
            }
        }
        return checkpoints[block];
    }
}
