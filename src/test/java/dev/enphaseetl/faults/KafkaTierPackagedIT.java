package dev.enphaseetl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.enphaseetl.e2e.InfluxReadBack;
import dev.enphaseetl.e2e.LineProtocolLines;
import dev.enphaseetl.kafka.KafkaCluster;
import dev.enphaseetl.model.Schema;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.sink.ItSupport;
import dev.enphaseetl.sink.jdbc.SqlTable;

/**
 * The Kafka tier of issue 16, packaged applications on a real 3-broker Kafka 4 cluster (KRaft, loopback, RF 3): two
 * edges ({@code enphase.role=edge}) poll their built-in simulators (different serials) and write line protocol files
 * and Kafka; two central instances ({@code enphase.role=central}, one consumer group) deliver to InfluxDB and
 * PostgreSQL. During delivery one central instance is killed with SIGKILL (the other takes over its partitions), then
 * one broker; then Kafka goes away altogether and an edge is killed with SIGKILL while its Kafka spool holds entries.
 * After Kafka and the edge are back and every spool drained, InfluxDB and PostgreSQL must hold exactly the distinct
 * points of both edges' line protocol files (zero lost, nothing invented), and the dead-letter topic is empty.
 */
class KafkaTierPackagedIT {

    static final String DB = "kafkatier" + Long.toString(System.nanoTime(), 36);
    static final String INFLUX = "http://127.0.0.1:8086";
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

    private final List<Process> started = new ArrayList<>();
    private Admin progress;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void nothingLostWhenACentralABrokerAndAnEdgeDie() throws Exception {
        if (ItSupport.skipRequested()) {
            Assumptions.abort("enphase.it.skip is set");
        }
        require(Files.isRegularFile(KillNinePackagedIT.JAR), "the packaged application " + KillNinePackagedIT.JAR
                + " is missing (run ./mvnw package)");
        long t0 = System.nanoTime();
        Path root = FaultEnv.dataDir("kafkatier");
        Files.createDirectories(root);
        createPostgresDatabase();
        boolean passed = false;
        try (KafkaCluster cluster = new KafkaCluster(3)) {
            cluster.startAll();
            // one admin client for every progress check (a new one per check could wait on the killed broker)
            progress = cluster.admin();
            KafkaCluster kafka = cluster;
            long clusterMs = (System.nanoTime() - t0) / 1_000_000;
            String servers = kafka.bootstrapServers();
            Path edge1 = root.resolve("edge-1");
            Path edge2 = root.resolve("edge-2");
            Process c1 = launch(root.resolve("central-1"), "central", central(root.resolve("central-1"), servers));
            Process c2 = launch(root.resolve("central-2"), "central", central(root.resolve("central-2"), servers));
            Process e1 = launch(edge1, "1", edge(edge1, servers, 101));
            Process e2 = launch(edge2, "1", edge(edge2, servers, 202));

            // 1. delivery runs: points arrive in InfluxDB; then a central instance is killed
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                alive(c1, c2, e1, e2);
                return committed(kafka) >= 20 && influxPoints() > 0;
            });
            stage(t0, "delivery runs; kill -9 of central 1");
            c1.destroyForcibly();
            assertThat(c1.waitFor(15, TimeUnit.SECONDS)).isTrue();
            long atCentralKill = committed(kafka);
            // the other central instance takes its partitions over (session timeout 6 s) and delivery goes on
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                alive(c2, e1, e2);
                return committed(kafka) >= atCentralKill + 20;
            });

            // 2. a broker is killed during delivery, and comes back
            stage(t0, "central 2 delivers on; kill -9 of broker 2");
            kafka.kill(1);
            long atBrokerKill = committed(kafka);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                alive(c2, e1, e2);
                return committed(kafka) >= atBrokerKill + 20;
            });
            stage(t0, "delivery goes on with 2 brokers; broker 2 restarts");
            kafka.start(1);
            kafka.awaitBrokers(3, Duration.ofSeconds(60));
            stage(t0, "3 brokers again; Kafka outage (every broker killed)");

            // 3. Kafka away: the edges keep polling into their Kafka spools; edge 1 is killed during the outage
            for (int i = 0; i < 3; i++) {
                kafka.kill(i);
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                alive(c2, e1, e2);
                return FaultFiles.list(edge1.resolve("spool").resolve("kafka"), ".jsonl").size() >= 5;
            });
            stage(t0, "edge 1 spools for Kafka; kill -9 of edge 1");
            e1.destroyForcibly();
            assertThat(e1.waitFor(15, TimeUnit.SECONDS)).isTrue();
            int spooledAtKill = FaultFiles.list(edge1.resolve("spool").resolve("kafka"), ".jsonl").size();
            for (int i = 0; i < 3; i++) {
                kafka.start(i);
            }
            kafka.awaitBrokers(3, Duration.ofSeconds(90));
            long outageEnd = System.nanoTime();
            stage(t0, "Kafka back; edges drain");

            // 4. edge 2 stops (SIGTERM); both edges drain their spools without polling
            e2.destroy();
            assertThat(e2.waitFor(30, TimeUnit.SECONDS)).as("edge 2 stopped on SIGTERM").isTrue();
            Process d1 = launch(edge1, "2-drain", drainOnly(edge(edge1, servers, 101)));
            Process d2 = launch(edge2, "2-drain", drainOnly(edge(edge2, servers, 202)));
            for (Path edge : List.of(edge1, edge2)) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
                    alive(c2, d1, d2);
                    return FaultFiles.list(edge.resolve("spool").resolve("kafka"), ".jsonl").isEmpty()
                            && FaultFiles.list(edge.resolve("spool").resolve("lineprotocol"), ".jsonl").isEmpty();
                });
            }
            long drainedMs = (System.nanoTime() - outageEnd) / 1_000_000;
            stage(t0, "edges drained; waiting for the central group to commit everything");
            // 5. the central instance has consumed and committed everything
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> lag(kafka) == 0);

            List<String> lines = new ArrayList<>(FaultFiles.lineProtocol(edge1));
            lines.addAll(FaultFiles.lineProtocol(edge2));
            Map<String, LineProtocolLines.Point> expected = InfluxFaultsTest.distinct(lines);
            Map<String, Map<String, LineProtocolLines.Point>> byMeasurement = new TreeMap<>();
            expected.forEach((k, p) -> byMeasurement.computeIfAbsent(p.measurement(), m -> new HashMap<>()).put(k, p));
            try (InfluxDB client = InfluxDBFactory.connect(INFLUX)) {
                InfluxReadBack.check(client, DB, byMeasurement);
            }
            long rows = assertPostgresHolds(lines);
            long deadLetters = deadLetterRecords(kafka);
            System.out.printf("FIGURES kafka-tier: cluster start=%d ms; LP lines=%d, distinct points=%d, InfluxDB "
                    + "points matched=%d, PostgreSQL rows matched=%d; edge 1 Kafka spool entries at its kill=%d; "
                    + "drain after the outage=%d ms; dead-letter records=%d; test=%d ms%n", clusterMs, lines.size(),
                    expected.size(), expected.size(), rows, spooledAtKill, drainedMs, deadLetters,
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(spooledAtKill).as("entries in edge 1's Kafka spool when it was killed")
                    .isGreaterThanOrEqualTo(5);
            assertThat(deadLetters).as("records on the dead-letter topic").isZero();
            passed = true;
        } finally {
            if (progress != null) {
                progress.close(Duration.ofSeconds(5));
            }
            for (Process p : started) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            if (passed) {
                FaultFiles.deleteTree(root);
            } else {
                System.out.println("kafka-tier: data directories and logs kept in " + root);
            }
        }
    }

    private static void stage(long t0, String what) {
        System.out.printf("kafka-tier %6.1f s: %s%n", (System.nanoTime() - t0) / 1e9, what);
    }

    private static Map<String, String> edge(Path data, String servers, long seed) throws IOException {
        Map<String, String> m = new TreeMap<>(FaultEnv.fastPipeline(data));
        m.put("enphase.role", "edge");
        m.put("enphase.kafka.bootstrap-servers", servers);
        m.put("enphase.kafka.delivery-timeout", "5s");
        m.put("enphase.simulator.seed", Long.toString(seed));
        // the simulated clock runs 30x: every poll gives new points, so a lost record cannot hide behind a repeat
        m.put("enphase.simulator.speed", "30");
        m.put("enphase.sink.jdbc.enabled", "false");
        m.put("enphase.sink.csv.enabled", "false");
        m.put("quarkus.http.host", "127.0.0.1");
        m.put("quarkus.http.port", Integer.toString(PrivateInflux.freePort()));
        return m;
    }

    private static Map<String, String> central(Path data, String servers) throws IOException {
        Map<String, String> m = new TreeMap<>(FaultEnv.fastPipeline(data));
        m.put("enphase.role", "central");
        m.put("enphase.kafka.bootstrap-servers", servers);
        m.put("enphase.kafka.session-timeout-ms", "6000");
        m.put("enphase.kafka.max-poll-records", "50");
        m.put("enphase.sink.influxdb.url", INFLUX);
        m.put("enphase.sink.influxdb.database", DB);
        m.put("enphase.sink.jdbc.url", PG + DB);
        m.put("enphase.sink.jdbc.user", "postgres");
        m.put("enphase.sink.lineprotocol.enabled", "false");
        m.put("enphase.sink.csv.enabled", "false");
        m.put("quarkus.http.host", "127.0.0.1");
        m.put("quarkus.http.port", Integer.toString(PrivateInflux.freePort()));
        return m;
    }

    private static Map<String, String> drainOnly(Map<String, String> config) {
        Map<String, String> m = new TreeMap<>(config);
        for (Endpoint e : Endpoint.values()) {
            m.put("enphase.poll." + e.id() + ".enabled", "false");
        }
        return m;
    }

    private Process launch(Path data, String name, Map<String, String> config) throws IOException {
        Files.createDirectories(data);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx200m");
        cmd.add("-XX:TieredStopAtLevel=1");
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(KillNinePackagedIT.JAR.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(data.toFile()).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(data.resolve("app-" + name + ".log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("ENPHASE_"));
        pb.environment().put("ENPHASE_ROUTES_DIR", KillNinePackagedIT.ROUTES.toString());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static void alive(Process... processes) {
        for (Process p : processes) {
            if (!p.isAlive()) {
                fail("an application exited with " + p.exitValue() + " (" + p.info().commandLine().orElse("?")
                        .replaceAll(".*-Denphase.data-dir=(\\S+).*", "$1") + ", see its app-*.log)");
            }
        }
    }

    private static long influxPoints() {
        try (InfluxDB client = InfluxDBFactory.connect(INFLUX)) {
            return InfluxReadBack.count(client, DB, List.of("meter", "production", "inverter")).values().stream()
                    .mapToLong(Long::longValue).sum();
        } catch (RuntimeException | AssertionError e) {
            return 0; // the database is made by the first delivery
        }
    }

    /** Records of the readings topic the central group committed (delivered to every sink). */
    private long committed(KafkaCluster kafka) {
        try {
            return progress.listConsumerGroupOffsets("enphase-central").partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).values().stream().filter(o -> o != null)
                    .mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Records of the readings topic not yet committed by the central group. */
    private long lag(KafkaCluster kafka) throws Exception {
        Admin admin = progress;
        {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("enphase-central")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Set<TopicPartition> partitions = admin.describeTopics(List.of("enphase.readings")).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get("enphase.readings").partitions().stream()
                    .map(p -> new TopicPartition("enphase.readings", p.partition())).collect(Collectors.toSet());
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions
                    .stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all()
                    .get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                lag += ends.get(tp).offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        }
    }

    private static long deadLetterRecords(KafkaCluster kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains("enphase.readings.dead-letter")) {
                return 0;
            }
            var parts = admin.describeTopics(List.of("enphase.readings.dead-letter")).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get("enphase.readings.dead-letter").partitions();
            var ends = admin.listOffsets(parts.stream().collect(Collectors.toMap(
                    p -> new TopicPartition("enphase.readings.dead-letter", p.partition()), p -> OffsetSpec.latest())))
                    .all().get(10, TimeUnit.SECONDS);
            return ends.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    private static void createPostgresDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
        }
    }

    /** Every SQL row is a distinct LP point with its last values, and each distinct point has a row. */
    private static long assertPostgresHolds(List<String> lines) throws Exception {
        Map<String, LineProtocolLines.Point> last = new HashMap<>();
        for (String line : lines) {
            LineProtocolLines.Point p = LineProtocolLines.parse(line);
            last.put(p.seriesKey(), p);
        }
        Set<String> measurements = last.values().stream().map(LineProtocolLines.Point::measurement)
                .collect(Collectors.toSet());
        long matched = 0;
        try (Connection c = DriverManager.getConnection(PG + DB, "postgres", "")) {
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
                        assertThat(p).as("a line for %s %s", measurement, tags).isNotNull();
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
        return matched;
    }

    private static void require(boolean ok, String what) {
        if (ok) {
            return;
        }
        if (KillNinePackagedIT.UNDER_VERIFY) {
            fail(what + " (set -Denphase.it.skip to skip integration tests)");
        }
        Assumptions.abort(what);
    }

    static {
        try {
            Files.createDirectories(Path.of("target"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
