package dev.enphaseetl.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.enphaseetl.e2e.LineProtocolLines;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.simulator.EmbeddedSimulator;
import dev.enphaseetl.simulator.Fault;
import dev.enphaseetl.simulator.GatewaySimulator;
import dev.enphaseetl.simulator.VirtualGateway;

/**
 * Gateway faults from the embedded simulator (two gateways): one gateway hangs on one endpoint, answers 500 on
 * another, sends a cut-off JSON body on a third and an HTML page with status 200 on a fourth. Polling of its other
 * endpoints and of the other gateway goes on; malformed payloads are dead-lettered with the payload.
 */
@QuarkusTest
@TestProfile(GatewayFaultsTest.Profile.class)
class GatewayFaultsTest {

    static final Path DATA = FaultEnv.dataDir("gateway");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = FaultEnv.fastPipeline(DATA);
            m.put("enphase.simulator.gateways", "2");
            m.put("enphase.poll.ivp-livedata-status.period", "1s");
            m.put("enphase.http.response-timeout", "2s");
            m.put("enphase.sink.jdbc.enabled", "false");
            m.put("enphase.sink.csv.enabled", "false");
            return m;
        }
    }

    @Inject
    EmbeddedSimulator embedded;

    static Map<String, Long> counts() {
        return FaultFiles.lineProtocol(DATA).stream().map(LineProtocolLines::parse)
                .collect(Collectors.groupingBy(p -> p.tags().get("gateway") + "/" + p.measurement(), TreeMap::new,
                        Collectors.counting()));
    }

    @Test
    void oneGatewaysFaultsDoNotStopTheRest() throws Exception {
        GatewaySimulator sim = embedded.simulator().orElseThrow();
        VirtualGateway bad = sim.gateway(0);
        VirtualGateway good = sim.gateway(1);
        Thread.sleep(4_000); // both gateways polled normally first
        bad.setFault(Endpoint.PRODUCTION_JSON, Fault.hanging());
        bad.setFault(Endpoint.IVP_METERS_READINGS, Fault.httpStatus(500));
        bad.setFault(Endpoint.API_V1_PRODUCTION, Fault.malformedBody());
        bad.setFault(Endpoint.IVP_LIVEDATA_STATUS, Fault.html200());
        Thread.sleep(1_500); // polls in flight when the faults were set finish
        Map<String, Long> before = counts();
        Thread.sleep(8_000);
        Map<String, Long> after = counts();
        bad.clearFaults();

        Map<String, Long> growth = new TreeMap<>();
        after.forEach((k, v) -> growth.put(k, v - before.getOrDefault(k, 0L)));
        Path deadPoll = DATA.resolve("dead-letter").resolve("poll").resolve(bad.serial());
        Map<String, Integer> dead = new TreeMap<>();
        if (Files.isDirectory(deadPoll)) {
            try (var dirs = Files.list(deadPoll)) {
                for (Path d : dirs.toList()) {
                    dead.put(d.getFileName().toString(), FaultFiles.list(d, ".payload").size());
                }
            }
        }
        System.out.printf("FIGURES gateway-faults: lines per gateway/measurement during 8 s of faults on %s: %s; "
                + "payload dead letters of %s: %s%n", bad.serial(), growth, bad.serial(), dead);

        // the good gateway goes on with everything
        for (String m : List.of("meter", "inverter", "livedata", "eim")) {
            assertThat(growth.getOrDefault(good.serial() + "/" + m, 0L)).as("%s of the good gateway", m)
                    .isPositive();
        }
        // the faulty gateway's unaffected endpoint goes on
        assertThat(growth.getOrDefault(bad.serial() + "/inverter", 0L)).as("inverters of the faulty gateway")
                .isPositive();
        // no meter readings (500) and no livedata (HTML) from the faulty gateway
        assertThat(growth.getOrDefault(bad.serial() + "/meter", 0L)).isZero();
        assertThat(growth.getOrDefault(bad.serial() + "/livedata", 0L)).isZero();

        // cut-off JSON: dead-lettered with the payload and a reason
        List<Path> metas = FaultFiles.list(deadPoll.resolve("api-v1-production"), ".json").stream()
                .filter(p -> {
                    try {
                        return Files.readString(p).contains("malformed JSON");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).toList();
        assertThat(metas).as("dead letters of the cut-off payloads").isNotEmpty();
        Path meta = metas.get(0);
        Path payload = meta.resolveSibling(meta.getFileName().toString().replace(".json", ".payload"));
        JsonNode m = new ObjectMapper().readTree(meta.toFile());
        System.out.printf("FIGURES gateway-faults: %d malformed-JSON dead letters, payload %d bytes: %s; meta reason: "
                + "%s%n", metas.size(), Files.size(payload), Files.readString(payload), m.path("reason").asText());
        assertThat(Files.readString(payload)).startsWith("{").isNotBlank();
        assertThat(m.path("endpoint").asText()).isEqualTo("api-v1-production");
        assertThat(m.path("httpStatus").asInt()).isEqualTo(200);
        assertThat(m.path("reason").asText()).contains("malformed JSON");
        assertThat(m.path("payloadFile").asText()).isEqualTo(payload.getFileName().toString());
        // HTML with 200 on a JSON endpoint is classified as "not data" (endpoint not available): reported once, and
        // only that first answer is kept with its payload, not one per poll
        List<Path> html = FaultFiles.list(deadPoll.resolve("ivp-livedata-status"), ".payload");
        assertThat(html).hasSize(1);
        assertThat(Files.readString(html.get(0))).containsIgnoringCase("<html");
    }
}
