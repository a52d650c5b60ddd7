package dev.enphaseetl.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import dev.enphaseetl.e2e.LineProtocolLines;
import dev.enphaseetl.spool.Spool;
import dev.enphaseetl.status.PipelineReadiness;

/**
 * A full spool, and a restart after {@code kill -9}: before the application starts, a separate JVM spools readings
 * one by one (the sink is not consuming: an outage) and is killed with SIGKILL; the application then starts over
 * that data directory with a tiny {@code enphase.spool.max-bytes}. Every reading the dead JVM had acknowledged is
 * delivered, new polls are refused with a clear error, and readiness is DOWN.
 */
@QuarkusTest
@TestProfile(SpoolFaultsTest.Profile.class)
class SpoolFaultsTest {

    static final Path DATA = FaultEnv.dataDir("spoolfull");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            crashedWriter();
            Map<String, String> m = FaultEnv.fastPipeline(DATA);
            m.put("enphase.spool.max-bytes", "1");
            m.put("enphase.sink.jdbc.enabled", "false");
            m.put("enphase.sink.csv.enabled", "false");
            return m;
        }
    }

    /** Runs {@link SpoolWriterMain} in its own JVM until it acknowledged 300 readings, then kills it (SIGKILL). */
    static void crashedWriter() {
        if (System.getProperty("faults.spoolfull.acked") != null) {
            return;
        }
        try {
            Files.createDirectories(DATA);
            Path acks = DATA.resolve("writer.out");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), SpoolWriterMain.class.getName(), DATA.toString())
                    .redirectError(DATA.resolve("writer.err").toFile()).redirectOutput(acks.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lastAck(acks) < 299 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            p.destroyForcibly(); // SIGKILL, in the middle of spooling the next readings
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("spool writer JVM did not die");
            }
            // acknowledgements printed before it died count too
            long acked = lastAck(acks);
            if (acked < 299) {
                throw new IllegalStateException("spool writer JVM acknowledged only " + (acked + 1)
                        + " readings; stderr: " + Files.readString(DATA.resolve("writer.err")));
            }
            System.setProperty("faults.spoolfull.acked", Long.toString(acked + 1));
            System.setProperty("faults.spoolfull.spooled",
                    Integer.toString(FaultFiles.list(DATA.resolve("spool").resolve("lineprotocol"), ".jsonl").size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static long lastAck(Path acks) throws IOException {
        if (!Files.exists(acks)) {
            return -1;
        }
        long last = -1;
        for (String line : Files.readAllLines(acks, StandardCharsets.UTF_8)) {
            if (line.startsWith("ACK ") && line.length() > 4) {
                last = Long.parseLong(line.substring(4).trim());
            }
        }
        return last;
    }

    @Inject
    Spool spool;
    @Inject
    @Readiness
    PipelineReadiness readiness;

    @Test
    void everyAcknowledgedReadingSurvivesKill9AndAFullSpoolRefusesNewOnes() throws Exception {
        long acked = Long.parseLong(System.getProperty("faults.spoolfull.acked"));
        int spooled = Integer.parseInt(System.getProperty("faults.spoolfull.spooled"));
        Path spoolDir = DATA.resolve("spool").resolve("lineprotocol");
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                .until(() -> FaultFiles.list(spoolDir, ".jsonl").isEmpty());
        long drainMs = (System.nanoTime() - t0) / 1_000_000;
        Set<Long> delivered = FaultFiles.lineProtocol(DATA).stream().map(LineProtocolLines::parse)
                .filter(p -> p.measurement().equals("crashprobe")).map(p -> p.fields().get("n").longValue())
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> others = FaultFiles.lineProtocol(DATA).stream()
                .filter(l -> !l.startsWith("crashprobe")).toList();

        // readiness: DOWN, naming the full spool (the bean and /q/health/ready)
        await().atMost(Duration.ofSeconds(10)).until(() -> spool.state().full());
        var health = readiness.call();
        JsonPath ready = given().when().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        String error = ready.getString("checks.find { it.name == 'enphase-etl pipeline' }.data.'spool.error'");
        System.out.printf("FIGURES kill-9: writer JVM acknowledged %d readings (%d entry files on disk after SIGKILL);"
                + " delivered after restart: %d distinct (drained in %d ms); simulator lines written while full: %d;"
                + " readiness %s, spool.error=%s%n", acked, spooled, delivered.size(), drainMs, others.size(),
                health.getStatus(), error);
        for (long i = 0; i < acked; i++) {
            assertThat(delivered).as("acknowledged reading %s", i).contains(i);
        }
        assertThat(delivered.size()).isBetween((int) acked, (int) acked + 1); // the one in flight may have landed
        assertThat(others).as("nothing new is spooled while the spool is full").isEmpty();
        assertThat(health.getStatus().name()).isEqualTo("DOWN");
        assertThat(error).contains("is full").contains("enphase.spool.max-bytes=1");
        // refused polls are not parked as payload dead letters (other payload rejections may be, e.g. at startup)
        try (var metas = Files.walk(DATA.resolve("dead-letter"))) {
            for (Path meta : metas.filter(p -> p.toString().endsWith(".json")).toList()) {
                assertThat(Files.readString(meta)).as("%s", meta).doesNotContainIgnoringCase("spool");
            }
        } catch (NoSuchFileException none) {
            // nothing parked at all
        }
    }
}
