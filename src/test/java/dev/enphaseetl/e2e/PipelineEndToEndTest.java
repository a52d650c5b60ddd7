package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.hamcrest.Matchers;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import dev.enphaseetl.render.CsvRows;
import dev.enphaseetl.simulator.SimulatorConfig;
import dev.enphaseetl.status.StatusLine;

/**
 * The walking skeleton end to end: the application starts the built-in simulator (no gateway configured), polls
 * it, and writes line protocol and CSV under its data directory; a real InfluxDB 1.x accepts those lines and gives
 * the same values back.
 */
@QuarkusTest
@TestProfile(PipelineEndToEndTest.Profile.class)
class PipelineEndToEndTest {

    static final Path DATA = Path.of("target", "e2e-" + Long.toString(System.nanoTime(), 36));
    static final String INFLUX = System.getProperty("enphase.it.influx-url", "http://127.0.0.1:8086");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("enphase.data-dir", DATA.toString());
            m.put("enphase.poll.first-delay", "200");
            m.put("enphase.poll.production-json.period", "1s");
            m.put("enphase.poll.api-v1-production-inverters.period", "1s");
            m.put("enphase.poll.ivp-meters-readings.period", "1s");
            m.put("enphase.sink.poll-delay", "200");
            // every log line at DEBUG into a file, to prove no secret reaches a log line
            m.put("quarkus.log.level", "DEBUG");
            m.put("quarkus.log.console.level", "INFO");
            m.put("quarkus.log.file.enabled", "true");
            m.put("quarkus.log.file.path", DATA.resolve("debug.log").toString());
            m.put("quarkus.log.file.level", "DEBUG");
            return m;
        }
    }

    private static List<String> lineProtocolLines() throws IOException {
        Path dir = DATA.resolve("lineprotocol");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".lp")).sorted()
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p, StandardCharsets.UTF_8).stream();
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    }).filter(l -> !l.isBlank()).toList();
        }
    }

    private static Set<String> measurements(List<String> lines) {
        return lines.stream().map(l -> LineProtocolLines.parse(l).measurement()).collect(Collectors.toSet());
    }

    @Test
    void simulatorDataReachesLineProtocolAndCsvFiles() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> measurements(lineProtocolLines()).containsAll(Set.of("system", "inverter", "meter")));
        List<String> lines = lineProtocolLines();
        for (String line : lines) {
            LineProtocolLines.Point p = LineProtocolLines.parse(line);
            assertThat(p.tags()).containsKey("gateway");
            assertThat(p.fields()).isNotEmpty();
        }
        // every system point also arrives as a CSV row with the schema's header
        Path csvDir = DATA.resolve("csv").resolve("system");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!Files.isDirectory(csvDir)) {
                return false;
            }
            try (Stream<Path> files = Files.list(csvDir)) {
                return files.anyMatch(p -> p.toString().endsWith(".csv") && p.toFile().length() > 0);
            }
        });
        Path csv;
        try (Stream<Path> files = Files.list(csvDir)) {
            csv = files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow();
        }
        try (Reader in = Files.newBufferedReader(csv)) {
            List<CSVRecord> records = CSVFormat.RFC4180.parse(in).getRecords();
            assertThat(records.get(0).toList()).isEqualTo(CsvRows.header("system"));
            assertThat(records).hasSizeGreaterThan(1);
            int pw = CsvRows.header("system").indexOf("production_w");
            Map<Long, String> lpProduction = lines.stream().map(LineProtocolLines::parse)
                    .filter(p -> p.measurement().equals("system") && p.fields().containsKey("production_w"))
                    .collect(Collectors.toMap(LineProtocolLines.Point::time,
                            p -> CsvRows.formatNumber(p.fields().get("production_w")), (a, b) -> a));
            for (CSVRecord r : records.subList(1, records.size())) {
                long t = Long.parseLong(r.get(CsvRows.header("system").indexOf("epoch_s")));
                if (lpProduction.containsKey(t)) {
                    assertThat(r.get(pw)).as("CSV production_w at %s", t).isEqualTo(lpProduction.get(t));
                }
            }
        }
    }

    @Test
    void influxDbAcceptsTheLineProtocolFilesAndGivesTheValuesBack() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> measurements(lineProtocolLines()).containsAll(Set.of("system", "inverter", "meter")));
        List<String> lines = lineProtocolLines();
        String db = "enphase_e2e_" + Long.toString(System.nanoTime(), 36);
        HttpClient http = HttpClient.newHttpClient();
        try {
            post(http, "/query", "q=" + enc("CREATE DATABASE " + db));
            HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(INFLUX + "/write?db=" + db
                    + "&precision=s")).POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines) + "\n"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(write.statusCode()).as("InfluxDB /write answer: %s", write.body()).isEqualTo(204);

            // every point back, values equal (the same series and time written twice is one point, fields merged)
            try (InfluxDB client = InfluxDBFactory.connect(INFLUX)) {
                InfluxReadBack.check(client, db, LineProtocolLines.merged(lines));
            }
        } finally {
            post(http, "/query", "q=" + enc("DROP DATABASE " + db));
        }
    }

    @Inject
    StatusLine statusLine;

    @Test
    void healthMetricsAndStatusLineCoverGatewaysAndSinks() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> measurements(lineProtocolLines()).contains("system"));
        RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("status", Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'enphase-etl pipeline' }.data.'sink.lineprotocol.reachable'",
                        Matchers.equalTo("yes"))
                .body("checks.find { it.name == 'enphase-etl pipeline' }.data.'gateway.200509000001.token'",
                        Matchers.equalTo("UP"));
        String line = statusLine.print();
        assertThat(line).startsWith("gateways OK 1/1").contains("lineprotocol ").contains("csv ");
        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("enphase_polls_total{endpoint=\"production-json\",outcome=\"ok\"")
                .contains("enphase_sink_points_total{sink=\"lineprotocol\"")
                .contains("enphase_spool_depth{sink=\"csv\"")
                .contains("enphase_token_days_left{gateway=\"200509000001\"")
                .contains("enphase_poll_duration_seconds_count{endpoint=\"production-json\"");
    }

    @Test
    void noTokenReachesAnyLogLineEvenAtDebug() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> measurements(lineProtocolLines()).contains("system"));
        String log = Files.readString(DATA.resolve("debug.log"), StandardCharsets.UTF_8);
        assertThat(log).as("the DEBUG log has content").contains("dev.enphaseetl").hasSizeGreaterThan(10_000);
        String token = SimulatorConfig.DEV_TOKEN;
        for (String secret : List.of(token, token.split("\\.")[1], token.split("\\.")[2], "Bearer ey")) {
            assertThat(log).as("log must not contain a secret").doesNotContain(secret);
        }
    }

    @Test
    void theInboxImportsArchivedCapturesAndParksWhatItCannotRead() throws Exception {
        Path capture = Path.of("src/test/resources/fixtures/captures/7.3.466_with_cts_3phase");
        Path inbox = DATA.resolve("inbox").resolve("archived-gw");
        Path staging = DATA.resolve("staging");
        Files.createDirectories(staging);
        Files.createDirectories(inbox.getParent());
        // staged, then moved in one rename, so the inbox sees the whole folder at once
        Path folder = staging.resolve("archived-gw");
        Files.createDirectories(folder);
        try (Stream<Path> files = Files.list(capture)) {
            for (Path f : files.toList()) {
                Files.copy(f, folder.resolve(f.getFileName()));
            }
        }
        Files.writeString(folder.resolve("ivp_meters_readings_broken"), "{not json");
        Files.writeString(folder.resolve("api_v1_production_inverters"), "[{\"serialNumber\": ");
        Files.move(folder, inbox);

        String expectedSerial = "123456789012";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> lineProtocolLines().stream().anyMatch(l -> l.startsWith("system,gateway="
                        + expectedSerial + " ") && l.contains("production_w=")));
        LineProtocolLines.Point system = lineProtocolLines().stream().map(LineProtocolLines::parse)
                .filter(p -> p.measurement().equals("system") && expectedSerial.equals(p.tags().get("gateway"))
                        && p.fields().containsKey("production_w"))
                .findFirst().orElseThrow();
        JsonNode pj = new ObjectMapper()
                .readTree(capture.resolve("production.json").toFile());
        double eimProduction = pj.path("production").get(1).path("wNow").asDouble();
        assertThat(system.fields().get("production_w")).isEqualTo(eimProduction);
        // the malformed file is kept, not dropped
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".failed")
                .resolve("api_v1_production_inverters")));
        // so is a payload dropped in the inbox itself, outside a gateway folder
        Files.writeString(staging.resolve("production.json"), Files.readString(capture.resolve("production.json")));
        Files.move(staging.resolve("production.json"), inbox.getParent().resolve("production.json"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.getParent().resolve(".failed")
                .resolve("production.json")));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void post(HttpClient http, String path, String form) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(INFLUX + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
