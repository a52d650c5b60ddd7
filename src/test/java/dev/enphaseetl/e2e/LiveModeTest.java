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

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.enphaseetl.pipeline.LivePolls;
import dev.enphaseetl.simulator.EmbeddedSimulator;

/**
 * The high-rate mode through the shipped routes, with the MQTT example of deploy/routes-examples copied in as an
 * operator would: live polls of the embedded simulator every second reach the real Mosquitto as line protocol of the
 * {@code live} measurement on {@code <prefix>/<gateway>} and the line protocol files, the live stream is enabled, and
 * the regular polls go on beside them.
 */
@QuarkusTest
@TestProfile(LiveModeTest.Profile.class)
class LiveModeTest {

    static final Path DATA = Path.of("target", "live-mode-" + Long.toString(System.nanoTime(), 36));
    static final Path ROUTES = DATA.resolve("routes");
    static final String RUN = Long.toString(System.nanoTime(), 36);
    static final String PREFIX = "enphase-etl-test/" + RUN + "/live";
    static final ConcurrentLinkedQueue<String> RECEIVED = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<String> TOPICS = new ConcurrentLinkedQueue<>();
    static MqttClient subscriber;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            copyRoutes();
            subscribe();
            Map<String, String> m = new HashMap<>();
            m.put("enphase.data-dir", DATA.toString());
            m.put("camel.main.routes-include-pattern", "file:" + ROUTES + "/*.camel.yaml");
            m.put("enphase.poll.first-delay", "200");
            m.put("enphase.poll.production-json.period", "2s");
            m.put("enphase.live.enabled", "true");
            m.put("enphase.live.period", "1s");
            m.put("enphase.sink.poll-delay", "200");
            m.put("enphase.sink.jdbc.enabled", "false");
            m.put("enphase.sink.influxdb.enabled", "false");
            return m;
        }
    }

    static void copyRoutes() {
        try {
            Files.createDirectories(ROUTES);
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, ROUTES.resolve(f.getFileName()));
                }
            }
            Path example = Path.of("deploy", "routes-examples", "72-live-mqtt.camel.yaml");
            Files.writeString(ROUTES.resolve(example.getFileName()), Files.readString(example)
                    .replace("enphase/live/", PREFIX + "/").replace("clientId: enphase-etl-live",
                            "clientId: enphase-etl-live-" + RUN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void subscribe() {
        try {
            subscriber = new MqttClient("tcp://127.0.0.1:1883", "enphase-etl-live-test-" + RUN,
                    new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            subscriber.connect(o);
            subscriber.subscribe(PREFIX + "/#", 0, (topic, message) -> {
                TOPICS.add(topic);
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
    }

    @Inject
    LivePolls live;

    @Inject
    EmbeddedSimulator simulator;

    @Test
    void livePollsReachMqttAndTheSinksWhileRegularPollsGoOn() throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> TOPICS.size() >= 5 && lines("live,").size() >= 5 && lines("system,").size() >= 2);

        String serial = simulator.simulator().orElseThrow().gateway(0).serial();
        assertThat(TOPICS).allMatch(t -> t.equals(PREFIX + "/" + serial));
        assertThat(RECEIVED).allMatch(l -> l.startsWith("live,"), "only the live measurement on the live topic");
        assertThat(RECEIVED).anyMatch(l -> l.contains("source=pv") && l.contains("active_power_w="));
        // the stream was enabled before the first live poll, so live times advance with the clock
        assertThat(simulator.simulator().orElseThrow().gateway(0).liveStreamRequests()).isGreaterThanOrEqualTo(1);
        assertThat(RECEIVED.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).distinct().count())
                .as("distinct live timestamps").isGreaterThanOrEqualTo(3);
        assertThat(live.startedCount()).isPositive().isLessThanOrEqualTo(live.dueCount());
        assertThat(lines("production,").size() + lines("system,").size()).as("regular polls go on").isPositive();
    }

    static List<String> lines(String prefix) throws IOException {
        Path dir = DATA.resolve("lineprotocol");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".lp")).sorted().toList()) {
                Files.readAllLines(f).stream().filter(l -> l.startsWith(prefix)).forEach(out::add);
            }
        }
        return out;
    }
}
