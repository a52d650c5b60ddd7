package dev.enphaseetl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.enphaseetl.e2e.LineProtocolLines;
import dev.enphaseetl.model.Schema;
import dev.enphaseetl.sink.jdbc.SqlTable;

/**
 * PostgreSQL (a private cluster) stopped in the middle of delivery and started again: the jdbc sink's spool drains
 * and the SQL tables hold exactly the distinct points of the line protocol files.
 */
@QuarkusTest
@TestProfile(PostgresOutageTest.Profile.class)
class PostgresOutageTest {

    static final Path DATA = FaultEnv.dataDir("postgres");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String port = FaultEnv.value("pg.port", () -> {
                try {
                    PrivatePostgres pg = new PrivatePostgres().start();
                    // the JVM ends the cluster at the latest: Quarkus may restore system properties after the
                    // application stopped, so @AfterAll cannot always find it
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            pg.close();
                        } catch (Exception e) {
                            System.err.println("private PostgreSQL in " + pg.directory() + " not stopped: " + e);
                        }
                    }));
                    pg.createDatabase("enphase");
                    System.setProperty("faults.pg.dir", pg.directory().toString());
                    return Integer.toString(pg.port());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start a private PostgreSQL: " + e.getMessage(), e);
                }
            });
            Map<String, String> m = FaultEnv.fastPipeline(DATA);
            m.put("enphase.sink.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port
                    + "/enphase?connectTimeout=2&socketTimeout=10");
            m.put("enphase.sink.jdbc.user", "postgres");
            m.put("enphase.sink.csv.enabled", "false");
            return m;
        }
    }

    static PrivatePostgres pg() {
        return PrivatePostgres.attach(Path.of(System.getProperty("faults.pg.dir")),
                Integer.parseInt(System.getProperty("faults.pg.port")));
    }

    @AfterAll
    static void dropCluster() throws Exception {
        if (System.getProperty("faults.pg.dir") != null) {
            pg().close();
        }
    }

    @Inject
    CamelContext camel;

    @Test
    void everyPointArrivesAfterPostgresWasStoppedMidDelivery() throws Exception {
        PrivatePostgres pg = pg();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> rows(pg) > 0);
        long before = rows(pg);
        pg.stop();
        long stoppedAt = System.nanoTime();
        Thread.sleep(6_000);
        int spooled = FaultFiles.list(DATA.resolve("spool").resolve("jdbc"), ".jsonl").size();
        pg.start();
        long outageMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        Thread.sleep(3_000);
        FaultEnv.stopPolling(camel);
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                .until(() -> FaultFiles.list(DATA.resolve("spool").resolve("jdbc"), ".jsonl").isEmpty()
                        && FaultFiles.list(DATA.resolve("spool").resolve("lineprotocol"), ".jsonl").isEmpty());
        long drainMs = (System.nanoTime() - t0) / 1_000_000;

        List<String> lines = FaultFiles.lineProtocol(DATA);
        Map<String, LineProtocolLines.Point> last = new HashMap<>();
        for (String line : lines) {
            LineProtocolLines.Point p = LineProtocolLines.parse(line);
            last.put(p.seriesKey(), p); // the SQL sink upserts: the last reading of a key wins
        }
        Set<String> measurements = last.values().stream().map(LineProtocolLines.Point::measurement)
                .collect(Collectors.toSet());
        long matched = 0;
        try (Connection c = pg.connect("enphase")) {
            for (String measurement : measurements) {
                SqlTable table = SqlTable.of(Schema.find(measurement).orElseThrow());
                long expected = last.values().stream().filter(p -> p.measurement().equals(measurement)).count();
                long seen = 0;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT * FROM " + table.name())) {
                    while (rs.next()) {
                        seen++;
                        Map<String, String> tags = new TreeMap<>();
                        for (String t : table.tagColumns()) {
                            String v = rs.getString(t);
                            if (v != null && !v.isEmpty()) {
                                tags.put(t, v);
                            }
                        }
                        LineProtocolLines.Point p = last.get(measurement + tags + "@" + rs.getLong(SqlTable.TIME));
                        assertThat(p).as("a line for %s %s at %s", measurement, tags, rs.getLong("time")).isNotNull();
                        for (var f : p.fields().entrySet()) {
                            assertThat(rs.getDouble(f.getKey())).as("%s.%s", measurement, f.getKey())
                                    .isEqualTo(f.getValue());
                        }
                        matched++;
                    }
                }
                assertThat(seen).as("rows of %s", measurement).isEqualTo(expected);
            }
        }
        System.out.printf("FIGURES postgres-outage: rows before=%d, outage=%d ms, jdbc spool entries at restart=%d, "
                + "LP lines=%d, distinct points=%d, SQL rows matched=%d, drain=%d ms%n", before, outageMs, spooled,
                lines.size(), last.size(), matched, drainMs);
        assertThat(matched).isEqualTo(last.size());
        assertThat(spooled).isPositive();
    }

    static long rows(PrivatePostgres pg) {
        try (Connection c = pg.connect("enphase");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM meter")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }
}
