package dev.enphaseetl.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A battery (Encharge) of a {@link SimulatedGateway}, pure like the gateway: it charges from the surplus of production
 * over consumption and discharges into the deficit, at most {@code maxPowerW} either way, between
 * {@value #MIN_SOC_PCT} % and 100 % of its capacity, each local day starting at {@value #START_SOC_PCT} %. Power is
 * taken once a minute and held for the minute, so charge and discharge are exact sums of minute steps and the state of
 * charge is linear inside a minute: the local endpoints ({@code /ivp/ensemble/*}) and the v4 simulator's
 * {@code telemetry/battery} read the same numbers. The simulated meters do not see the battery (they keep showing
 * production and consumption only): a simplification of the simulator, documented in docs/simulator.md.
 */
public final class SimulatedBattery {

    static final double START_SOC_PCT = 40;
    static final double MIN_SOC_PCT = 10;
    static final long STEP_S = 60;

    /** One local day: cumulative charge and discharge (Wh) and stored energy (Wh) at each minute step. */
    private record Day(long start, double[] charge, double[] discharge, double[] stored) {}

    private final double capacityWh;
    private final double maxPowerW;
    private final ZoneId zone;
    private final ToDoubleFunction<Instant> surplusW;
    private final Map<LocalDate, Day> days = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LocalDate, Day> eldest) {
            return size() > 8;
        }
    };

    SimulatedBattery(double capacityWh, double maxPowerW, ZoneId zone, ToDoubleFunction<Instant> surplusW) {
        if (capacityWh <= 0 || maxPowerW <= 0) {
            throw new IllegalArgumentException("a battery needs a capacity and a power above zero");
        }
        this.capacityWh = capacityWh;
        this.maxPowerW = maxPowerW;
        this.zone = zone;
        this.surplusW = surplusW;
    }

    public double capacityWh() {
        return capacityWh;
    }

    /** Energy that went into the battery between {@code a} and {@code b}, Wh. */
    public double chargeWhBetween(Instant a, Instant b) {
        return between(a, b, true);
    }

    /** Energy the battery gave between {@code a} and {@code b}, Wh. */
    public double dischargeWhBetween(Instant a, Instant b) {
        return between(a, b, false);
    }

    /** Energy stored at {@code t}, Wh. */
    public double storedWh(Instant t) {
        return at(t, 2);
    }

    /** State of charge at {@code t}, percent. */
    public double socPct(Instant t) {
        return 100 * storedWh(t) / capacityWh;
    }

    private double between(Instant a, Instant b, boolean charge) {
        if (!b.isAfter(a)) {
            return 0;
        }
        double sum = 0;
        Instant from = a;
        while (from.isBefore(b)) {
            LocalDate d = LocalDate.ofInstant(from, zone);
            Instant dayEnd = d.plusDays(1).atStartOfDay(zone).toInstant();
            Instant to = dayEnd.isBefore(b) ? dayEnd : b;
            int which = charge ? 0 : 1;
            sum += (to.equals(dayEnd) ? total(d, which) : at(to, which)) - at(from, which);
            from = to;
        }
        return sum;
    }

    private double total(LocalDate d, int which) {
        Day day = day(d);
        double[] v = which == 0 ? day.charge : day.discharge;
        return v[v.length - 1];
    }

    /** Linear inside the minute step of {@code t}: 0 charge, 1 discharge (cumulative in the day), 2 stored. */
    private double at(Instant t, int which) {
        Day day = day(LocalDate.ofInstant(t, zone));
        double[] v = which == 0 ? day.charge : which == 1 ? day.discharge : day.stored;
        double x = (t.getEpochSecond() - day.start + t.getNano() / 1e9) / STEP_S;
        int k = (int) Math.min(v.length - 1, Math.max(0, Math.floor(x)));
        if (k >= v.length - 1) {
            return v[v.length - 1];
        }
        return v[k] + (v[k + 1] - v[k]) * (x - k);
    }

    private Day day(LocalDate d) {
        synchronized (days) {
            Day known = days.get(d);
            if (known != null) {
                return known;
            }
        }
        long start = d.atStartOfDay(zone).toEpochSecond();
        int n = (int) ((d.plusDays(1).atStartOfDay(zone).toEpochSecond() - start) / STEP_S);
        double[] charge = new double[n + 1];
        double[] discharge = new double[n + 1];
        double[] stored = new double[n + 1];
        double e = capacityWh * START_SOC_PCT / 100;
        double min = capacityWh * MIN_SOC_PCT / 100;
        stored[0] = e;
        for (int k = 0; k < n; k++) {
            double p = Math.max(-maxPowerW, Math.min(maxPowerW, surplusW.applyAsDouble(
                    Instant.ofEpochSecond(start + k * STEP_S))));
            double step = Math.abs(p) * STEP_S / 3600.0;
            double in = p > 0 ? Math.min(step, capacityWh - e) : 0;
            double out = p < 0 ? Math.min(step, e - min) : 0;
            e += in - out;
            charge[k + 1] = charge[k] + in;
            discharge[k + 1] = discharge[k] + out;
            stored[k + 1] = e;
        }
        Day day = new Day(start, charge, discharge, stored);
        synchronized (days) {
            days.put(d, day);
        }
        return day;
    }
}
