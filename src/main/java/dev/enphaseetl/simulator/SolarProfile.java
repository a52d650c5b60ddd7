package dev.enphaseetl.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Production: zero at night, a sin² bell between sunrise and sunset. Day length and height follow the season
 * (northern hemisphere), and each day gets a deterministic clearness factor from the seed.
 */
final class SolarProfile implements DailyProfile {

    private static final double SOLAR_NOON_H = 13.0;

    private final ZoneId zone;
    private final long seed;
    private final double peakW;

    SolarProfile(ZoneId zone, long seed, double peakW) {
        this.zone = zone;
        this.seed = seed;
        this.peakW = peakW;
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    /** The highest power this profile can ever reach. */
    double capacityW() {
        return peakW;
    }

    double dayLengthH(LocalDate day) {
        return 12.0 + 3.5 * season(day);
    }

    double dayPeakW(LocalDate day) {
        double clearness = 1.0 - 0.7 * Math.pow(SimRandom.unit(seed, 11, day.toEpochDay()), 2);
        return peakW * (0.75 + 0.25 * season(day)) * clearness;
    }

    /** +1 at the June solstice, -1 at the December solstice. */
    private static double season(LocalDate day) {
        return Math.cos(2 * Math.PI * (day.getDayOfYear() - 172) / 365.25);
    }

    @Override
    public double powerW(Instant t) {
        LocalDate day = LocalDate.ofInstant(t, zone);
        double length = dayLengthH(day);
        double x = hoursInto(day, t) - (SOLAR_NOON_H - length / 2);
        if (x <= 0 || x >= length) {
            return 0.0;
        }
        double s = Math.sin(Math.PI * x / length);
        return dayPeakW(day) * s * s;
    }

    /** The whole bell lies inside the day: its integral is peak * length / 2. */
    @Override
    public double dayEnergyWh(LocalDate day) {
        return dayPeakW(day) * dayLengthH(day) / 2;
    }

    @Override
    public double energyIntoDayWh(LocalDate day, Instant t) {
        double length = dayLengthH(day);
        double x = DailyProfile.clamp(hoursInto(day, t) - (SOLAR_NOON_H - length / 2), 0, length);
        return dayPeakW(day) * (x / 2 - length / (4 * Math.PI) * Math.sin(2 * Math.PI * x / length));
    }
}
