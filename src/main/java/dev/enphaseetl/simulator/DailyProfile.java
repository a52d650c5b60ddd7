package dev.enphaseetl.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * A power curve defined day by day in a time zone, with a closed-form integral inside each day. Hours are counted
 * from the local midnight that starts the day (on daylight-saving days a day has 23 or 25 hours).
 */
interface DailyProfile {

    ZoneId zone();

    /** Power in W at {@code t}. */
    double powerW(Instant t);

    /** Energy in Wh from the start of {@code day} to {@code t} ({@code t} within that day). */
    double energyIntoDayWh(LocalDate day, Instant t);

    /** Energy in Wh of the whole day. */
    default double dayEnergyWh(LocalDate day) {
        return energyIntoDayWh(day, dayStart(day.plusDays(1)));
    }

    default Instant dayStart(LocalDate day) {
        ZoneRules rules = zone().getRules();
        if (rules.isFixedOffset()) {
            return Instant.ofEpochSecond(day.toEpochDay() * 86_400 - rules.getOffset(Instant.EPOCH).getTotalSeconds());
        }
        return day.atStartOfDay(zone()).toInstant();
    }

    /** Hours since the local midnight of {@code day}. */
    default double hoursInto(LocalDate day, Instant t) {
        return (t.getEpochSecond() - dayStart(day).getEpochSecond() + t.getNano() / 1e9) / 3600.0;
    }

    static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }
}
