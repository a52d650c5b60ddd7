package dev.enphaseetl.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.auth.RenewalPolicy;
import dev.enphaseetl.auth.StaticTokenSource;
import dev.enphaseetl.auth.TokenManager;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.simulator.GatewaySimulator;
import dev.enphaseetl.simulator.Hostile;
import dev.enphaseetl.simulator.SimulatorConfig;

/**
 * The fetcher against hostile simulated gateways over real HTTPS: a 500 MB answer, a gzip bomb and an endless answer
 * are cut off at the answer limit (counted after decompression) and an answer trickling in a byte per second is
 * cancelled at the deadline; after each, the same fetcher (the same connection pool) still reads a healthy gateway.
 */
class BoundedAnswersTest {

    private static final long LIMIT = 1024 * 1024;
    private static final Duration DEADLINE = Duration.ofSeconds(3);

    @TempDir
    static Path dir;
    static GatewaySimulator sim;
    static GatewayFetcher fetcher;
    static GatewayTarget hostile;
    static GatewayTarget healthy;

    @BeforeAll
    static void start() throws Exception {
        sim = new GatewaySimulator(SimulatorConfig.builder().httpPort(-1).httpsPort(0).gatewayCount(2).build());
        sim.start();
        hostile = new GatewayTarget("hostile", URI.create(sim.baseUrl(0, true)), null, Map.of());
        healthy = new GatewayTarget("healthy", URI.create(sim.baseUrl(1, true)), null, Map.of());
        TokenManager tokens = new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults());
        tokens.register("hostile", new StaticTokenSource(SimulatorConfig.DEV_TOKEN, "test"));
        tokens.register("healthy", new StaticTokenSource(SimulatorConfig.DEV_TOKEN, "test"));
        TrustOnFirstUse trust = new TrustOnFirstUse(dir.resolve("known-gateways.properties"), Map.of(), false);
        fetcher = new GatewayFetcher(trust, tokens, id -> Optional.empty(), Timeout.ofSeconds(5),
                Timeout.ofSeconds(5), LIMIT, DEADLINE);
    }

    @AfterAll
    static void stop() throws Exception {
        fetcher.close();
        sim.close();
    }

    private static GatewayException hostileFetch(Hostile mode) {
        sim.gateway(0).setHostile(mode);
        try {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                    () -> fetcher.fetch(new PollTask(hostile, Endpoint.PRODUCTION_JSON)));
            assertThat(t).as("fetch of a %s gateway", mode).isInstanceOf(GatewayException.class);
            return (GatewayException) t;
        } finally {
            sim.gateway(0).setHostile(Hostile.NONE);
        }
    }

    private static void healthyStillAnswers() throws GatewayException {
        Fetched f = fetcher.fetch(new PollTask(healthy, Endpoint.PRODUCTION_JSON));
        assertThat(f.status()).isEqualTo(200);
        assertThat(f.body()).contains("production");
    }

    @Test
    void aHugeAnswerIsRefusedUnreadAndThePoolGoesOn() throws Exception {
        long before = System.nanoTime();
        GatewayException e = hostileFetch(Hostile.HUGE);
        assertThat(e.reason()).isEqualTo(GatewayException.Reason.TOO_LARGE);
        assertThat(e.getMessage()).contains("gateway hostile").contains("max-answer-bytes=" + LIMIT);
        System.out.printf("FIGURES bounded-answers: HUGE refused in %d ms: %s%n",
                Duration.ofNanos(System.nanoTime() - before).toMillis(), e.getMessage());
        healthyStillAnswers();
    }

    @Test
    void aGzipBombIsCutOffAfterDecompressionAtTheLimit() throws Exception {
        GatewayException e = hostileFetch(Hostile.GZIP_BOMB);
        assertThat(e.reason()).isEqualTo(GatewayException.Reason.TOO_LARGE);
        assertThat(e.getMessage()).contains("larger than " + LIMIT + " bytes");
        healthyStillAnswers();
    }

    @Test
    void anEndlessAnswerIsCutOffAtTheLimit() throws Exception {
        GatewayException e = hostileFetch(Hostile.ENDLESS);
        assertThat(e.reason()).isEqualTo(GatewayException.Reason.TOO_LARGE);
        healthyStillAnswers();
    }

    @Test
    void anAnswerTricklingInIsCancelledAtTheDeadlineThoughTheSocketNeverTimesOut() throws Exception {
        long before = System.nanoTime();
        GatewayException e = hostileFetch(Hostile.TRICKLE);
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        assertThat(e.reason()).isEqualTo(GatewayException.Reason.TIMEOUT);
        assertThat(e.getMessage()).contains("request-deadline");
        // one deadline per request (the session check and the data request): far less than the 50 s of the body
        assertThat(took).isLessThan(DEADLINE.multipliedBy(3));
        healthyStillAnswers();
    }

    @Test
    void htmlAndUnauthorizedEverywhereAreAnswersNotErrors() throws Exception {
        sim.gateway(0).setHostile(Hostile.HTML);
        try {
            Fetched f = fetcher.fetch(new PollTask(hostile, Endpoint.PRODUCTION_JSON));
            assertThat(f.status()).isEqualTo(200);
            assertThat(f.body()).containsIgnoringCase("<html");
        } finally {
            sim.gateway(0).setHostile(Hostile.NONE);
        }
        sim.gateway(0).setHostile(Hostile.UNAUTHORIZED);
        try {
            Fetched f = fetcher.fetch(new PollTask(hostile, Endpoint.PRODUCTION_JSON));
            assertThat(f.status()).isEqualTo(401);
            assertThatThrownBy(() -> fetcher.requireAnswer(f)).isInstanceOf(GatewayException.class)
                    .satisfies(x -> assertThat(((GatewayException) x).reason())
                            .isEqualTo(GatewayException.Reason.AUTH));
        } finally {
            sim.gateway(0).setHostile(Hostile.NONE);
        }
        healthyStillAnswers();
    }
}
