package dev.enphaseetl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
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

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.spool.DurableFiles;
import dev.enphaseetl.spool.SpoolCodec;

/**
 * Batched delivery (routes/30, spool-to-sink) against a private influxd, with polling stopped so that only the entries
 * the test puts into the spool are written: a backlog goes out as one write request per batch of
 * {@code enphase.sink.influxdb.batch-size} readings (counted by influxd itself, /debug/vars writeReq); one refused
 * reading among many entries is the only one parked; a batch written but not deleted (the process dying between the
 * write and the delete) stays in the spool and is delivered again, without a duplicate.
 */
@QuarkusTest
@TestProfile(BatchDeliveryTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchDeliveryTest {

    static final Path DATA = FaultEnv.dataDir("batch");
    static final int PORT = FaultEnv.port("batch");
    static final String DB = "batches";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SPOOL = DATA.resolve("spool").resolve("influxdb");
    static PrivateInflux influx;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = FaultEnv.influxOnly(DATA, "http://127.0.0.1:" + PORT, DB);
            m.put("enphase.sink.lineprotocol.enabled", "false");
            return m;
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

    /** Polling stopped and the spool drained: from now on only the test's entries reach InfluxDB. */
    void quiet() throws Exception {
        influx();
        FaultEnv.stopPolling(camel);
        await().atMost(Duration.ofSeconds(30)).until(() -> FaultFiles.list(SPOOL, ".jsonl").isEmpty());
    }

    /** Puts {@code entries} entries of 10 readings each into the spool while the sink route is stopped. */
    void backlog(String measurement, int entries, int conflictAt) throws Exception {
        camel.getRouteController().stopRoute("sink-influxdb");
        for (int e = 0; e < entries; e++) {
            List<Reading> readings = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = e * 10 + i;
                Reading.Builder b = Reading.of(measurement, 1_700_000_000L + n).tag("gateway", "probe")
                        .field("value", (double) n);
                if (n == conflictAt) {
                    b.field("odd", 1.5);
                }
                readings.add(b.build());
            }
            DurableFiles.writeAtomically(DATA.resolve("spool").resolve(".tmp"),
                    SPOOL.resolve(String.format("%013d-%09d.jsonl", 1000 + e, e)), SpoolCodec.encode(readings));
        }
    }

    @Test
    @Order(1)
    void aBacklogGoesOutAsOneWriteRequestPerBatch() throws Exception {
        quiet();
        backlog("batchprobe", 1200, -1); // 12,000 readings: batches of 5,000 + 5,000 + 2,000
        long before = writeRequests();
        camel.getRouteController().startRoute("sink-influxdb");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> FaultFiles.list(SPOOL, ".jsonl").isEmpty());
        long writes = writeRequests() - before;
        long points = count("SELECT count(\"value\") FROM batchprobe");
        System.out.printf("FIGURES batches: 1200 entries, 12000 readings, %d InfluxDB write requests, %d points%n",
                writes, points);
        assertThat(points).isEqualTo(12_000);
        assertThat(writes).isEqualTo(3);
    }

    @Test
    @Order(2)
    void aRefusedReadingAmongManyEntriesIsTheOnlyOneParked() throws Exception {
        quiet();
        // "odd" exists as a string where reading 1234 writes a float: that reading is a field type conflict
        assertThat(influx().write(DB, "conflictprobe,gateway=other odd=\"text\" " + (1_700_000_000L + 1234) + "\n"))
                .isEqualTo(204);
        backlog("conflictprobe", 300, 1234);
        Path dead = DATA.resolve("dead-letter").resolve("influxdb");
        camel.getRouteController().startRoute("sink-influxdb");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> FaultFiles.list(SPOOL, ".jsonl").isEmpty() && FaultFiles.list(dead, ".json").size() == 1);
        List<Reading> parked = SpoolCodec.decode(Files.readString(FaultFiles.list(dead, ".jsonl").get(0)));
        long delivered = count("SELECT count(\"value\") FROM conflictprobe");
        System.out.printf("FIGURES batch-refusal: 300 entries, 3000 readings, delivered %d, parked %d%n", delivered,
                parked.size());
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).time()).isEqualTo(1_700_000_000L + 1234);
        assertThat(delivered).isEqualTo(2999);
    }

    @Test
    @Order(3)
    void aBatchWrittenButNotDeletedIsDeliveredAgainWithoutADuplicate() throws Exception {
        quiet();
        // the process "dies" between the write and the delete: the step before delete-influxdb fails while crashed
        AtomicBoolean crashed = new AtomicBoolean(true);
        AtomicInteger crashes = new AtomicInteger();
        AtomicLong spooledAtCrash = new AtomicLong(-1);
        AtomicLong storedAtCrash = new AtomicLong(-1);
        AdviceWith.adviceWith(camel, "sink-influxdb", a -> a.weaveById("delete-influxdb").before().process(x -> {
            if (crashed.get()) {
                if (crashes.incrementAndGet() == 1) {
                    spooledAtCrash.set(FaultFiles.list(SPOOL, ".jsonl").size());
                    storedAtCrash.set(count("SELECT count(\"value\") FROM crashprobe"));
                }
                throw new IllegalStateException("simulated crash between the write and the delete");
            }
        }));
        backlog("crashprobe", 100, -1);
        camel.getRouteController().startRoute("sink-influxdb");
        await().atMost(Duration.ofSeconds(30)).until(() -> crashes.get() >= 2);
        // written (InfluxDB confirmed) but not deleted: every entry is still in the spool
        assertThat(storedAtCrash.get()).isEqualTo(1000);
        assertThat(spooledAtCrash.get()).isEqualTo(100);
        assertThat(FaultFiles.list(SPOOL, ".jsonl")).hasSize(100);
        crashed.set(false);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> FaultFiles.list(SPOOL, ".jsonl").isEmpty());
        long stored = count("SELECT count(\"value\") FROM crashprobe");
        System.out.printf("FIGURES batch-crash: 100 entries (1000 readings) written, %d failed deletes, entries kept "
                + "%d, after redelivery %d points%n", crashes.get(), spooledAtCrash.get(), stored);
        assertThat(stored).isEqualTo(1000);
    }

    long writeRequests() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(influx().url() + "/debug/vars")).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode vars = JSON.readTree(r.body());
        for (var it = vars.fields(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().startsWith("httpd")) {
                return e.getValue().path("values").path("writeReq").asLong();
            }
        }
        throw new IllegalStateException("no httpd statistics in /debug/vars");
    }

    long count(String q) throws Exception {
        JsonNode v = JSON.readTree(influx().query(DB, q)).path("results").get(0).path("series").get(0).path("values");
        return v.isMissingNode() || v.isEmpty() ? 0 : v.get(0).get(1).asLong();
    }
}
