package dev.enphaseetl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.enphaseetl.health.SinkStatus;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.simulator.EmbeddedSimulator;
import dev.enphaseetl.simulator.Fault;
import dev.enphaseetl.simulator.VirtualGateway;

/**
 * One line per problem (issue #12): the log lines a running pipeline writes under a sink outage (InfluxDB on a closed
 * port, PostgreSQL database missing), a gateway answering 500 and malformed bodies, and an unwritable spool, counted
 * per fault over a time window. Also: the sink that is down because its database is missing parks nothing, and
 * delivers every reading once the database exists.
 */
@QuarkusTest
@TestProfile(LogVolumeTest.Profile.class)
class LogVolumeTest {

    static final Path DATA = FaultEnv.dataDir("logvolume");
    static final String PG_DB = FaultEnv.value("logvolume.pgdb", () -> "enphase_logvol_" + Long.toString(
            System.nanoTime(), 36));
    static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final Duration WINDOW = Duration.ofSeconds(30);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = FaultEnv.fastPipeline(DATA);
            m.put("enphase.simulator.gateways", "2");
            m.put("enphase.http.response-timeout", "2s");
            m.put("enphase.sink.csv.enabled", "false");
            m.put("enphase.sink.influxdb.url", "http://127.0.0.1:" + FaultEnv.port("logvolume.closed"));
            m.put("enphase.sink.influxdb.database", "nowhere");
            m.put("enphase.sink.influxdb.connect-timeout", "1s");
            m.put("enphase.sink.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + PG_DB);
            m.put("enphase.sink.jdbc.user", "postgres");
            return m;
        }
    }

    @Inject
    EmbeddedSimulator embedded;
    @Inject
    SinkStatus sinks;
    @Inject
    CamelContext camel;

    @AfterAll
    static void dropDatabase() {
        sql("DROP DATABASE IF EXISTS " + PG_DB + " WITH (FORCE)");
    }

    private static void sql(String statement) {
        try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (Exception e) {
            throw new IllegalStateException(statement, e);
        }
    }

    /** Every record of INFO and above the JVM logs (the levels as configured: nothing made more verbose). */
    static final class LogCapture extends Handler implements AutoCloseable {
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        LogCapture() {
            setLevel(Level.INFO);
            Logger.getLogger("").addHandler(this);
        }

        List<LogRecord> records() {
            return records;
        }

        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                records.add(r);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }

    /** Lines (INFO and above) and stack trace lines logged during {@code window} while {@code fault} holds. */
    record Count(String fault, int lines, int stackLines, Map<String, Integer> byLogger, double seconds) {
        double perMinute() {
            return lines * 60 / seconds;
        }

        @Override
        public String toString() {
            return String.format("%s: %d lines (%.1f/min), %d stack trace lines, by logger %s", fault, lines,
                    perMinute(), stackLines, byLogger);
        }
    }

    static Count count(String fault, LogCapture capture, Duration window) throws InterruptedException {
        int from = capture.records().size();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        double seconds = (System.nanoTime() - start) / 1e9;
        List<LogRecord> records = List.copyOf(capture.records().subList(from, capture.records().size()));
        int lines = 0;
        int stack = 0;
        Map<String, Integer> byLogger = new TreeMap<>();
        for (LogRecord r : records) {
            if (r.getLevel().intValue() < Level.INFO.intValue()) {
                continue;
            }
            lines++;
            byLogger.merge(r.getLoggerName() + " " + r.getLevel(), 1, Integer::sum);
            String text = r.getMessage() == null ? "" : r.getMessage();
            lines += (int) text.lines().count() - 1; // a multi-line record (Message History) counts every line
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                stack += t.getStackTrace().length;
            }
        }
        Count c = new Count(fault, lines, stack, byLogger, seconds);
        System.out.println("FIGURES log volume " + c);
        return c;
    }

    @Test
    void eachFaultLogsAFewLinesAndASinkWithoutItsDatabaseParksNothing() throws Exception {
        VirtualGateway bad = embedded.simulator().orElseThrow().gateway(0);
        try (LogCapture capture = new LogCapture()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !FaultFiles.lineProtocol(DATA).isEmpty());
            Thread.sleep(3_000); // the first failures of both sinks are logged (once)

            // 1. sinks down: InfluxDB on a closed port, PostgreSQL without the database
            Count outage = count("sink outage (InfluxDB closed port, PostgreSQL database missing)", capture, WINDOW);
            assertThat(sinks.outcome("jdbc")).get().satisfies(o -> {
                assertThat(o.ok()).isFalse();
                assertThat(o.error()).get().asString().contains("3D000");
            });
            assertThat(sinks.outcome("influxdb")).get().satisfies(o -> assertThat(o.ok()).isFalse());
            assertThat(DATA.resolve("dead-letter").resolve("jdbc")).doesNotExist();
            assertThat(DATA.resolve("dead-letter").resolve("influxdb")).doesNotExist();

            // 2. a gateway answering 500 and malformed bodies (the sinks still down)
            bad.setFault(Endpoint.IVP_METERS_READINGS, Fault.httpStatus(500));
            bad.setFault(Endpoint.API_V1_PRODUCTION, Fault.malformedBody());
            Count gateway = count("gateway 500 and malformed bodies", capture, WINDOW);
            bad.clearFaults();
            Path deadApi = DATA.resolve("dead-letter").resolve("poll").resolve(bad.serial())
                    .resolve(Endpoint.API_V1_PRODUCTION.id());
            int payloads = FaultFiles.list(deadApi, ".payload").size();
            System.out.println("FIGURES log volume: malformed-body payloads kept over the window: " + payloads);
            assertThat(payloads).as("first and latest of one problem").isBetween(1, 2);

            // 3. the spool cannot be written (a file where its temporary directory belongs)
            Path tmp = DATA.resolve("spool").resolve(".tmp");
            FaultFiles.deleteTree(tmp);
            Files.writeString(tmp, "a regular file where the spool needs a directory");
            Count spool = count("unwritable spool", capture, WINDOW);
            Files.delete(tmp);

            for (Count c : List.of(outage, gateway, spool)) {
                assertThat(c.stackLines()).as(c.toString()).isZero();
                assertThat(c.perMinute()).as(c.toString()).isLessThanOrEqualTo(12);
            }
        }

        // the database appears: every reading reaches PostgreSQL, nothing was parked
        sql("CREATE DATABASE " + PG_DB);
        FaultEnv.stopPolling(camel);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> FaultFiles.list(DATA.resolve("spool").resolve("jdbc"), ".jsonl").isEmpty()
                        && FaultFiles.list(DATA.resolve("spool").resolve("lineprotocol"), ".jsonl").isEmpty());
        long jdbc = sinks.outcome("jdbc").orElseThrow().delivered();
        long files = sinks.outcome("lineprotocol").orElseThrow().delivered();
        System.out.printf("FIGURES log volume: after the database was created: jdbc delivered %d, line protocol %d%n",
                jdbc, files);
        assertThat(jdbc).isPositive().isEqualTo(files);
        assertThat(DATA.resolve("dead-letter").resolve("jdbc")).doesNotExist();
    }
}
