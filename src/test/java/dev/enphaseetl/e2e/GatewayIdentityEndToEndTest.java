package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.Reader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.simulator.Fault;
import dev.enphaseetl.simulator.GatewaySimulator;
import dev.enphaseetl.simulator.SimulatorConfig;

/**
 * A gateway configured with a {@code name}, whose /info does not answer the first polls: every {@code gateway} value
 * in every sink (line protocol, CSV, SQL, InfluxDB, the ledger, the inbox) is the serial, and the polls made before
 * the serial was known are written too (held, then parsed when /info answered). Its name and extra tags reach every
 * sink too: tags on every point (line protocol, InfluxDB, inbox readings), a row of gateways.csv and of the SQL
 * gateways table. Real simulator over HTTPS, real sinks.
 */
@QuarkusTest
@TestProfile(GatewayIdentityEndToEndTest.Profile.class)
class GatewayIdentityEndToEndTest {

    static final Path DATA = Path.of("target", "identity-" + Long.toString(System.nanoTime(), 36));
    static final String INFLUX = System.getProperty("enphase.it.influx-url", "http://127.0.0.1:8086");
    static final String DB = "enphase_identity_" + Long.toString(System.nanoTime(), 36);
    static final String NAME = "roof";
    static final GatewaySimulator SIM;

    static {
        SIM = new GatewaySimulator(SimulatorConfig.builder().httpPort(-1).httpsPort(0).gatewayCount(1).seed(4242)
                .build());
        SIM.start();
        // /info fails at first: the data endpoints are polled before the serial is known
        SIM.gateway(0).setFault(Endpoint.INFO, Fault.httpStatus(503));
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("enphase.data-dir", DATA.toString());
            m.put("enphase.simulator.enabled", "false");
            m.put("enphase.gateways[0].host", SIM.baseUrl(0, true));
            m.put("enphase.gateways[0].name", NAME);
            m.put("enphase.gateways[0].token", SimulatorConfig.DEV_TOKEN);
            m.put("enphase.gateways[0].certificate-sha256", SIM.certificateSha256());
            m.put("enphase.gateways[0].tags.site", "home");
            m.put("enphase.poll.first-delay", "200");
            m.put("enphase.poll.info.period", "2s");
            m.put("enphase.poll.production-json.period", "1s");
            m.put("enphase.poll.ivp-meters-readings.period", "1s");
            m.put("enphase.poll.api-v1-production-inverters.period", "1s");
            m.put("enphase.sink.poll-delay", "200");
            m.put("enphase.sink.influxdb.url", INFLUX);
            m.put("enphase.sink.influxdb.database", DB);
            m.put("enphase.ledger.first-delay", "3s");
            return m;
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        query("DROP DATABASE " + DB);
        SIM.close();
    }

    @Test
    void everyGatewayValueInEverySinkIsTheSerialFromTheFirstPoll() throws Exception {
        String serial = SIM.gateway(0).serial();
        // data endpoints answered while /info did not
        // (the spool holds nothing yet: answers wait until the serial is known, so requests are what to wait for)
        await().atMost(Duration.ofSeconds(60)).until(() -> SIM.gateway(0).fault(Endpoint.INFO).status() == 503
                && SIM.gateway(0).maxRequestsAtOnce() >= 1);
        Thread.sleep(3000);
        long cleared = System.currentTimeMillis() / 1000;
        SIM.gateway(0).clearFaults();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> lines().stream()
                .anyMatch(l -> l.startsWith("system,")) && lines().stream().anyMatch(l -> l.startsWith("meter,")));
        // the polls before the serial was known were held and written, not lost
        assertThat(lines().stream().map(LineProtocolLines::parse).filter(p -> p.measurement().equals("system")))
                .anyMatch(p -> p.time() < cleared);

        // line protocol
        List<String> lines = lines();
        assertThat(lines).isNotEmpty().allSatisfy(l -> {
            LineProtocolLines.Point p = LineProtocolLines.parse(l);
            assertThat(p.tags()).containsEntry("gateway", serial).containsEntry("site", "home")
                    .containsEntry("gateway_name", NAME);
        });

        // CSV
        await().atMost(Duration.ofSeconds(30)).until(() -> !csvGateways().isEmpty());
        assertThat(csvGateways()).containsExactly(serial);
        // the name and tags reach CSV as gateways.csv, one row per serial
        Path gatewaysCsv = DATA.resolve("csv").resolve("gateways.csv");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(gatewaysCsv));
        try (Reader in = Files.newBufferedReader(gatewaysCsv)) {
            List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)
                    .getRecords();
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).toMap()).containsEntry("gateway", serial).containsEntry("name", NAME)
                    .containsEntry("site", "home");
        }

        // SQL (SQLite archive)
        await().atMost(Duration.ofSeconds(30)).until(() -> !sqlGateways().isEmpty());
        assertThat(sqlGateways()).containsExactly(serial);
        // ... and SQL as the gateways table
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + DATA.resolve("enphase.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT gateway, name, tags FROM gateways")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("gateway")).isEqualTo(serial);
            assertThat(rs.getString("name")).isEqualTo(NAME);
            assertThat(new ObjectMapper().readTree(rs.getString("tags")).path("site").asText()).isEqualTo("home");
            assertThat(rs.next()).isFalse();
        }

        // InfluxDB
        await().atMost(Duration.ofSeconds(30)).until(() -> !influxGateways().isEmpty());
        assertThat(influxGateways()).containsExactly(serial);
        assertThat(query("SHOW TAG VALUES FROM \"system\" WITH KEY = \"site\"").toString()).contains("home");
        assertThat(query("SHOW TAG VALUES FROM \"system\" WITH KEY = \"gateway_name\"").toString()).contains(NAME);

        // the ledger
        Path ledger = DATA.resolve("ledger");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(ledger) && !ledgerGateways(ledger)
                .isEmpty());
        assertThat(ledgerGateways(ledger)).containsExactly(serial);

        // the inbox: a capture dropped into the gateway's folder (its name) is this gateway's
        Path capture = Path.of("src/test/resources/fixtures/captures/7.6.175_with_cts");
        Path staging = DATA.resolve("staging");
        Files.createDirectories(staging);
        Files.createDirectories(DATA.resolve("inbox"));
        Path folder = staging.resolve(NAME);
        Files.createDirectories(folder);
        Files.copy(capture.resolve("api_v1_production_inverters"), folder.resolve("api_v1_production_inverters"));
        Files.move(folder, DATA.resolve("inbox").resolve(NAME));
        String capturedInverter = new ObjectMapper().readTree(capture.resolve("api_v1_production_inverters")
                .toFile()).get(0).get("serialNumber").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> lines().stream().anyMatch(l -> l.startsWith("inverter,")
                && l.contains("serial=" + capturedInverter)));
        assertThat(lines().stream().filter(l -> l.contains("serial=" + capturedInverter)).map(LineProtocolLines::parse))
                .allSatisfy(p -> assertThat(p.tags()).containsEntry("gateway", serial).containsEntry("site", "home")
                        .containsEntry("gateway_name", NAME));
        assertThat(String.join("\n", lines())).doesNotContain("gateway=" + NAME);
    }

    private static List<String> lines() throws Exception {
        Path dir = DATA.resolve("lineprotocol");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".lp")).sorted().flatMap(p -> {
                try {
                    return Files.readAllLines(p, StandardCharsets.UTF_8).stream();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }).filter(l -> !l.isBlank()).toList();
        }
    }

    private static Set<String> csvGateways() throws Exception {
        Set<String> out = new TreeSet<>();
        Path root = DATA.resolve("csv");
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".csv")).toList()) {
                try (Reader in = Files.newBufferedReader(p)) {
                    List<CSVRecord> rs = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                            .parse(in).getRecords();
                    rs.forEach(r -> out.add(r.get("gateway")));
                }
            }
        }
        return out;
    }

    private static Set<String> sqlGateways() throws Exception {
        Set<String> out = new TreeSet<>();
        Path db = DATA.resolve("enphase.db");
        if (!Files.exists(db)) {
            return out;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String table : List.of("system", "meter", "inverter", "eim", "inverter_detail")) {
                try (ResultSet rs = s.executeQuery("SELECT DISTINCT gateway FROM " + table)) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> influxGateways() throws Exception {
        Set<String> out = new TreeSet<>();
        JsonNode series = query("SHOW TAG VALUES WITH KEY = \"gateway\"").path("results").path(0).path("series");
        for (JsonNode s : series) {
            for (JsonNode v : s.path("values")) {
                out.add(v.get(1).asText());
            }
        }
        return out;
    }

    private static Set<String> ledgerGateways(Path dir) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches("ledger-\\d{4}\\.csv")).toList()) {
                try (Reader in = Files.newBufferedReader(p)) {
                    CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)
                            .forEach(r -> out.add(r.get("gateway")));
                }
            }
        }
        return out;
    }

    private static JsonNode query(String q) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(INFLUX + "/query?db="
                + DB + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }
}
