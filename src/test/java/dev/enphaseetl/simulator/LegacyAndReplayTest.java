package dev.enphaseetl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.parse.Endpoint;

class LegacyAndReplayTest {

    private static final Path CAPTURES = Path.of("src/test/resources/fixtures/captures");
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @Test
    void legacyGatewayNeedsNoTokenButDigestOnTheInverterList() throws Exception {
        try (GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().firmware("3.9.36").httpsPort(-1)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build())) {
            sim.start();
            VirtualGateway gw = sim.gateway(0);
            assertThat(gw.legacy()).isTrue();
            String base = sim.baseUrl(0, false);
            assertThat(TestHttp.get(base + "/api/v1/production").statusCode()).isEqualTo(200);

            String uriPath = "/gw/" + gw.serial() + "/api/v1/production/inverters";
            HttpResponse<String> challenge = TestHttp.get(base + "/api/v1/production/inverters");
            assertThat(challenge.statusCode()).isEqualTo(401);
            String wwwAuth = challenge.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertThat(wwwAuth).startsWith("Digest ").contains("qop=\"auth\"", "realm=\"enphaseenergy.com\"");
            Map<String, String> p = DigestAuth.parse(wwwAuth.substring(7));

            String password = gw.serial().substring(gw.serial().length() - 6);
            String ok = digest("envoy", password, p.get("realm"), p.get("nonce"), "00000001", uriPath);
            HttpResponse<String> r = TestHttp.get(base + "/api/v1/production/inverters", "Authorization", ok);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(gw.model().orElseThrow().body(Endpoint.API_V1_PRODUCTION_INVERTERS, NOW));

            // the same nonce count again is a replay
            assertThat(TestHttp.get(base + "/api/v1/production/inverters", "Authorization", ok).statusCode())
                    .isEqualTo(401);
            String next = digest("envoy", password, p.get("realm"), p.get("nonce"), "00000002", uriPath);
            assertThat(TestHttp.get(base + "/api/v1/production/inverters", "Authorization", next).statusCode())
                    .isEqualTo(200);
            String wrong = digest("envoy", "000000", p.get("realm"), p.get("nonce"), "00000003", uriPath);
            assertThat(TestHttp.get(base + "/api/v1/production/inverters", "Authorization", wrong).statusCode())
                    .isEqualTo(401);
            assertThat(new String(TestHttp.get(base + "/info").body())).doesNotContain("web-tokens");
        }
    }

    /** Client side of RFC 2617 digest with qop=auth, written independently of the server. */
    private static String digest(String user, String password, String realm, String nonce, String nc, String uri) {
        String cnonce = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        String ha1 = DigestAuth.md5(user + ":" + realm + ":" + password);
        String ha2 = DigestAuth.md5("GET:" + uri);
        String response = DigestAuth.md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\", response=\"" + response + "\"";
    }

    @Test
    void replaysCapturesWithTheirStatus() throws Exception {
        Path dir = CAPTURES.resolve("8.3.5169_with_generator");
        try (GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().captureDir(dir).build())) {
            sim.start();
            String base = sim.baseUrl(0, true);
            String token = SimulatorConfig.DEV_TOKEN;
            HttpResponse<String> r = TestHttp.getWithToken(base + "/production.json?details=1", token);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Files.readString(dir.resolve("production.json_details_1")));
            HttpResponse<String> readings = TestHttp.getWithToken(sim.rootUrl(true) + "/ivp/meters/readings", token);
            assertThat(readings.body()).isEqualTo(Files.readString(dir.resolve("ivp_meters_readings")));
            assertThat(TestHttp.getWithToken(base + "/no/such/thing", token).statusCode()).isEqualTo(404);
            assertThat(TestHttp.get(base + "/production.json?details=1").statusCode()).isEqualTo(401);
            assertThat(sim.gateway(0).serial()).isEqualTo("202439990001");
        }
        Path noDetails = CAPTURES.resolve("7.3.466_with_cts_3phase");
        try (GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().captureDir(noDetails).build())) {
            sim.start();
            HttpResponse<String> r = TestHttp.getWithToken(sim.baseUrl(0, true) + "/production.json?details=1",
                    SimulatorConfig.DEV_TOKEN);
            assertThat(r.body()).isEqualTo(Files.readString(noDetails.resolve("production.json")));
        }
        Path badAuth = CAPTURES.resolve("3.9.36_bad_auth");
        try (GatewaySimulator sim = new GatewaySimulator(
                SimulatorConfig.builder().captureDir(badAuth).legacyDigest(false).build())) {
            sim.start();
            String base = sim.baseUrl(0, false);
            JsonNode log = new ObjectMapper()
                    .readTree(badAuth.resolve("api_v1_production_inverters_log.json").toFile());
            HttpResponse<String> r = TestHttp.get(base + "/api/v1/production/inverters");
            assertThat(r.statusCode()).isEqualTo(log.get("code").asInt());
            assertThat(r.body()).isEqualTo(Files.readString(badAuth.resolve("api_v1_production_inverters")));
            assertThat(TestHttp.get(base + "/ivp/meters").statusCode()).isEqualTo(
                    new ObjectMapper().readTree(badAuth.resolve("ivp_meters_log.json").toFile()).get("code").asInt());
        }
    }

    @Test
    void aThousandGatewaysOnOnePort() throws Exception {
        try (GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().gatewayCount(1000).seed(99)
                .httpPort(-1).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build())) {
            sim.start();
            Set<String> serials = new HashSet<>();
            sim.gateways().forEach(g -> serials.add(g.serial()));
            assertThat(serials).hasSize(1000);
            for (int i = 0; i < 1000; i += 37) {
                HttpResponse<String> info = TestHttp.get(sim.baseUrl(i, true) + "/info");
                assertThat(info.body()).contains("<sn>" + sim.gateway(i).serial() + "</sn>");
                HttpResponse<String> data = TestHttp.getWithToken(sim.baseUrl(i, true) + "/api/v1/production",
                        SimulatorConfig.DEV_TOKEN);
                assertThat(data.body()).isEqualTo(
                        sim.gateway(i).model().orElseThrow().body(Endpoint.API_V1_PRODUCTION, NOW));
            }
            assertThat(sim.baseUrl(999, true)).startsWith(sim.rootUrl(true));
        }
    }

    @Test
    void acceleratedClockRunsFaster() throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Clock c = SimClocks.accelerated(start, 3600);
        Thread.sleep(50);
        assertThat(c.instant()).isAfter(start.plusSeconds(60));
    }
}
