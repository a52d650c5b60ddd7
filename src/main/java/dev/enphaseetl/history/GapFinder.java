package dev.enphaseetl.history;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.enphaseetl.model.Schema;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.SqlTable;

/**
 * Finds the holes of the SQL archive: per gateway and measurement, periods longer than the threshold
 * ({@code enphase.cloud.gap-threshold}) without a local reading, and the local days with no reading at all between a
 * gateway's first day in the window and today. Cloud data ({@code source=cloud}) never closes a gap here: the report
 * is about what the gateway gave. Needs no cloud account.
 */
public final class GapFinder {

    /** Not the gateway's own readings, or without a steady rhythm (inverters report in daylight only). */
    static final java.util.Set<String> SKIPPED = java.util.Set.of("cloud_interval", "cloud_day", "live",
            "consumption_report", "inverter", "inverter_detail", "battery", "battery_aggregate", "storage");

    /** Gaps and whole missing days of one look at the archive. */
    public record Report(Instant checkedAt, List<Gap> gaps, Map<String, List<LocalDate>> missingDays) {
        /** Gaps of one gateway. */
        public List<Gap> of(String gateway) {
            return gaps.stream().filter(g -> g.gateway().equals(gateway)).toList();
        }

        /** Longest gap per gateway (any measurement). */
        public Map<String, Duration> longest() {
            Map<String, Duration> out = new TreeMap<>();
            gaps.forEach(g -> out.merge(g.gateway(), g.length(), (a, b) -> a.compareTo(b) >= 0 ? a : b));
            return out;
        }
    }

    private final Duration threshold;
    private final ZoneId zone;

    public GapFinder(Duration threshold, ZoneId zone) {
        this.threshold = threshold;
        this.zone = zone;
    }

    /** Looks at {@code [from, now)} of the archive. */
    public Report find(JdbcSink archive, Instant from, Instant now) {
        Map<String, TreeSet<Long>> all = new TreeMap<>();
        List<Gap> gaps = new ArrayList<>();
        for (Schema.Measurement m : Schema.all()) {
            if (SKIPPED.contains(m.name())) {
                continue;
            }
            Map<String, long[]> times = times(archive, m, from.getEpochSecond(), now.getEpochSecond());
            times.forEach((gw, t) -> {
                gaps.addAll(gaps(gw, m.name(), t, now.getEpochSecond()));
                TreeSet<Long> s = all.computeIfAbsent(gw, k -> new TreeSet<>());
                for (long x : t) {
                    s.add(x);
                }
            });
        }
        Map<String, List<LocalDate>> missing = new TreeMap<>();
        all.forEach((gw, t) -> {
            TreeSet<LocalDate> seen = new TreeSet<>();
            t.forEach(x -> seen.add(LocalDate.ofInstant(Instant.ofEpochSecond(x), zone)));
            List<LocalDate> days = new ArrayList<>();
            for (LocalDate d = seen.first(); !d.isAfter(LocalDate.ofInstant(now, zone)); d = d.plusDays(1)) {
                if (!seen.contains(d)) {
                    days.add(d);
                }
            }
            if (!days.isEmpty()) {
                missing.put(gw, days);
            }
        });
        return new Report(now, gaps, missing);
    }

    /**
     * Pure: the gaps in sorted reading times: before the first reading (from the start of its local day), between
     * readings, and after the last one (until now), each only when longer than the threshold.
     */
    List<Gap> gaps(String gateway, String measurement, long[] sorted, long now) {
        List<Gap> out = new ArrayList<>();
        if (sorted.length == 0) {
            return out;
        }
        long t = threshold.toSeconds();
        long dayStart = LocalDate.ofInstant(Instant.ofEpochSecond(sorted[0]), zone).atStartOfDay(zone)
                .toEpochSecond();
        add(out, gateway, measurement, dayStart, sorted[0], t);
        for (int i = 1; i < sorted.length; i++) {
            add(out, gateway, measurement, sorted[i - 1], sorted[i], t);
        }
        add(out, gateway, measurement, sorted[sorted.length - 1], now, t);
        return out;
    }

    private static void add(List<Gap> out, String gw, String m, long a, long b, long threshold) {
        if (b - a > threshold) {
            out.add(new Gap(gw, m, Instant.ofEpochSecond(a), Instant.ofEpochSecond(b)));
        }
    }

    /** Distinct reading times per gateway of one measurement's table, sorted. */
    static Map<String, long[]> times(JdbcSink archive, Schema.Measurement m, long from, long to) {
        SqlTable table = SqlTable.of(m);
        String sql = "SELECT DISTINCT gateway, time FROM " + table.name()
                + " WHERE time >= ? AND time < ? ORDER BY gateway, time";
        return archive.withConnection((c, d) -> {
            Map<String, List<Long>> lists = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lists.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2));
                    }
                }
            }
            Map<String, long[]> out = new TreeMap<>();
            lists.forEach((gw, l) -> out.put(gw, l.stream().mapToLong(Long::longValue).toArray()));
            return out;
        });
    }
}
