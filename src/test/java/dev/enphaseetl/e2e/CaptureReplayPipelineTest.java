package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The whole pipeline on a real device's data: the embedded simulator serves a capture folder, and the system values
 * in the line protocol files equal the reference client's values for that device.
 */
@QuarkusTest
@TestProfile(CaptureReplayPipelineTest.Profile.class)
class CaptureReplayPipelineTest {

    static final String DEVICE = "7.3.466_with_cts_3phase";
    static final Path DATA = Path.of("target", "replay-" + Long.toString(System.nanoTime(), 36));
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("enphase.data-dir", DATA.toString());
            m.put("enphase.simulator.captures", FIXTURES.resolve("captures").resolve(DEVICE).toString());
            m.put("enphase.poll.first-delay", "500");
            m.put("enphase.poll.production-json.period", "1s");
            m.put("enphase.poll.api-v1-production.period", "1s");
            m.put("enphase.sink.poll-delay", "200");
            m.put("enphase.sink.jdbc.enabled", "false");
            m.put("enphase.sink.jdbc.enabled", "false");
            return m;
        }
    }

    private static Map<String, String> expectedSystem() throws IOException {
        try (Reader in = Files.newBufferedReader(FIXTURES.resolve("expected").resolve("system_values.csv"))) {
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                if (r.get("snapshot_id").equals(DEVICE)) {
                    return r.toMap();
                }
            }
        }
        throw new IllegalStateException("no reference row for " + DEVICE);
    }

    private static Optional<LineProtocolLines.Point> latestSystem() throws IOException {
        Path dir = DATA.resolve("lineprotocol");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> lines = files.flatMap(p -> {
                try {
                    return Files.readAllLines(p, StandardCharsets.UTF_8).stream();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).filter(l -> l.startsWith("system,")).toList();
            // merge all system lines of the device's timestamp, as InfluxDB and the SQL upserts do
            Map<String, Double> fields = new HashMap<>();
            LineProtocolLines.Point last = null;
            for (String l : lines) {
                last = LineProtocolLines.parse(l);
                fields.putAll(last.fields());
            }
            return last == null
                    ? Optional.empty()
                    : Optional.of(new LineProtocolLines.Point("system", last.tags(), fields, last.time()));
        }
    }

    private static long rounded(double v) {
        return new BigDecimal(v).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    @Test
    void systemValuesOfARealDeviceMatchTheReferenceClient() throws Exception {
        Map<String, String> expected = expectedSystem();
        Map<String, String> columns = Map.ofEntries(Map.entry("production_w", "prod_watts_now"),
                Map.entry("production_wh_today", "prod_watt_hours_today"),
                Map.entry("production_wh_last_7_days", "prod_watt_hours_last_7_days"),
                Map.entry("production_wh_lifetime", "prod_watt_hours_lifetime"),
                Map.entry("consumption_w", "cons_watts_now"),
                Map.entry("consumption_wh_lifetime", "cons_watt_hours_lifetime"),
                Map.entry("net_w", "net_watts_now"), Map.entry("net_wh_lifetime", "net_watt_hours_lifetime"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> latestSystem().map(p -> p.fields().keySet().containsAll(columns.keySet()))
                        .orElse(false));
        LineProtocolLines.Point system = latestSystem().orElseThrow();
        for (Map.Entry<String, String> c : columns.entrySet()) {
            assertThat(rounded(system.fields().get(c.getKey()))).as(c.getKey())
                    .isEqualTo(Long.parseLong(expected.get(c.getValue())));
        }
        // the CSV sink scans its own spool: its file may come a scan after the line protocol one
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(DATA.resolve("csv").resolve("system_phase")));
    }
}
