package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hamcrest.Matchers;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import dev.enphaseetl.spool.SinkSwitches;

/**
 * What the README promises an operator: add an output by copying a YAML file into routes/, no Java, no rebuild.
 * The two examples in deploy/routes-examples/ (an MQTT broker, a second InfluxDB over HTTP) run against the real
 * Mosquitto and InfluxDB on this machine, next to the shipped routes; each gets its own spool, and each receives
 * exactly what the line protocol files hold.
 */
@QuarkusTest
@TestProfile(YamlOutputsTest.Profile.class)
class YamlOutputsTest {

    static final Path DATA = Path.of("target", "yaml-outputs-" + Long.toString(System.nanoTime(), 36));
    static final Path ROUTES = DATA.resolve("routes");
    static final String RUN = Long.toString(System.nanoTime(), 36);
    static final String TOPIC = "enphase-etl-test/" + RUN;
    static final String DB = "yaml_output_" + RUN;
    static final String INFLUX = "http://127.0.0.1:8086";
    static final ConcurrentLinkedQueue<String> RECEIVED = new ConcurrentLinkedQueue<>();
    static MqttClient subscriber;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            copyRoutesAndExamples();
            subscribe();
            try (InfluxDB influx = InfluxDBFactory.connect(INFLUX)) {
                influx.query(new Query("CREATE DATABASE " + DB));
            }
            Map<String, String> m = new HashMap<>();
            m.put("enphase.data-dir", DATA.toString());
            m.put("camel.main.routes-include-pattern", "file:" + ROUTES + "/*.camel.yaml");
            m.put("enphase.poll.first-delay", "200");
            m.put("enphase.poll.production-json.period", "2s");
            m.put("enphase.poll.ivp-meters-readings.period", "2s");
            m.put("enphase.sink.poll-delay", "200");
            m.put("enphase.sink.jdbc.enabled", "false");
            return m;
        }
    }

    /** routes/ as shipped plus the two examples, edited only where an operator would: topic and database. */
    static void copyRoutesAndExamples() {
        try {
            Files.createDirectories(ROUTES);
            try (Stream<Path> files = Stream.concat(Files.list(Path.of("routes")),
                    Files.list(Path.of("deploy", "routes-examples")))) {
                for (Path f : files.toList()) {
                    String yaml = Files.readString(f)
                            .replace("uri: paho:enphase/readings", "uri: paho:" + TOPIC)
                            .replace("clientId: enphase-etl-sink", "clientId: enphase-etl-sink-" + RUN)
                            .replace("db: enphase_copy", "db: " + DB);
                    Files.writeString(ROUTES.resolve(f.getFileName()), yaml);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void subscribe() {
        try {
            subscriber = new MqttClient("tcp://127.0.0.1:1883", "enphase-etl-test-" + RUN, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            subscriber.connect(o);
            subscriber.subscribe(TOPIC, 1, (topic, message) -> {
                for (String line : new String(message.getPayload(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        RECEIVED.add(line);
                    }
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("Mosquitto on 127.0.0.1:1883 is needed (.ci/services.sh starts it)", e);
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (subscriber != null && subscriber.isConnected()) {
            subscriber.disconnect();
        }
        try (InfluxDB influx = InfluxDBFactory.connect(INFLUX)) {
            influx.query(new Query("DROP DATABASE " + DB));
        }
    }

    @Inject
    CamelContext camel;

    @Inject
    SinkSwitches switches;

    @Test
    void outputsAddedInYamlGetTheirOwnSpoolAndEveryReading() throws Exception {
        assertThat(switches.enabled()).containsExactly("lineprotocol", "csv", "influxdb2", "mqtt");

        // let several polls run, then stop polling and let every spool drain
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> lineProtocol().size() > 40 && RECEIVED.size() > 20);
        for (var route : camel.getRoutes()) {
            if (route.getRouteId().startsWith("poll-")) {
                camel.getRouteController().stopRoute(route.getRouteId());
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> Stream.of("lineprotocol", "mqtt", "influxdb2")
                        .allMatch(s -> jsonl(DATA.resolve("spool").resolve(s)) == 0));

        List<String> lines = lineProtocol();
        // MQTT: every line of the files, each published once per spool entry
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.size() >= lines.size());
        assertThat(new ArrayList<>(RECEIVED)).containsExactlyInAnyOrderElementsOf(lines);

        // the second InfluxDB: every point, values equal
        var expected = LineProtocolLines.merged(lines);
        try (InfluxDB influx = InfluxDBFactory.connect(INFLUX)) {
            Map<String, Long> counts = InfluxReadBack.check(influx, DB, expected);
            System.out.printf("FIGURES yaml-outputs: lines=%d, MQTT lines received=%d, second InfluxDB points=%s%n",
                    lines.size(), RECEIVED.size(), counts);
        }
        assertThat(DATA.resolve("dead-letter").resolve("influxdb2")).doesNotExist();

        // health and metrics cover them like the built-in sinks
        // (Camel's own route check is DOWN: the test stopped the polling routes; ours is the one that counts here)
        RestAssured.given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'enphase-etl pipeline' }.status", Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'enphase-etl pipeline' }.data.'sink.mqtt.reachable'",
                        Matchers.equalTo("yes"))
                .body("checks.find { it.name == 'enphase-etl pipeline' }.data.'sink.influxdb2.spool_depth'",
                        Matchers.equalTo(0));
        RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(Matchers.containsString("sink=\"mqtt\""));

        // an unreadable spool entry is not retried for ever: parked with the reason, for a built-in and a YAML sink
        for (String sink : List.of("lineprotocol", "mqtt")) {
            Files.writeString(DATA.resolve("spool").resolve(sink).resolve("9999999999999-000000001.jsonl"),
                    "this is not a reading\n");
        }
        for (String sink : List.of("lineprotocol", "mqtt")) {
            Path dead = DATA.resolve("dead-letter").resolve(sink);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                    .until(() -> jsonl(dead) == 1 && jsonl(DATA.resolve("spool").resolve(sink)) == 0);
            try (Stream<Path> metas = Files.list(dead)) {
                Path meta = metas.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
                assertThat(Files.readString(meta)).contains("not readable").contains("\"sink\" : \"" + sink + "\"");
            }
            try (Stream<Path> entries = Files.list(dead)) {
                Path entry = entries.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
                assertThat(Files.readString(entry)).isEqualTo("this is not a reading\n");
            }
        }
    }

    static List<String> lineProtocol() throws IOException {
        Path dir = DATA.resolve("lineprotocol");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".lp")).sorted().toList()) {
                Files.readAllLines(f).stream().filter(l -> !l.isBlank()).forEach(out::add);
            }
        }
        return out;
    }

    static long jsonl(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jsonl")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
