package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.apache.hc.core5.util.Timeout;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.enphaseetl.auth.LogCapture;
import dev.enphaseetl.auth.RenewalPolicy;
import dev.enphaseetl.auth.StaticTokenSource;
import dev.enphaseetl.auth.TokenManager;
import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.GatewayFetcher;
import dev.enphaseetl.gateway.GatewayStates;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.LiveStream;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.gateway.TrustOnFirstUse;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.DefaultPayloadParser;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.pipeline.DeadLetters;
import dev.enphaseetl.pipeline.PollProblems;
import dev.enphaseetl.pipeline.ReadingExtractor;
import dev.enphaseetl.pipeline.RetryPlan;
import dev.enphaseetl.pipeline.StaleEndpoints;
import dev.enphaseetl.simulator.GatewaySimulator;
import dev.enphaseetl.simulator.SimulatorConfig;
import dev.enphaseetl.simulator.VirtualGateway;
import dev.enphaseetl.status.StaleDataReadiness;
import dev.enphaseetl.status.StatusLine;
import dev.enphaseetl.testing.MutableClock;

/**
 * An endpoint the simulator freezes (200 answers, old device timestamp or payload) while the gateway's other data
 * moves is reported stale in readiness details and the status line within three periods, once in the log, and
 * recovers when it moves again. The pipeline's fetch, parse and {@link StaleEndpoints} on a real HTTPS simulator; one
 * clock the test moves a minute per poll round.
 */
class StaleEndpointTest {

    private static final String GW = "gw1";
    private static final List<Endpoint> EACH_MINUTE = List.of(Endpoint.PRODUCTION_JSON,
            Endpoint.API_V1_PRODUCTION, Endpoint.IVP_METERS_READINGS, Endpoint.IVP_PDM_ENERGY,
            Endpoint.IVP_LIVEDATA_STATUS, Endpoint.IVP_METERS_REPORTS_CONSUMPTION);

    @TempDir
    Path dir;

    private MutableClock clock;
    private GatewaySimulator sim;
    private GatewayFetcher fetcher;
    private ReadingExtractor extractor;
    private GatewayTarget gw;
    private StaleEndpoints stale;

    private void start(Instant at) throws Exception {
        clock = new MutableClock(at);
        sim = new GatewaySimulator(SimulatorConfig.builder().httpPort(-1).httpsPort(0).seed(7).phases(3)
                .clock(clock).build());
        sim.start();
        TokenManager tokens = new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults());
        tokens.register(GW, new StaticTokenSource(SimulatorConfig.DEV_TOKEN, "test"));
        fetcher = new GatewayFetcher(new TrustOnFirstUse(dir.resolve("known.properties"), Map.of(), false), tokens,
                id -> Optional.empty(), Timeout.ofSeconds(5), Timeout.ofSeconds(5),
                new LiveStream(true, Duration.ofMinutes(12), clock));
        DeadLetters deadLetters = new DeadLetters(dir.resolve("dead"));
        PollProblems problems = new PollProblems(deadLetters,
                new PipelineMetrics(new SimpleMeterRegistry()), new RetryPlan(2, Duration.ofSeconds(5),
                        Duration.ofSeconds(30), Duration.ofMinutes(2), clock, new Random(7)),
                Duration.ofMinutes(30));
        extractor = new ReadingExtractor(new DefaultPayloadParser(), problems, new GatewayStates(), deadLetters);
        gw = new GatewayTarget(GW, URI.create(sim.baseUrl(0, true)), SimulatorConfig.DEV_TOKEN, Map.of(),
                sim.certificateSha256());
        stale = new StaleEndpoints(2, clock);
        poll(Endpoint.INFO);
        poll(Endpoint.IVP_METERS);
    }

    private void poll(Endpoint e) throws Exception {
        Fetched f = fetcher.requireAnswer(fetcher.fetch(new PollTask(gw, e)));
        List<Reading> readings = extractor.extract(f);
        stale.observe(f, readings);
    }

    /** One minute: every per-minute endpoint polled once. */
    private void minute() throws Exception {
        clock.advance(Duration.ofMinutes(1));
        for (Endpoint e : EACH_MINUTE) {
            poll(e);
        }
    }

    private Map<String, Object> readiness() {
        HealthCheckResponse r = new StaleDataReadiness(stale).call();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        return r.getData().orElseThrow();
    }

    @Test
    void aFrozenEndpointIsStaleWithinThreePeriodsOnceInTheLogAndRecovers() throws Exception {
        start(Instant.parse("2026-06-21T11:00:00Z"));
        try (GatewaySimulator s = sim; LogCapture logs = new LogCapture()) {
            VirtualGateway g = s.gateway(0);
            for (int i = 0; i < 5; i++) {
                minute();
            }
            assertThat(stale.stale()).as("all endpoints move").isEmpty();
            assertThat(readiness()).containsEntry("stale_endpoints", 0L);

            g.freeze(Endpoint.IVP_PDM_ENERGY); // no device timestamp: judged by payload
            g.freeze(Endpoint.IVP_METERS_READINGS); // judged by its device timestamp
            int periods = 0;
            while (stale.stale().size() < 2 && periods < 10) {
                minute();
                periods++;
            }
            assertThat(periods).as("periods until both are reported").isLessThanOrEqualTo(3);
            assertThat(stale.stale()).extracting(StaleEndpoints.Stale::endpoint)
                    .containsExactlyInAnyOrder(Endpoint.IVP_PDM_ENERGY, Endpoint.IVP_METERS_READINGS);
            minute();
            Map<String, Object> data = readiness();
            assertThat(data).containsEntry("gateway.gw1.ivp-pdm-energy", "stale")
                    .containsEntry("gateway.gw1.ivp-meters-readings", "stale")
                    .containsEntry("stale_endpoints", 2L)
                    .doesNotContainKey("gateway.gw1.production-json");
            assertThat((Long) data.get("gateway.gw1.ivp-pdm-energy.stale_for_s")).isGreaterThanOrEqualTo(180L);
            assertThat(StatusLine.staleSegment(stale.stale())).get().asString().startsWith("stale: ")
                    .contains("gw1 ivp-pdm-energy").contains("gw1 ivp-meters-readings").contains(" min");
            for (int i = 0; i < 3; i++) {
                minute();
            }
            assertThat(logs.texts().stream().filter(t -> t.contains("WARN") && t.contains("is stale")))
                    .as("one line when it starts, not one per poll").hasSize(2);

            g.unfreeze(Endpoint.IVP_PDM_ENERGY);
            g.unfreeze(Endpoint.IVP_METERS_READINGS);
            minute();
            assertThat(stale.stale()).isEmpty();
            assertThat(readiness()).containsEntry("stale_endpoints", 0L)
                    .doesNotContainKey("gateway.gw1.ivp-pdm-energy");
            assertThat(StatusLine.staleSegment(stale.stale())).isEmpty();
            assertThat(logs.texts().stream().filter(t -> t.contains("delivers fresh data again"))).hasSize(2);
        }
    }

    @Test
    void aWholeGatewayStandingStillIsNotStale() throws Exception {
        start(Instant.parse("2026-06-21T11:00:00Z"));
        try (GatewaySimulator s = sim) {
            for (int i = 0; i < 3; i++) {
                minute();
            }
            for (Endpoint e : Endpoint.values()) {
                s.gateway(0).freeze(e);
            }
            for (int i = 0; i < 6; i++) {
                minute();
            }
            assertThat(stale.stale()).as("nothing moved, so nothing is singled out").isEmpty();
        }
    }

    @Test
    void aLiveStreamThatIsRefusedLeavesLivedataStale() throws Exception {
        start(Instant.parse("2026-06-21T11:00:00Z"));
        try (GatewaySimulator s = sim) {
            s.gateway(0).setLiveStreamRefusal(401);
            for (int i = 0; i < 4; i++) {
                minute();
            }
            assertThat(stale.stale()).extracting(StaleEndpoints.Stale::endpoint)
                    .containsExactly(Endpoint.IVP_LIVEDATA_STATUS);
        }
    }
}
