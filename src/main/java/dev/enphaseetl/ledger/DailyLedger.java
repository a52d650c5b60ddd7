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
 * <p>
 * Cloud data (docs/cloud.md) counts only where the local counters do not: a {@code cloud_interval} (15-minute energy
 * tagged {@code source=cloud}) adds the part of its energy that falls outside every interval the local counter of
 * the same quantity covered (before the day's first reading, after its last, across a reset, jump or long gap), and
 * its day is flagged {@code cloud}; a {@code cloud_day} (daily energy from the history import) stands for a day that
 * has neither local counters nor cloud intervals of that quantity, flagged {@code cloud-day}.
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
        BigDecimal cloudProduced, cloudConsumed, cloudImport, cloudExport;
        final Set<String> flags = new TreeSet<>();
    }

    public List<LedgerDay> compute(List<Reading> readings) {
        Map<String, List<Reading>> byGateway = new TreeMap<>();
        for (Reading r : readings) {
            String gw = r.tag("gateway");
            if (gw != null && (r.measurement().equals("system") || isNetMeter(r)
                    || r.measurement().equals("cloud_interval") || r.measurement().equals("cloud_day"))) {
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

        List<long[]> producedSpans = new ArrayList<>();
        List<long[]> consumedSpans = new ArrayList<>();
        List<long[]> gridSpans = new ArrayList<>();
        run(points(system, "production_wh_lifetime", "production_source"), true, resets,
                maxPower(system, "production_w"), days, producedSpans,
                (a, wh) -> a.produced = plus(a.produced, wh));
        run(points(system, "consumption_wh_lifetime", null), true, resets, maxPower(system, "consumption_w"), days,
                consumedSpans, (a, wh) -> a.consumed = plus(a.consumed, wh));

        Map<String, List<Reading>> meters = new TreeMap<>();
        readings.stream().filter(DailyLedger::isNetMeter).sorted(Comparator.comparingLong(Reading::time))
                .forEach(r -> meters.computeIfAbsent(String.valueOf(r.tag("eid")), k -> new ArrayList<>()).add(r));
        for (List<Reading> meter : meters.values()) {
            BigDecimal meterPower = maxPower(meter, "active_power_w");
            run(points(meter, "energy_delivered_wh", null), true, resets, meterPower, days, gridSpans,
                    (a, wh) -> a.meterImport = plus(a.meterImport, wh));
            run(points(meter, "energy_received_wh", null), true, resets, meterPower, days, gridSpans,
                    (a, wh) -> a.meterExport = plus(a.meterExport, wh));
        }
        run(points(system, "net_wh_lifetime", null), false, resets, maxPower(system, "net_w"), days, gridSpans,
                (a, wh) -> {
                    a.netImport = plus(a.netImport, wh.max(BigDecimal.ZERO));
                    a.netExport = plus(a.netExport, wh.negate().max(BigDecimal.ZERO));
                });
        boolean meterGrid = !meters.isEmpty();
        Set<LocalDate> cloudCounted = new HashSet<>();
        for (Reading r : readings) {
            if (!r.measurement().equals("cloud_interval") || r.field("energy_wh") == null) {
                continue;
            }
            long end = r.time();
            long start = end - Math.round(r.field("duration_s") == null ? 900 : r.field("duration_s"));
            String kind = String.valueOf(r.tag("kind"));
            List<long[]> spans = switch (kind) {
                case "production" -> producedSpans;
                case "consumption" -> consumedSpans;
                case "import", "export" -> gridSpans;
                default -> null;
            };
            if (spans == null || end <= start) {
                continue;
            }
            long uncovered = uncovered(start, end, spans);
            if (uncovered <= 0) {
                continue;
            }
            BigDecimal wh = new BigDecimal(Double.toString(r.field("energy_wh")))
                    .multiply(BigDecimal.valueOf(uncovered)).divide(BigDecimal.valueOf(end - start),
                            MathContext.DECIMAL64);
            LocalDate day = intervals.day(end - 1);
            Acc a = days.computeIfAbsent(day, k -> new Acc());
            switch (kind) {
                case "production" -> a.cloudProduced = plus(a.cloudProduced, wh);
                case "consumption" -> a.cloudConsumed = plus(a.cloudConsumed, wh);
                case "import" -> a.cloudImport = plus(a.cloudImport, wh);
                default -> a.cloudExport = plus(a.cloudExport, wh);
            }
            cloudCounted.add(day);
        }
        for (Reading r : readings) {
            if (!r.measurement().equals("cloud_day")) {
                continue;
            }
            LocalDate day = intervals.day(r.time());
            Acc a = days.computeIfAbsent(day, k -> new Acc());
            Double p = r.field("production_wh");
            Double c = r.field("consumption_wh");
            if (p != null && a.produced == null && a.cloudProduced == null) {
                a.cloudProduced = new BigDecimal(Double.toString(p));
                a.flags.add("cloud-day");
            }
            if (c != null && a.consumed == null && a.cloudConsumed == null) {
                a.cloudConsumed = new BigDecimal(Double.toString(c));
                a.flags.add("cloud-day");
            }
        }
        for (Map.Entry<LocalDate, Acc> e : days.entrySet()) {
            Acc a = e.getValue();
            if (cloudCounted.contains(e.getKey())) {
                a.flags.add("cloud");
            }
            a.produced = plusNullable(a.produced, a.cloudProduced);
            a.consumed = plusNullable(a.consumed, a.cloudConsumed);
            if (meterGrid || a.meterImport != null || a.meterExport != null) {
                a.meterImport = plusNullable(a.meterImport, a.cloudImport);
                a.meterExport = plusNullable(a.meterExport, a.cloudExport);
            } else {
                a.netImport = plusNullable(a.netImport, a.cloudImport);
                a.netExport = plusNullable(a.netExport, a.cloudExport);
            }
        }

        List<LedgerDay> out = new ArrayList<>();
        days.forEach((day, a) -> out.add(toDay(gateway, day, a)));
        return out;
    }

    /** Seconds of {@code start..end} outside every span. */
    static long uncovered(long start, long end, List<long[]> spans) {
        List<long[]> hits = new ArrayList<>();
        for (long[] s : spans) {
            if (s[0] < end && s[1] > start) {
                hits.add(new long[]{Math.max(s[0], start), Math.min(s[1], end)});
            }
        }
        hits.sort(Comparator.comparingLong(x -> x[0]));
        long covered = 0;
        long reach = start;
        for (long[] h : hits) {
            long from = Math.max(h[0], reach);
            if (h[1] > from) {
                covered += h[1] - from;
                reach = h[1];
            }
        }
        return (end - start) - covered;
    }

    private static BigDecimal plusNullable(BigDecimal a, BigDecimal b) {
        return b == null ? a : plus(a, b);
    }

    private void run(List<CounterIntervals.Point> points, boolean monotonic, Set<Long> resets, BigDecimal maxPowerW,
            Map<LocalDate, Acc> days, List<long[]> spans, BiConsumer<Acc, BigDecimal> add) {
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

            @Override
            public void covered(long from, long to) {
                spans.add(new long[]{from, to});
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
