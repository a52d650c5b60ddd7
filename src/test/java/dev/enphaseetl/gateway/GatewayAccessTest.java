package dev.enphaseetl.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.auth.RenewalPolicy;
import dev.enphaseetl.auth.StaticTokenSource;
import dev.enphaseetl.auth.TokenManager;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.simulator.GatewaySimulator;
import dev.enphaseetl.simulator.SimulatorConfig;

/** The fetcher against the real simulator over real HTTP and TLS: tokens, certificate pinning, legacy digest. */
class GatewayAccessTest {

    @TempDir
    Path dir;

    private static String fakeJwt(String jti) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"ES256\",\"typ\":\"JWT\"}";
        String payload = "{\"enphaseUser\":\"owner\",\"exp\":4102444800,\"iat\":1700000000,\"jti\":\"" + jti + "\"}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(
                        "sig".getBytes(StandardCharsets.UTF_8));
    }

    private GatewayFetcher fetcher(TokenManager tokens, Map<String, String> serials) {
        TrustOnFirstUse trust = new TrustOnFirstUse(dir.resolve("known-gateways.properties"), Map.of(), false);
        return new GatewayFetcher(trust, tokens, id -> Optional.ofNullable(serials.get(id)), Timeout.ofSeconds(5),
                Timeout.ofSeconds(5));
    }

    private static TokenManager tokens(String gatewayId, String jwt) throws Exception {
        TokenManager m = new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults());
        if (jwt != null) {
            m.register(gatewayId, new StaticTokenSource(jwt, "test"));
        }
        return m;
    }

    /** The simulator's gateways, all behind its one HTTPS host:port. */
    private static List<GatewayTarget> gateways(GatewaySimulator sim) {
        List<GatewayTarget> gws = new java.util.ArrayList<>();
        for (int i = 0; i < sim.gateways().size(); i++) {
            gws.add(new GatewayTarget("gw" + i, URI.create(sim.baseUrl(i, true)), null, Map.of()));
        }
        return gws;
    }

    private static TokenManager tokensOf(List<GatewayTarget> gws) throws Exception {
        TokenManager tokens = new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults());
        for (GatewayTarget g : gws) {
            tokens.register(g.id(), new StaticTokenSource(SimulatorConfig.DEV_TOKEN, "test"));
        }
        return tokens;
    }

    @Test
    void rightTokenGetsDataAndAWrongTokenOneClearErrorNamingTheGateway() throws Exception {
        try (GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().httpPort(-1).httpsPort(0).build())) {
            sim.start();
            URI base = URI.create(sim.baseUrl(0, true));
            GatewayTarget good = new GatewayTarget("gw-a", base, null, Map.of());
            Fetched ok = fetcher(tokens("gw-a", SimulatorConfig.DEV_TOKEN), Map.of())
                    .fetch(new PollTask(good, Endpoint.API_V1_PRODUCTION));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).contains("wattsNow");

            String wrong = fakeJwt("not-the-gateways-token");
            GatewayFetcher f = fetcher(tokens("gw-a", wrong), Map.of());
            Fetched refused = f.fetch(new PollTask(good, Endpoint.API_V1_PRODUCTION));
            assertThat(refused.status()).isEqualTo(401);
            assertThatThrownBy(() -> f.requireAnswer(refused)).isInstanceOf(GatewayException.class)
                    .hasMessageContaining("gateway gw-a").hasMessageContaining("rejected the token")
                    .hasMessageNotContaining(wrong)
                    .satisfies(e -> assertThat(((GatewayException) e).reason())
                            .isEqualTo(GatewayException.Reason.AUTH));
        }
    }

    @Test
    void theSessionFromCheckJwtIsReusedWhileTheGatewayAcceptsIt() throws Exception {
        try (GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().httpPort(-1).httpsPort(0).build())) {
            sim.start();
            GatewayTarget gw = new GatewayTarget("gw", URI.create(sim.baseUrl(0, true)), null, Map.of());
            GatewayFetcher f = fetcher(tokens("gw", SimulatorConfig.DEV_TOKEN), Map.of());
            assertThat(f.fetch(new PollTask(gw, Endpoint.API_V1_PRODUCTION)).status()).isEqualTo(200);
            // the gateway stops accepting the token: the session opened by /auth/check_jwt still carries the polls
            sim.gateway(0).setTokens(List.of());
            assertThat(f.fetch(new PollTask(gw, Endpoint.API_V1_PRODUCTION)).status()).isEqualTo(200);
            assertThat(f.fetch(new PollTask(gw, Endpoint.IVP_METERS)).status()).isEqualTo(200);
            // the session ends too: now the gateway refuses, and the fetcher reports it
            sim.gateway(0).invalidateSessions();
            assertThat(f.fetch(new PollTask(gw, Endpoint.API_V1_PRODUCTION)).status()).isEqualTo(401);
        }
    }

    @Test
    void aGatewayIsPolledOverOneKeptAliveConnectionAndGatewaysSharingAHostPortGetOneEach() throws Exception {
        // ten rounds: the failure this guards against was a race (one round in eight on a quiet machine)
        for (int round = 0; round < 10; round++) {
            try (GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().gatewayCount(3).httpPort(-1)
                    .httpsPort(0).build())) {
                sim.start();
                List<GatewayTarget> gws = gateways(sim);
                GatewayFetcher f = fetcher(tokensOf(gws), Map.of());
                // one gateway, its polls one after the other as the pipeline makes them: /auth/check_jwt opens the
                // session and the first poll follows at once (before, that opened a second connection)
                for (Endpoint e : List.of(Endpoint.INFO, Endpoint.PRODUCTION_JSON, Endpoint.IVP_METERS,
                        Endpoint.API_V1_PRODUCTION, Endpoint.IVP_METERS_READINGS, Endpoint.IVP_PDM_ENERGY)) {
                    assertThat(f.fetch(new PollTask(gws.get(0), e)).status()).as("%s", e).isEqualTo(200);
                }
                assertThat(f.http().connections()).as("connections to one gateway").isEqualTo(1);

                // at once, two more gateways behind the same host:port, all three polled together while each takes
                // its time to answer: each has a connection of its own (before, the two newcomers could queue
                // behind the first gateway's connection and the three answers came one after the other)
                sim.gateways().forEach(g -> g.setFaultEverywhere(dev.enphaseetl.simulator.Fault.latency(500)));
                for (int burst = 0; burst < 2; burst++) {
                    var inFlight = gws.stream().map(g -> f.fetchAsync(new PollTask(g, Endpoint.API_V1_PRODUCTION)))
                            .toList();
                    for (var answer : inFlight) {
                        assertThat(answer.get().status()).isEqualTo(200);
                    }
                    assertThat(f.http().connections()).as("connections to three gateways at one host:port, round %d"
                            + " burst %d", round, burst).isEqualTo(3);
                }
            }
        }
    }

    @Test
    void aHangingGatewayBehindASharedHostPortDoesNotHoldUpTheOthers() throws Exception {
        try (GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().gatewayCount(3).httpPort(-1)
                .httpsPort(0).build())) {
            sim.start();
            List<GatewayTarget> gws = gateways(sim);
            GatewayFetcher f = fetcher(tokensOf(gws), Map.of());
            assertThat(f.fetch(new PollTask(gws.get(0), Endpoint.INFO)).status()).isEqualTo(200);
            // the first gateway stops answering with its kept-alive connection leased; the others join the same
            // host:port meanwhile and are answered long before the hanging request's 5 s timeout
            sim.gateway(0).setFaultEverywhere(dev.enphaseetl.simulator.Fault.hanging());
            var hanging = f.fetchAsync(new PollTask(gws.get(0), Endpoint.API_V1_PRODUCTION));
            for (GatewayTarget other : gws.subList(1, 3)) {
                for (Endpoint e : List.of(Endpoint.INFO, Endpoint.API_V1_PRODUCTION, Endpoint.IVP_METERS)) {
                    var answer = f.fetchAsync(new PollTask(other, e));
                    assertThat(answer.get(3, java.util.concurrent.TimeUnit.SECONDS).status()).as("%s %s",
                            other.id(), e).isEqualTo(200);
                }
            }
            assertThat(hanging).as("the hanging gateway's poll is still waiting").isNotDone();
        }
    }

    @Test
    void aChangedCertificateIsRefusedNamingOldAndNewFingerprints() throws Exception {
        TokenManager tokens = tokens("gw", SimulatorConfig.DEV_TOKEN);
        GatewayFetcher f = fetcher(tokens, Map.of());
        int port;
        String first;
        try (GatewaySimulator a = new GatewaySimulator(SimulatorConfig.builder().httpPort(-1).httpsPort(0).build())) {
            port = a.start().https();
            first = a.certificateSha256();
            GatewayTarget gw = new GatewayTarget("gw", URI.create(a.baseUrl(0, true)), null, Map.of());
            assertThat(f.fetch(new PollTask(gw, Endpoint.API_V1_PRODUCTION)).status()).isEqualTo(200);
        }
        try (GatewaySimulator b = new GatewaySimulator(SimulatorConfig.builder().httpPort(-1).httpsPort(port)
                .build())) {
            b.start();
            String second = b.certificateSha256();
            assertThat(second).isNotEqualTo(first);
            GatewayTarget gw = new GatewayTarget("gw", URI.create(b.baseUrl(0, true)), null, Map.of());
            assertThatThrownBy(() -> f.fetch(new PollTask(gw, Endpoint.API_V1_PRODUCTION)))
                    .isInstanceOf(GatewayException.class)
                    .hasMessageContaining(CertificateFingerprints.normalize(first))
                    .hasMessageContaining(CertificateFingerprints.normalize(second))
                    .hasMessageContaining("Refusing to connect");
        }
    }

    @Test
    void legacyFirmwareDigestAuthWithTheSerialDerivedPassword() throws Exception {
        try (GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().httpPort(0).httpsPort(-1)
                .firmware("5.0.62").build())) {
            sim.start();
            String serial = sim.gateway(0).serial();
            GatewayTarget gw = new GatewayTarget("legacy", URI.create(sim.baseUrl(0, false)), null, Map.of());
            PollTask inverters = new PollTask(gw, Endpoint.API_V1_PRODUCTION_INVERTERS);

            // serial not known yet: the digest challenge cannot be answered
            assertThat(fetcher(tokens("legacy", null), Map.of()).fetch(inverters).status()).isEqualTo(401);

            Fetched ok = fetcher(tokens("legacy", null), Map.of("legacy", serial)).fetch(inverters);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).contains("serialNumber");

            GatewayTarget wrongUser = new GatewayTarget("legacy", gw.baseUrl(), null, Map.of(), null, "envoy",
                    "000000");
            assertThat(fetcher(tokens("legacy", null), Map.of("legacy", serial))
                    .fetch(new PollTask(wrongUser, Endpoint.API_V1_PRODUCTION_INVERTERS)).status()).isEqualTo(401);
        }
    }

    @Test
    void theOtherSchemeIsTriedOnlyOnDefaultPorts() {
        assertThat(SchemeFallback.alternative(URI.create("https://192.0.2.1")))
                .contains(URI.create("http://192.0.2.1"));
        assertThat(SchemeFallback.alternative(URI.create("http://envoy.local"))).contains(
                URI.create("https://envoy.local"));
        assertThat(SchemeFallback.alternative(URI.create("https://192.0.2.1:8443"))).isEmpty();
    }

    @Test
    void aGatewayWithoutPort443IsReachedOverPort80() throws Exception {
        // firmware 5 only listens on port 80: the configured https:// URL is refused, plain HTTP answers
        GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().httpPort(80).httpsPort(-1)
                .firmware("5.0.62").build());
        try {
            sim.start();
        } catch (Exception e) {
            sim.close();
            Assumptions.abort("port 80 is not available here: " + e.getMessage());
        }
        try (sim) {
            GatewayTarget gw = new GatewayTarget("legacy", URI.create("https://127.0.0.1"), null, Map.of());
            GatewayFetcher f = fetcher(tokens("legacy", null), Map.of());
            Fetched ok = f.fetch(new PollTask(gw, Endpoint.API_V1_PRODUCTION));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).contains("wattsNow");
            // and the scheme that answered is kept
            assertThat(f.fetch(new PollTask(gw, Endpoint.PRODUCTION_JSON)).status()).isEqualTo(200);

            // with a token there is no fallback from HTTPS to HTTP: a token never travels in clear text
            GatewayTarget modern = new GatewayTarget("modern", URI.create("https://127.0.0.1"), null, Map.of());
            GatewayFetcher withToken = fetcher(tokens("modern", SimulatorConfig.DEV_TOKEN), Map.of());
            assertThatThrownBy(() -> withToken.fetch(new PollTask(modern, Endpoint.API_V1_PRODUCTION)))
                    .isInstanceOf(GatewayException.class).hasMessageContaining("unreachable")
                    .satisfies(e -> assertThat(((GatewayException) e).connectionRefused()).isTrue());
        }
    }
}
