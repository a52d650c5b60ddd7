package dev.enphaseetl.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;

/**
 * The gap report over a real (SQLite) archive: which measurements are looked at, and the {@code enphase_archive_*}
 * gauges of successive reports.
 */
class ArchiveGapReportTest {

    static final long DAY = 1_781_049_600L; // 2026-06-10T00:00:00Z
    static final GapFinder FINDER = new GapFinder(Duration.ofMinutes(10), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    /** One reading of {@code measurement} every minute in [from, to). */
    static List<Reading> everyMinute(String measurement, String gateway, long from, long to) {
        List<Reading> out = new ArrayList<>();
        for (long t = from; t < to; t += 60) {
            out.add(Reading.of(measurement, t).tag("gateway", gateway).field(field(measurement), 1.0).build());
        }
        return out;
    }

    static String field(String measurement) {
        return switch (measurement) {
            case "system" -> "production_w";
            case "livedata" -> "active_power_w";
            case "livedata_battery", "battery_aggregate" -> "soc_pct";
            case "pdm_energy" -> "power_w";
            default -> throw new IllegalArgumentException(measurement);
        };
    }

    static Map<String, Double> gauges(SimpleMeterRegistry registry, String gateway) {
        Map<String, Double> out = new TreeMap<>();
        for (String name : List.of("enphase_archive_gaps", "enphase_archive_longest_gap_seconds",
                "enphase_archive_missing_days")) {
            Gauge g = registry.find(name).tag("gateway", gateway).gauge();
            out.put(name, g == null ? null : g.value());
        }
        return out;
    }

    static Map<String, Double> gauges(double gaps, double longest, double missing) {
        Map<String, Double> out = new TreeMap<>();
        out.put("enphase_archive_gaps", gaps);
        out.put("enphase_archive_longest_gap_seconds", longest);
        out.put("enphase_archive_missing_days", missing);
        return out;
    }

    @Test
    void aGapOfABatteryOrLivedataOrPdmMeasurementIsNotReportedAndASystemGapIs() throws Exception {
        try (JdbcSink sql = new JdbcSink(JdbcSinkConfig.sqlite(tmp.resolve("data")))) {
            List<Reading> batch = new ArrayList<>();
            // system: steady all day but 06:00 to 08:00
            batch.addAll(everyMinute("system", "gw", DAY, DAY + 6 * 3600));
            batch.addAll(everyMinute("system", "gw", DAY + 8 * 3600, DAY + 12 * 3600));
            // livedata, livedata_battery (live stream off 02:00 to 10:00), pdm_energy, battery_aggregate: holes
            for (String m : List.of("livedata", "livedata_battery", "pdm_energy", "battery_aggregate")) {
                batch.addAll(everyMinute(m, "gw", DAY, DAY + 2 * 3600));
                batch.addAll(everyMinute(m, "gw", DAY + 10 * 3600, DAY + 12 * 3600));
            }
            sql.deliver(batch);

            GapFinder.Report r = FINDER.find(sql, Instant.ofEpochSecond(DAY - 86_400),
                    Instant.ofEpochSecond(DAY + 12 * 3600));

            assertThat(r.gaps()).extracting(Gap::measurement, g -> g.start().getEpochSecond() - DAY,
                    g -> g.end().getEpochSecond() - DAY)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("system", 6 * 3600L - 60, 8 * 3600L));
            assertThat(GapFinder.LOOKED_AT).containsExactly("system", "system_phase", "eim", "meter");
        }
    }

    @Test
    void theWindowsStartIsNoGap() throws Exception {
        try (JdbcSink sql = new JdbcSink(JdbcSinkConfig.sqlite(tmp.resolve("data")))) {
            sql.deliver(everyMinute("system", "gw", DAY, DAY + 12 * 3600));
            // a window starting at 05:00 cuts a steady archive: nothing is missing before its first reading
            GapFinder.Report r = FINDER.find(sql, Instant.ofEpochSecond(DAY + 5 * 3600),
                    Instant.ofEpochSecond(DAY + 12 * 3600));
            assertThat(r.gaps()).isEmpty();
            assertThat(r.gateways()).containsExactly("gw");
            // an archive that begins at 02:00 of its first day still has its morning gap
            assertThat(FINDER.gaps("gw", "system", new long[]{DAY + 7200, DAY + 7260}, DAY - 3600, DAY + 7300))
                    .extracting(g -> g.start().getEpochSecond() - DAY).containsExactly(0L);
        }
    }

    @Test
    void everyGatewayOfTheLastReportHasAllThreeGaugesAndOneWithoutGapsDropsToZero() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        try (JdbcSink sql = new JdbcSink(JdbcSinkConfig.sqlite(tmp.resolve("data")))) {
            // "gapped": stopped 06:00 to 08:00; "steady": every minute all day
            sql.deliver(everyMinute("system", "gapped", DAY, DAY + 6 * 3600));
            sql.deliver(everyMinute("system", "gapped", DAY + 8 * 3600, DAY + 2 * 86_400));
            sql.deliver(everyMinute("system", "steady", DAY, DAY + 2 * 86_400));

            // first report: the day with the gap in the window
            GapFinder.Report first = FINDER.find(sql, Instant.ofEpochSecond(DAY),
                    Instant.ofEpochSecond(DAY + 12 * 3600));
            metrics.archiveGaps(first.counts());
            assertThat(gauges(registry, "gapped")).isEqualTo(gauges(1, 2 * 3600 + 60, 0));
            assertThat(gauges(registry, "steady")).isEqualTo(gauges(0, 0, 0));

            // second report a day later: the gap has left the window, the gauges say so
            GapFinder.Report second = FINDER.find(sql, Instant.ofEpochSecond(DAY + 86_400),
                    Instant.ofEpochSecond(DAY + 86_400 + 12 * 3600));
            assertThat(second.gaps()).isEmpty();
            metrics.archiveGaps(second.counts());
            assertThat(gauges(registry, "gapped")).isEqualTo(gauges(0, 0, 0));
            assertThat(gauges(registry, "steady")).isEqualTo(gauges(0, 0, 0));
        }
    }

    @Test
    void aGatewayWithOnlyMissingDaysHasAllThreeGaugesAndAGatewayNoLongerReportedDropsToZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        Gap gap = new Gap("a", "system", Instant.ofEpochSecond(DAY), Instant.ofEpochSecond(DAY + 3600));
        metrics.archiveGaps(new GapFinder.Report(Instant.ofEpochSecond(DAY + 3 * 86_400), List.of(gap),
                Map.of("b", List.of(LocalDate.of(2026, 6, 11), LocalDate.of(2026, 6, 12)))).counts());
        assertThat(gauges(registry, "a")).isEqualTo(gauges(1, 3600, 0));
        assertThat(gauges(registry, "b")).isEqualTo(gauges(0, 0, 2));

        // the next report knows neither gateway (their readings left the window): both drop to 0
        metrics.archiveGaps(new GapFinder.Report(Instant.ofEpochSecond(DAY + 10 * 86_400), List.of(), Map.of(),
                java.util.Set.of("c")).counts());
        assertThat(gauges(registry, "a")).isEqualTo(gauges(0, 0, 0));
        assertThat(gauges(registry, "b")).isEqualTo(gauges(0, 0, 0));
        assertThat(gauges(registry, "c")).isEqualTo(gauges(0, 0, 0));
    }
}
