package dev.enphaseetl.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import dev.enphaseetl.auth.LogCapture;
import dev.enphaseetl.e2e.LineProtocolLines;
import dev.enphaseetl.simulator.EmbeddedSimulator;
import dev.enphaseetl.simulator.Fault;
import dev.enphaseetl.simulator.VirtualGateway;

/**
 * The gateway's nightly outage (it restarts around 23:00 and answers 503 or nothing for a few minutes), in seconds:
 * a failed poll is retried with jittered backoff, the outage is logged at INFO only (no warning, no error, readiness
 * stays UP with the failing time as data), and when the gateway answers again every endpoint that failed meanwhile is
 * asked at once, so that the gap in the data is the outage itself and not one more period of each endpoint.
 */
@QuarkusTest
@TestProfile(NightlyOutageTest.Profile.class)
class NightlyOutageTest {

    static final Path DATA = FaultEnv.dataDir("nightly");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = FaultEnv.fastPipeline(DATA);
            // inverters are asked once an hour here: only the catch-up after the outage can ask them again
            m.put("enphase.poll.api-v1-production-inverters.period", "1h");
            m.put("enphase.poll.retry.initial", "300ms");
            m.put("enphase.poll.retry.max-delay", "1s");
            m.put("enphase.poll.retry.window", "3s");
            m.put("enphase.poll.outage-grace", "10m");
            m.put("enphase.sink.jdbc.enabled", "false");
            m.put("enphase.sink.csv.enabled", "false");
            return m;
        }
    }

    @Inject
    EmbeddedSimulator embedded;

    @Inject
    ProducerTemplate producer;

    static long lines(String measurement) {
        return FaultFiles.lineProtocol(DATA).stream().map(LineProtocolLines::parse)
                .filter(p -> p.measurement().equals(measurement)).count();
    }

    @Test
    void theNightlyRestartPassesWithoutAlarmAndLeavesNoGapBeyondItself() throws Exception {
        VirtualGateway gw = embedded.simulator().orElseThrow().gateway(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines("inverter") > 0 && lines("system") > 0);

        List<String> warnings;
        long invertersBefore;
        long systemAtRecovery;
        try (LogCapture logs = new LogCapture()) {
            gw.setFaultEverywhere(Fault.httpStatus(503));
            Thread.sleep(1_500); // polls in flight finish; the ones after fail
            invertersBefore = lines("inverter");
            // the inverters' tick falls into the outage (their timer period is an hour: a tick by hand)
            producer.sendBodyAndHeader("direct:dispatch-polls", null, "endpoint", "api-v1-production-inverters");
            Thread.sleep(5_000); // past the 3 s retry window: now only the regular ticks ask

            JsonPath health = given().get("/q/health/ready").jsonPath();
            assertThat(health.getString("checks.find { it.name == 'enphase-etl pipeline' }.status")).isEqualTo("UP");
            assertThat(health.getInt("checks.find { it.name == 'enphase-etl pipeline' }.data.'gateway."
                    + gw.serial() + ".failing_for_s'")).isGreaterThanOrEqualTo(4);
            assertThat(lines("inverter")).as("no inverter data during the outage").isEqualTo(invertersBefore);

            gw.clearFaults();
            systemAtRecovery = lines("system");
            // within seconds: the next production poll, and the inverters by the catch-up, not in an hour
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200))
                    .until(() -> lines("inverter") > invertersBefore && lines("system") > systemAtRecovery);
            // the recovery is said once every endpoint that failed has answered again (retries started at once)
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200))
                    .until(() -> logs.messagesAt(Level.INFO).stream()
                            .anyMatch(t -> t.contains(gw.serial()) && t.contains("answers again after")));
            warnings = logs.texts().stream()
                    .filter(t -> t.startsWith("dev.enphaseetl.poll ") && (t.contains(" WARN") || t.contains(" ERROR")
                            || t.contains(" SEVERE")))
                    .toList();
            List<String> info = logs.messagesAt(Level.INFO).stream().filter(t -> t.contains(gw.serial())).toList();
            System.out.printf("FIGURES nightly-outage: poll log lines at INFO naming the gateway: %s%n", info);
            assertThat(info).anyMatch(t -> t.contains("does not answer") && t.contains("nightly restart"));
            assertThat(info).anyMatch(t -> t.contains("answers again after"));
        }
        assertThat(warnings).as("no warning or error for a short outage").isEmpty();

        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).contains("outcome=\"retry_planned\"");
        JsonPath health = given().get("/q/health/ready").jsonPath();
        assertThat(health.getMap("checks.find { it.name == 'enphase-etl pipeline' }.data"))
                .doesNotContainKey("gateway." + gw.serial() + ".failing_for_s");
    }
}
