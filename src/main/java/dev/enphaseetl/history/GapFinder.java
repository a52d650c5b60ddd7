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

import dev.enphaseetl.health.PipelineMetrics;
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

    /**
     * The only measurements looked at: the ones whose time moves with every poll, day and night, as long as the
     * gateway answers (docs/cloud.md). {@code system} and {@code system_phase}, {@code eim} ({@code production-json}
     * every 60 s, the CTs' {@code readingTime}) and {@code meter} ({@code ivp-meters-readings} every 60 s, the meters'
     * {@code timestamp}). Every other measurement is left out: the inverters' ({@code inverter},
     * {@code inverter_detail}) report in daylight only; {@code pdm_energy} borrows the newest device report's time and
     * stands still on firmware whose endpoint stops refreshing; {@code livedata} and {@code livedata_battery} move only
     * while the gateway's live stream is on (docs/live.md); {@code live} is the optional high-rate mode;
     * {@code consumption_report}'s {@code createdAt} has no steady rhythm; the battery measurements ({@code storage},
     * {@code battery}, {@code battery_aggregate}) stand still with the battery's reports; {@code cloud_interval} and
     * {@code cloud_day} are not the gateway's own readings.
     */
    public static final List<String> LOOKED_AT = List.of("system", "system_phase", "eim", "meter");

    /**
     * Gaps and whole missing days of one look at the archive; {@code gateways}: every gateway with a reading of a
     * measurement looked at in the window, with or without gaps.
     */
    public record Report(Instant checkedAt, List<Gap> gaps, Map<String, List<LocalDate>> missingDays,
            java.util.Set<String> gateways) {

        /** A report whose gateways are those named by its gaps and missing days. */
        public Report(Instant checkedAt, List<Gap> gaps, Map<String, List<LocalDate>> missingDays) {
            this(checkedAt, gaps, missingDays, named(gaps, missingDays));
        }

        private static java.util.Set<String> named(List<Gap> gaps, Map<String, List<LocalDate>> missingDays) {
            java.util.Set<String> s = new TreeSet<>(missingDays.keySet());
            gaps.forEach(g -> s.add(g.gateway()));
            return s;
        }

        /**
         * Pure: per gateway of the report (all of them, 0 when it has none) the number of gaps, the longest in
         * seconds and the missing days: what {@code enphase_archive_*} show.
         */
        public Map<String, PipelineMetrics.ArchiveGapCounts> counts() {
            Map<String, PipelineMetrics.ArchiveGapCounts> out = new TreeMap<>();
            java.util.Set<String> all = new TreeSet<>(gateways);
            all.addAll(named(gaps, missingDays));
            Map<String, Duration> longest = longest();
            for (String gw : all) {
                out.put(gw, new PipelineMetrics.ArchiveGapCounts(of(gw).size(),
                        longest.getOrDefault(gw, Duration.ZERO).toSeconds(),
                        missingDays.getOrDefault(gw, List.of()).size()));
            }
            return out;
        }

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
            if (!LOOKED_AT.contains(m.name())) {
                continue;
            }
            Map<String, long[]> times = times(archive, m, from.getEpochSecond(), now.getEpochSecond());
            times.forEach((gw, t) -> {
                gaps.addAll(gaps(gw, m.name(), t, from.getEpochSecond(), now.getEpochSecond()));
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
        return new Report(now, gaps, missing, java.util.Collections.unmodifiableSet(all.keySet()));
    }

    /** {@link #gaps(String, String, long[], long, long)} of a window that starts before the first reading's day. */
    List<Gap> gaps(String gateway, String measurement, long[] sorted, long now) {
        return gaps(gateway, measurement, sorted, Long.MIN_VALUE, now);
    }

    /**
     * Pure: the gaps in sorted reading times of the window {@code [from, now)}: before the first reading (from the
     * start of its local day, but not before {@code from}: the archive before the window is not looked at), between
     * readings, and after the last one (until now), each only when longer than the threshold.
     */
    List<Gap> gaps(String gateway, String measurement, long[] sorted, long from, long now) {
        List<Gap> out = new ArrayList<>();
        if (sorted.length == 0) {
            return out;
        }
        long t = threshold.toSeconds();
        long dayStart = LocalDate.ofInstant(Instant.ofEpochSecond(sorted[0]), zone).atStartOfDay(zone)
                .toEpochSecond();
        add(out, gateway, measurement, Math.max(dayStart, from), sorted[0], t);
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
