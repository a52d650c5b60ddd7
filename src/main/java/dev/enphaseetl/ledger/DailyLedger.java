package dev.enphaseetl.ledger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.enphaseetl.model.Reading;

/**
 * Computes the daily energy ledger from lifetime counters (pure: readings in, days out).
 * <ul>
 * <li>produced: deltas of {@code system.production_wh_lifetime};</li>
 * <li>consumed: deltas of {@code system.consumption_wh_lifetime};</li>
 * <li>imported / exported: deltas of {@code meter.energy_delivered_wh} / {@code meter.energy_received_wh} of the
 * {@code net-consumption} meter (phase {@code total}) when the day has them ({@code grid_source = meter}); otherwise
 * the deltas of {@code system.net_wh_lifetime}, each interval's positive delta counted as import and negative delta as
 * export ({@code grid_source = net}; this nets out import and export within one poll interval, so it is a lower
 * bound of both);</li>
 * <li>self-consumption % = (produced - exported) / produced; self-sufficiency % = (consumed - imported) / consumed;
 * both clamped to 0..100, 2 decimals.</li>
 * </ul>
 * Intervals that cannot be energy (a counter reset, a switch of the production source, a jump beyond what the
 * system's power allows) are never counted: see {@link CounterIntervals} for the rules and the day flags.
 * Feed it every reading of the days to compute (for example re-read from the archive): a day's result replaces the
 * stored one.
 */
public final class DailyLedger {

    static final String NET_METER_TYPE = "net-consumption";

    private final LedgerConfig config;
    private final CounterIntervals intervals;

    public DailyLedger(LedgerConfig config) {
        this.config = config;
        this.intervals = new CounterIntervals(config);
    }

    /** Sums per local day, in Wh; null until an interval of that counter touches the day. */
    private static final class Acc {
        BigDecimal produced, consumed, meterImport, meterExport, netImport, netExport;
        final Set<String> flags = new TreeSet<>();
    }

    public List<LedgerDay> compute(List<Reading> readings) {
        Map<String, List<Reading>> byGateway = new TreeMap<>();
        for (Reading r : readings) {
            String gw = r.tag("gateway");
            if (gw != null && (r.measurement().equals("system") || isNetMeter(r))) {
                byGateway.computeIfAbsent(gw, k -> new ArrayList<>()).add(r);
            }
        }
        List<LedgerDay> out = new ArrayList<>();
        byGateway.forEach((gw, rs) -> out.addAll(computeGateway(gw, rs)));
        return out;
    }

    private static boolean isNetMeter(Reading r) {
        String phase = r.tag("phase");
        return r.measurement().equals("meter") && NET_METER_TYPE.equals(r.tag("type"))
                && (phase == null || phase.equals("total"));
    }

    private List<LedgerDay> computeGateway(String gateway, List<Reading> readings) {
        Map<LocalDate, Acc> days = new TreeMap<>();
        Set<Long> resets = new HashSet<>();
        List<Reading> system = readings.stream().filter(r -> r.measurement().equals("system"))
                .sorted(Comparator.comparingLong(Reading::time)).toList();

        run(points(system, "production_wh_lifetime", "production_source"), true, resets,
                maxPower(system, "production_w"), days, (a, wh) -> a.produced = plus(a.produced, wh));
        run(points(system, "consumption_wh_lifetime", null), true, resets, maxPower(system, "consumption_w"), days,
                (a, wh) -> a.consumed = plus(a.consumed, wh));

        Map<String, List<Reading>> meters = new TreeMap<>();
        readings.stream().filter(DailyLedger::isNetMeter).sorted(Comparator.comparingLong(Reading::time))
                .forEach(r -> meters.computeIfAbsent(String.valueOf(r.tag("eid")), k -> new ArrayList<>()).add(r));
        for (List<Reading> meter : meters.values()) {
            BigDecimal meterPower = maxPower(meter, "active_power_w");
            run(points(meter, "energy_delivered_wh", null), true, resets, meterPower, days,
                    (a, wh) -> a.meterImport = plus(a.meterImport, wh));
            run(points(meter, "energy_received_wh", null), true, resets, meterPower, days,
                    (a, wh) -> a.meterExport = plus(a.meterExport, wh));
        }
        run(points(system, "net_wh_lifetime", null), false, resets, maxPower(system, "net_w"), days, (a, wh) -> {
            a.netImport = plus(a.netImport, wh.max(BigDecimal.ZERO));
            a.netExport = plus(a.netExport, wh.negate().max(BigDecimal.ZERO));
        });

        List<LedgerDay> out = new ArrayList<>();
        days.forEach((day, a) -> out.add(toDay(gateway, day, a)));
        return out;
    }

    private void run(List<CounterIntervals.Point> points, boolean monotonic, Set<Long> resets, BigDecimal maxPowerW,
            Map<LocalDate, Acc> days, BiConsumer<Acc, BigDecimal> add) {
        Function<LocalDate, Acc> acc = d -> days.computeIfAbsent(d, k -> new Acc());
        intervals.split(points, monotonic, resets, maxPowerW, new CounterIntervals.Target() {
            @Override
            public void add(LocalDate day, BigDecimal wh) {
                add.accept(acc.apply(day), wh);
            }

            @Override
            public void flag(LocalDate day, String flag) {
                acc.apply(day).flags.add(flag);
            }
        });
    }

    private static List<CounterIntervals.Point> points(List<Reading> sorted, String field, String sourceField) {
        List<CounterIntervals.Point> out = new ArrayList<>();
        for (Reading r : sorted) {
            Double v = r.field(field);
            if (v != null) {
                Double source = sourceField == null ? null : r.field(sourceField);
                out.add(new CounterIntervals.Point(r.time(), new BigDecimal(Double.toString(v)),
                        source == null ? null : Long.toString(Math.round(source))));
            }
        }
        return out;
    }

    /**
     * The bounding power of a counter's jump check: the largest absolute power (W) the readings show for it, null when
     * they show none. All readings of the computed range count, so a day's noon peak bounds its morning intervals.
     */
    static BigDecimal maxPower(List<Reading> readings, String powerField) {
        double max = 0;
        for (Reading r : readings) {
            Double w = r.field(powerField);
            if (w != null && Double.isFinite(w)) {
                max = Math.max(max, Math.abs(w));
            }
        }
        return max > 0 ? BigDecimal.valueOf(max) : null;
    }

    private LedgerDay toDay(String gateway, LocalDate day, Acc a) {
        boolean meter = a.meterImport != null || a.meterExport != null;
        BigDecimal imported = meter ? a.meterImport : a.netImport;
        BigDecimal exported = meter ? a.meterExport : a.netExport;
        String source = meter ? "meter" : a.netImport != null ? "net" : "";
        return new LedgerDay(gateway, day, config.zone().getId(), kwh(a.produced), kwh(a.consumed), kwh(imported),
                kwh(exported), share(a.produced, exported), share(a.consumed, imported), source, a.flags);
    }

    /** (total - part) / total in percent, clamped to 0..100; null if undefined. */
    static BigDecimal share(BigDecimal total, BigDecimal part) {
        if (total == null || part == null || total.signum() <= 0) {
            return null;
        }
        BigDecimal pct = total.subtract(part).multiply(BigDecimal.valueOf(100)).divide(total, MathContext.DECIMAL64);
        pct = pct.max(BigDecimal.ZERO).min(BigDecimal.valueOf(100));
        return pct.setScale(2, RoundingMode.HALF_UP);
    }

    /** Wh to kWh, rounded to 1 mWh (6 decimals). */
    static BigDecimal kwh(BigDecimal wh) {
        return wh == null ? null : wh.movePointLeft(3).setScale(6, RoundingMode.HALF_UP);
    }

    private static BigDecimal plus(BigDecimal a, BigDecimal b) {
        return a == null ? b : a.add(b);
    }
}
