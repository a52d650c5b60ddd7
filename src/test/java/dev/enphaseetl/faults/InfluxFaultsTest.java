package dev.enphaseetl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.awaitility.core.ConditionTimeoutException;
import org.hamcrest.Matchers;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import dev.enphaseetl.e2e.InfluxReadBack;
import dev.enphaseetl.e2e.LineProtocolLines;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.spool.DurableFiles;
import dev.enphaseetl.spool.SpoolCodec;

/**
 * InfluxDB faults against a private influxd: a field type conflict inside a batch of 5,000 (one reading parked, the
 * rest delivered), then the server stopped for several poll cycles and started again (every point arrives).
 */
@QuarkusTest
@TestProfile(InfluxFaultsTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InfluxFaultsTest {

    static final Path DATA = FaultEnv.dataDir("influx");
    static final int PORT = FaultEnv.port("influx");
    static final String DB = "faults";
    static final ObjectMapper JSON = new ObjectMapper();
    static PrivateInflux influx;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return FaultEnv.influxOnly(DATA, "http://127.0.0.1:" + PORT, DB);
        }
    }

    @Inject
    CamelContext camel;

    static synchronized PrivateInflux influx() throws Exception {
        if (influx == null) {
            influx = new PrivateInflux(PORT).start();
            influx.query(null, "CREATE DATABASE " + DB);
        }
        return influx;
    }

    @AfterAll
    static void stopInflux() throws Exception {
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    @Order(1)
    void aTypeConflictParksOneReadingOf5000() throws Exception {
        PrivateInflux db = influx();
        // the field "odd" exists as a string in the shard the batch goes to: a float "odd" is a field type conflict
        assertThat(db.write(DB, "faultprobe,gateway=other odd=\"text\" 1700002345\n")).isEqualTo(204);
        List<Reading> batch = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Reading.Builder b = Reading.of("faultprobe", 1_700_000_000L + i).tag("gateway", "probe")
                    .field("value", (double) i);
            if (i == 2345) {
                b.field("odd", 1.5);
            }
            batch.add(b.build());
        }
        Path spool = DATA.resolve("spool").resolve("influxdb");
        long t0 = System.nanoTime();
        DurableFiles.writeAtomically(DATA.resolve("spool").resolve(".tmp"), spool.resolve("0000000000000-probe.jsonl"),
                SpoolCodec.encode(batch));
        Path dead = DATA.resolve("dead-letter").resolve("influxdb");
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                .until(() -> FaultFiles.list(dead, ".json").size() == 1 && !Files.exists(
                        spool.resolve("0000000000000-probe.jsonl")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long delivered = count(db, "SELECT count(\"value\") FROM faultprobe");
        List<Reading> parked = SpoolCodec.decode(Files.readString(FaultFiles.list(dead, ".jsonl").get(0)));
        JsonNode meta = JSON.readTree(FaultFiles.list(dead, ".json").get(0).toFile());
        System.out.printf("FIGURES type-conflict: batch=5000 delivered=%d parked=%d in %d ms; reason: %s%n",
                delivered, parked.size(), ms, meta.path("error").asText());
        assertThat(delivered).isEqualTo(4999);
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).time()).isEqualTo(1_700_000_000L + 2345);
        assertThat(meta.path("error").asText()).contains("field type conflict").contains("odd");
        assertThat(meta.path("readings").asInt()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void everyPointArrivesAfterAnOutage() throws Exception {
        PrivateInflux db = influx();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> countAll(db) > 0);
        long before = countAll(db);
        db.stop();
        long stoppedAt = System.nanoTime();
        Thread.sleep(6_000); // several poll cycles of 1 s
        long spooledDuringOutage = FaultFiles.list(DATA.resolve("spool").resolve("influxdb"), ".jsonl").size();
        int linesAtRestart = FaultFiles.lineProtocol(DATA).size();
        // readiness is DOWN while InfluxDB is away, naming the sink
        RestAssured.given().get("/q/health/ready").then().statusCode(503)
                .body("status", Matchers.equalTo("DOWN"))
                .body("checks.find { it.name == 'enphase-etl pipeline' }.data.'sink.influxdb.reachable'",
                        Matchers.equalTo("no"));
        db.start();
        long outageMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        Thread.sleep(3_000); // polls go on after the restart
        FaultEnv.stopPolling(camel);
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                .until(() -> FaultFiles.list(DATA.resolve("spool").resolve("influxdb"), ".jsonl").isEmpty()
                        && FaultFiles.list(DATA.resolve("spool").resolve("lineprotocol"), ".jsonl").isEmpty());
        long drainMs = (System.nanoTime() - t0) / 1_000_000;
        // and UP again once it is back and the spool drained
        String[] lastHealth = {""};
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
                // the polling routes were stopped above, which Camel's own route check reports; ours is the one
                var r = RestAssured.given().get("/q/health/ready");
                lastHealth[0] = r.asString();
                return "UP".equals(r.jsonPath().getString("checks.find { it.name == 'enphase-etl pipeline' }.status"));
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("readiness did not come back UP: " + lastHealth[0], e);
        }
        RestAssured.given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'enphase-etl pipeline' }.data.'sink.influxdb.reachable'",
                        Matchers.equalTo("yes"));

        List<String> lines = FaultFiles.lineProtocol(DATA);
        Map<String, LineProtocolLines.Point> expected = distinct(lines);
        long matched = assertHoldsExactly(db, DB, expected).size();
        System.out.printf(
                "FIGURES influx-outage: field values in InfluxDB before outage=%d, outage=%d ms, spool entries during "
                        + "outage=%d, LP lines at restart=%d, LP lines at end=%d, distinct points=%d, InfluxDB points "
                        + "matched=%d, drain after polling stopped=%d ms%n",
                before, outageMs, spooledDuringOutage,
                linesAtRestart, lines.size(), expected.size(), matched, drainMs);
        assertThat(matched).isEqualTo(expected.size());
        assertThat(spooledDuringOutage).isGreaterThan(0);
    }

    @Test
    @Order(3)
    void aParkedEntryMovedBackIntoTheSpoolIsDeliveredAgain() throws Exception {
        PrivateInflux db = influx();
        Path dead = DATA.resolve("dead-letter").resolve("influxdb");
        List<Path> parked = FaultFiles.list(dead, ".jsonl");
        assertThat(parked).as("the reading parked by the type-conflict test").hasSize(1);
        // the cause is removed (the conflicting string field goes with its measurement), then the entry is replayed
        db.query(DB, "DROP MEASUREMENT faultprobe");
        Path spool = DATA.resolve("spool").resolve("influxdb");
        Files.move(parked.get(0), spool.resolve(parked.get(0).getFileName()),
                StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> FaultFiles.list(spool, ".jsonl").isEmpty());
        long odd = count(db, "SELECT count(\"odd\") FROM faultprobe");
        System.out.printf("FIGURES replay: replayed 1 parked reading, InfluxDB now has %d faultprobe.odd value(s), "
                + "parked entries now %d%n", odd, FaultFiles.list(dead, ".jsonl").size());
        assertThat(odd).isEqualTo(1);
        assertThat(FaultFiles.list(dead, ".jsonl")).isEmpty();
    }

    /**
     * Asserts that {@code database} holds exactly the {@code expected} points (see {@link #distinct}): per measurement
     * as many points as expected, each one expected, with equal field values. Returns the series keys matched.
     */
    static Set<String> assertHoldsExactly(PrivateInflux db, String database,
            Map<String, LineProtocolLines.Point> expected) {
        Map<String, Map<String, LineProtocolLines.Point>> byMeasurement = new TreeMap<>();
        expected.forEach((key, p) -> byMeasurement.computeIfAbsent(p.measurement(), m -> new HashMap<>()).put(key, p));
        try (InfluxDB client = InfluxDBFactory.connect(db.url())) {
            InfluxReadBack.check(client, database, byMeasurement);
        }
        return Set.copyOf(expected.keySet());
    }

    /** Distinct points as InfluxDB keeps them: the same series and time is one point, its fields merged. */
    static Map<String, LineProtocolLines.Point> distinct(List<String> lines) {
        Map<String, LineProtocolLines.Point> out = new HashMap<>();
        for (String line : lines) {
            LineProtocolLines.Point p = LineProtocolLines.parse(line);
            out.merge(p.seriesKey(), p, (a, b) -> {
                Map<String, Double> f = new TreeMap<>(a.fields());
                f.putAll(b.fields());
                return new LineProtocolLines.Point(a.measurement(), a.tags(), f, a.time());
            });
        }
        return out;
    }

    static long countAll(PrivateInflux db) throws Exception {
        JsonNode series = JSON.readTree(db.query(DB, "SELECT count(*) FROM /.*/")).path("results").get(0)
                .path("series");
        long max = 0;
        for (JsonNode s : series) {
            if (s.path("name").asText().equals("faultprobe")) {
                continue;
            }
            JsonNode row = s.path("values").get(0);
            for (int i = 1; i < row.size(); i++) {
                max += row.get(i).asLong();
            }
        }
        return max;
    }

    static long count(PrivateInflux db, String q) throws Exception {
        JsonNode v = JSON.readTree(db.query(DB, q)).path("results").get(0).path("series").get(0).path("values");
        return v.isMissingNode() || v.isEmpty() ? 0 : v.get(0).get(1).asLong();
    }
}
