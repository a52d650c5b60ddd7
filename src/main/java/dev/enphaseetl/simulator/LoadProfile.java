package dev.enphaseetl.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Household consumption: a base load with a slow ripple (appliances cycling) plus a morning and an evening peak
 * (raised-cosine bumps whose height changes from day to day).
 */
final class LoadProfile implements DailyProfile {

    private static final double MORNING_H = 7.5;
    private static final double MORNING_HALF_WIDTH_H = 1.5;
    private static final double EVENING_H = 19.0;
    private static final double EVENING_HALF_WIDTH_H = 3.0;

    private final ZoneId zone;
    private final long seed;
    private final double baseW;
    private final double rippleW;
    private final double ripplePeriodS;

    LoadProfile(ZoneId zone, long seed) {
        this.zone = zone;
        this.seed = seed;
        this.baseW = SimRandom.between(seed, 250, 600, 21);
        this.rippleW = baseW * 0.3;
        this.ripplePeriodS = SimRandom.between(seed, 900, 2400, 22);
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    private double morningW(LocalDate day) {
        return SimRandom.between(seed, 300, 1200, 23, day.toEpochDay());
    }

    private double eveningW(LocalDate day) {
        return SimRandom.between(seed, 800, 2500, 24, day.toEpochDay());
    }

    @Override
    public double powerW(Instant t) {
        LocalDate day = LocalDate.ofInstant(t, zone);
        double h = hoursInto(day, t);
        double seconds = t.getEpochSecond() + t.getNano() / 1e9;
        return baseW + rippleW * Math.sin(2 * Math.PI * seconds / ripplePeriodS)
                + morningW(day) * bump(h - MORNING_H, MORNING_HALF_WIDTH_H)
                + eveningW(day) * bump(h - EVENING_H, EVENING_HALF_WIDTH_H);
    }

    @Override
    public double energyIntoDayWh(LocalDate day, Instant t) {
        Instant start = dayStart(day);
        double h = hoursInto(day, t);
        double s0 = start.getEpochSecond();
        double s1 = t.getEpochSecond() + t.getNano() / 1e9;
        double w = 2 * Math.PI / ripplePeriodS;
        double rippleWh = rippleW / w * (Math.cos(w * s0) - Math.cos(w * s1)) / 3600.0;
        return baseW * h + rippleWh
                + morningW(day) * bumpIntegral(h - MORNING_H, MORNING_HALF_WIDTH_H)
                + eveningW(day) * bumpIntegral(h - EVENING_H, EVENING_HALF_WIDTH_H);
    }

    /** Closed form of a whole day: both bumps lie inside it and integrate to their half-widths. */
    @Override
    public double dayEnergyWh(LocalDate day) {
        double s0 = dayStart(day).getEpochSecond();
        double s1 = dayStart(day.plusDays(1)).getEpochSecond();
        double w = 2 * Math.PI / ripplePeriodS;
        return baseW * (s1 - s0) / 3600.0 + rippleW / w * (Math.cos(w * s0) - Math.cos(w * s1)) / 3600.0
                + morningW(day) * MORNING_HALF_WIDTH_H + eveningW(day) * EVENING_HALF_WIDTH_H;
    }

    private static double bump(double x, double halfWidth) {
        return Math.abs(x) >= halfWidth ? 0.0 : (1 + Math.cos(Math.PI * x / halfWidth)) / 2;
    }

    /** Integral of {@link #bump} from -halfWidth to x, in hours. */
    private static double bumpIntegral(double x, double halfWidth) {
        double c = DailyProfile.clamp(x, -halfWidth, halfWidth);
        return ((c + halfWidth) + halfWidth / Math.PI * Math.sin(Math.PI * c / halfWidth)) / 2;
    }
}
