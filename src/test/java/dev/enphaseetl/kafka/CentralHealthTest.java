package dev.enphaseetl.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import dev.enphaseetl.sink.ReadingRecords;
import dev.enphaseetl.status.StatusLine;

/**
 * Health and logs of a central instance (routes/35): with its bootstrap servers on a port nobody listens to,
 * readiness goes DOWN naming Kafka and the servers within {@code enphase.status.stale-after} and the status line
 * names it; once a (one-broker) Kafka starts on that port it comes back UP. Then a sink that is away (InfluxDB on a
 * closed port) during 20 s of retry cycles: one WARN line for it, not one per cycle.
 */
@QuarkusTest
@TestProfile(CentralHealthTest.Profile.class)
class CentralHealthTest {

    static KafkaCluster cluster;
    static int influxPort;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                cluster = new KafkaCluster(1); // ports chosen, nothing started yet: nobody listens there
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    influxPort = s.getLocalPort();
                }
                Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "central-health-");
                return Map.ofEntries(Map.entry("enphase.role", "central"),
                        Map.entry("enphase.kafka.bootstrap-servers", cluster.bootstrapServers()),
                        Map.entry("enphase.kafka.topic", "central-health"),
                        Map.entry("enphase.status.stale-after", "4s"),
                        Map.entry("enphase.data-dir", data.toString()),
                        Map.entry("enphase.sink.influxdb.url", "http://127.0.0.1:" + influxPort),
                        Map.entry("enphase.sink.influxdb.database", "central_health"),
                        Map.entry("enphase.sink.influxdb.connect-timeout", "1s"),
                        Map.entry("enphase.sink.jdbc.enabled", "false"),
                        Map.entry("enphase.sink.csv.enabled", "false"),
                        Map.entry("enphase.sink.retry.delay", "200"),
                        Map.entry("enphase.sink.retry.max-delay", "500"),
                        Map.entry("enphase.sink.retry.max-redeliveries", "1"),
                        Map.entry("enphase.ledger.enabled", "false"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @AfterAll
    static void stopKafka() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Inject
    StatusLine statusLine;

    static JsonPath ready(int status) {
        return given().when().get("/q/health/ready").then().statusCode(status).extract().jsonPath();
    }

    static String kafkaError(JsonPath ready) {
        return ready.getString("checks.find { it.name == 'enphase-etl pipeline' }.data.'kafka.consumer.error'");
    }

    @Test
    void unreachableKafkaIsDownThenUpAndASinkOutageLogsOnce() throws Exception {
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> kafkaError(given().when().get("/q/health/ready").jsonPath()) != null);
        JsonPath down = ready(503);
        System.out.println("FIGURES central-health: readiness " + down.prettify());
        System.out.printf("FIGURES central-health: DOWN after %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000,
                kafkaError(down));
        assertThat(kafkaError(down)).contains("Kafka").contains(cluster.bootstrapServers())
                .contains("enphase.status.stale-after");
        assertThat(statusLine.print()).contains("KAFKA FAILING").contains(cluster.bootstrapServers());

        cluster.startAll();
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().when().get("/q/health/ready").statusCode() == 200);
        System.out.printf("FIGURES central-health: UP %d ms after the broker was up%n",
                (System.nanoTime() - started) / 1_000_000);
        assertThat(kafkaError(ready(200))).isNull();
        assertThat(statusLine.print()).doesNotContain("KAFKA");

        // a sink outage at central: the batch fails in InfluxDB on every retry cycle for 20 s
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        List<LogRecord> kafkaInfo = new CopyOnWriteArrayList<>();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                } else if (r.getLevel().intValue() >= Level.INFO.intValue()
                        && r.getLoggerName().startsWith("org.apache.camel.component.kafka")) {
                    kafkaInfo.add(r);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(counter);
        try {
            produce();
            await().atMost(Duration.ofSeconds(20)).until(() -> given().when().get("/q/health/ready").jsonPath()
                    .getString("checks.find { it.name == 'enphase-etl pipeline' }.data.'sink.influxdb.error'") != null);
            Thread.sleep(20_000);
        } finally {
            root.removeHandler(counter);
        }
        List<String> lines = warnings.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
        System.out.printf("FIGURES central-health: %d WARN lines in 20 s of an InfluxDB outage: %s%n", lines.size(),
                lines);
        assertThat(kafkaInfo).as("no INFO line per reconnect cycle").isEmpty();
        assertThat(lines).as("one line for the outage, not one per retry cycle").hasSizeLessThanOrEqualTo(2)
                .anySatisfy(l -> assertThat(l).contains("Sink influxdb is failing"));
    }

    static void produce() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (ReadingRecords.Record r : ReadingRecords.records(List.of(KafkaRolesTest.reading("122301000009",
                    1_733_100_000L, 42.0)))) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>("central-health", r.key(), r.value());
                record.headers().add(ReadingRecords.SCHEMA_HEADER, ReadingRecords.SCHEMA_VERSION.getBytes());
                producer.send(record).get();
            }
        }
    }
}
