package dev.enphaseetl.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.parse.Endpoint;

class GatewaySimulatorTest {

    private static final Instant NOW = Instant.parse("2026-06-03T11:22:33Z");
    private static final String TOKEN = SimulatorConfig.DEV_TOKEN;
    private static GatewaySimulator sim;

    @BeforeAll
    static void start() {
        sim = new GatewaySimulator(SimulatorConfig.builder().gatewayCount(3).seed(7)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build());
        sim.start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void clearFaults() {
        sim.gateways().forEach(VirtualGateway::clearFaults);
    }

    private static String url(int gateway, Endpoint e) {
        return sim.baseUrl(gateway, true) + e.path();
    }

    @Test
    void dataNeedsAValidToken() throws Exception {
        assertThat(TestHttp.get(url(0, Endpoint.IVP_METERS_READINGS)).statusCode()).isEqualTo(401);
        assertThat(TestHttp.getWithToken(url(0, Endpoint.IVP_METERS_READINGS), "wrong").statusCode())
                .isEqualTo(401);
        HttpResponse<String> ok = TestHttp.getWithToken(url(0, Endpoint.IVP_METERS_READINGS), TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        SimulatedGateway model = sim.gateway(0).model().orElseThrow();
        assertThat(ok.body()).isEqualTo(model.body(Endpoint.IVP_METERS_READINGS, NOW));
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
        // plain HTTP wants the token too on modern firmware
        assertThat(TestHttp.get(sim.baseUrl(0, false) + Endpoint.API_V1_PRODUCTION.path()).statusCode())
                .isEqualTo(401);
        assertThat(TestHttp.getWithToken(sim.baseUrl(0, false) + Endpoint.API_V1_PRODUCTION.path(), TOKEN)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void everyEndpointAnswersAndTheFirstGatewayIsAlsoAtTheRoot() throws Exception {
        SimulatedGateway model = sim.gateway(0).model().orElseThrow();
        for (Endpoint e : Endpoint.values()) {
            HttpResponse<String> r = TestHttp.getWithToken(sim.rootUrl(true) + e.path(), TOKEN);
            assertThat(r.statusCode()).as(e.id()).isEqualTo(200);
            assertThat(r.body()).as(e.id()).isEqualTo(model.body(e, NOW));
        }
        HttpResponse<String> plain = TestHttp.getWithToken(sim.baseUrl(1, true) + "/production.json", TOKEN);
        assertThat(plain.body()).isEqualTo(sim.gateway(1).model().orElseThrow().productionJson(NOW, false))
                .doesNotContain("\"lines\"");
        assertThat(TestHttp.getWithToken(sim.rootUrl(true) + "/gw/000000000000/info", TOKEN).statusCode())
                .isEqualTo(404);
    }

    @Test
    void infoNeedsNoToken() throws Exception {
        HttpResponse<String> r = TestHttp.get(url(2, Endpoint.INFO));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<sn>" + sim.gateway(2).serial() + "</sn>");
    }

    @Test
    void checkJwtSetsASessionCookieThatAuthorizes() throws Exception {
        String check = sim.baseUrl(1, true) + "/auth/check_jwt";
        assertThat(TestHttp.getWithToken(check, "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = TestHttp.getWithToken(check, TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("Valid token.");
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("sessionId=").contains("HttpOnly");
        String session = cookie.substring(0, cookie.indexOf(';'));
        assertThat(TestHttp.get(url(1, Endpoint.API_V1_PRODUCTION), "Cookie", session).statusCode())
                .isEqualTo(200);
        assertThat(TestHttp.get(url(1, Endpoint.API_V1_PRODUCTION), "Cookie", "sessionId=forged").statusCode())
                .isEqualTo(401);
        // a session belongs to its gateway
        assertThat(TestHttp.get(url(2, Endpoint.API_V1_PRODUCTION), "Cookie", session).statusCode())
                .isEqualTo(401);
    }

    @Test
    void tokensArePerGatewayAndChangeable() throws Exception {
        sim.gateway(2).setTokens(List.of("other-token"));
        try {
            assertThat(TestHttp.getWithToken(url(2, Endpoint.IVP_METERS), TOKEN).statusCode()).isEqualTo(401);
            assertThat(TestHttp.getWithToken(url(2, Endpoint.IVP_METERS), "other-token").statusCode())
                    .isEqualTo(200);
            assertThat(TestHttp.getWithToken(url(1, Endpoint.IVP_METERS), TOKEN).statusCode()).isEqualTo(200);
        } finally {
            sim.gateway(2).setTokens(List.of(TOKEN));
        }
    }

    @Test
    void httpsCertificateIsTheExposedOne() throws Exception {
        HttpResponse<String> r = TestHttp.get(url(0, Endpoint.INFO));
        Certificate peer = r.sslSession().orElseThrow().getPeerCertificates()[0];
        assertThat(SelfSignedCertificate.sha256Of(peer)).isEqualTo(sim.certificateSha256()).hasSize(64);
        assertThat(sim.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void latencyFault() throws Exception {
        sim.gateway(1).setFault(Endpoint.IVP_METERS, Fault.latency(400));
        long t0 = System.nanoTime();
        HttpResponse<String> r = TestHttp.getWithToken(url(1, Endpoint.IVP_METERS), TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void statusFault() throws Exception {
        sim.gateway(1).setFault(Endpoint.PRODUCTION_JSON, Fault.httpStatus(500));
        assertThat(TestHttp.getWithToken(url(1, Endpoint.PRODUCTION_JSON), TOKEN).statusCode()).isEqualTo(500);
        assertThat(TestHttp.getWithToken(url(1, Endpoint.IVP_METERS), TOKEN).statusCode()).isEqualTo(200);
        assertThat(TestHttp.getWithToken(url(0, Endpoint.PRODUCTION_JSON), TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void hangFault() {
        sim.gateway(1).setFault(Endpoint.IVP_PDM_ENERGY, Fault.hanging());
        assertThatThrownBy(() -> TestHttp.CLIENT.send(TestHttp.request(url(1, Endpoint.IVP_PDM_ENERGY))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofMillis(700)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void malformedFault() throws Exception {
        sim.gateway(1).setFault(Endpoint.API_V1_PRODUCTION_INVERTERS, Fault.malformedBody());
        HttpResponse<String> r = TestHttp.getWithToken(url(1, Endpoint.API_V1_PRODUCTION_INVERTERS), TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        String full = sim.gateway(1).model().orElseThrow().body(Endpoint.API_V1_PRODUCTION_INVERTERS, NOW);
        assertThat(full).startsWith(r.body()).isNotEqualTo(r.body());
        assertThatThrownBy(() -> new ObjectMapper().readTree(r.body())).isInstanceOf(Exception.class);
    }

    @Test
    void htmlPageFault() throws Exception {
        sim.gateway(1).setFaultEverywhere(Fault.html200());
        HttpResponse<String> r = TestHttp.getWithToken(url(1, Endpoint.IVP_LIVEDATA_STATUS), TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(r.body()).startsWith("<!DOCTYPE html>");
    }

    @Test
    void faultsComeAfterAuthentication() throws Exception {
        sim.gateway(1).setFault(Endpoint.IVP_METERS, Fault.hanging());
        assertThat(TestHttp.get(url(1, Endpoint.IVP_METERS)).statusCode()).isEqualTo(401);
    }
}
