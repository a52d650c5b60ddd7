package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import dev.enphaseetl.simulator.GatewaySimulator;
import dev.enphaseetl.simulator.SimulatorConfig;
import dev.enphaseetl.simulator.VirtualGateway;
import dev.enphaseetl.testing.MutableClock;

/**
 * Issue #18: {@code /ivp/livedata/status} only moves while the gateway's live stream is on. A real simulator (HTTPS,
 * token) whose stream starts disabled and lapses after its configured time, and the pipeline's fetch, parse and
 * {@link LiveStream}, all on one clock the test moves a minute per poll for an hour of simulated time.
 */
class LiveDataTest {

    private static final Instant START = Instant.parse("2026-06-21T10:00:30Z");
    private static final String GW = "gw1";

    @TempDir
    Path dir;

    /** One poll of /ivp/livedata/status the way route poll-gateway runs it; the livedata readings it gave. */
    private static List<Reading> poll(GatewayFetcher fetcher, ReadingExtractor extractor, GatewayTarget gw)
            throws Exception {
        Fetched f = fetcher.requireAnswer(fetcher.fetch(new PollTask(gw, Endpoint.IVP_LIVEDATA_STATUS)));
        return extractor.extract(f).stream().filter(r -> r.measurement().equals("livedata")).toList();
    }

    private record Rig(GatewaySimulator sim, GatewayFetcher fetcher, ReadingExtractor extractor, GatewayTarget gw) {}

    private Rig rig(MutableClock clock, Duration gatewayLapse, Duration renewAfter) throws Exception {
        GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().httpPort(-1).httpsPort(0).seed(18)
                .clock(clock).liveStreamLapse(gatewayLapse).build());
        sim.start();
        TokenManager tokens = new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults());
        tokens.register(GW, new StaticTokenSource(SimulatorConfig.DEV_TOKEN, "test"));
        TrustOnFirstUse trust = new TrustOnFirstUse(dir.resolve("known-gateways.properties"), Map.of(), false);
        GatewayFetcher fetcher = new GatewayFetcher(trust, tokens, id -> Optional.empty(), Timeout.ofSeconds(5),
                Timeout.ofSeconds(5), new LiveStream(true, renewAfter, clock));
        DeadLetters deadLetters = new DeadLetters(dir.resolve("dead"));
        PollProblems problems = new PollProblems(deadLetters,
                new PipelineMetrics(new SimpleMeterRegistry()),
                new RetryPlan(2, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), clock,
                        new Random(18)),
                Duration.ofMinutes(30));
        ReadingExtractor extractor = new ReadingExtractor(new DefaultPayloadParser(), problems, new GatewayStates(),
                deadLetters);
        GatewayTarget gw = new GatewayTarget(GW, URI.create(sim.baseUrl(0, true)), SimulatorConfig.DEV_TOKEN,
                Map.of(), sim.certificateSha256());
        // the serial first (from /info), as the pipeline does: readings are written under the serial only
        extractor.extract(fetcher.requireAnswer(fetcher.fetch(new PollTask(gw, Endpoint.INFO))));
        return new Rig(sim, fetcher, extractor, gw);
    }

    /** Polls once a minute for an hour; returns the livedata time of each poll (epoch seconds). */
    private static List<Long> anHourOfPolls(Rig rig, MutableClock clock) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int minute = 1; minute <= 60; minute++) {
            clock.advance(Duration.ofMinutes(1));
            List<Reading> readings = poll(rig.fetcher(), rig.extractor(), rig.gw());
            assertThat(readings).as("minute %d", minute).isNotEmpty();
            assertThat(readings.stream().map(Reading::time).distinct()).as("one last_update per poll").hasSize(1);
            times.add(readings.get(0).time());
        }
        return times;
    }

    private static void assertAdvancesEveryMinute(List<Long> times, MutableClock clock) {
        long end = clock.instant().getEpochSecond();
        for (int i = 0; i < times.size(); i++) {
            long expected = end - 60L * (times.size() - 1 - i);
            assertThat(times.get(i)).as("poll %d is dated at its own minute, not an old last_update", i + 1)
                    .isEqualTo(expected);
        }
    }

    @Test
    void theStreamStartsDisabledIsEnabledByTheFirstPollAndKeptOnForAnHour() throws Exception {
        MutableClock clock = new MutableClock(START);
        Rig rig = rig(clock, SimulatorConfig.DEFAULT_LIVE_STREAM_LAPSE, Duration.ofMinutes(12));
        try (GatewaySimulator sim = rig.sim()) {
            VirtualGateway g = sim.gateway(0);
            // hostile start: a gateway whose stream is off answers 200 with a frozen last_update
            String before = g.model().orElseThrow().livedataStatus(START, false);
            assertThat(before).contains("\"sc_stream\":\"disabled\"");
            assertThat(g.liveStreamRequests()).isZero();

            List<Long> times = anHourOfPolls(rig, clock);

            assertAdvancesEveryMinute(times, clock);
            assertThat(times).doesNotHaveDuplicates();
            // enabled before the first poll, then again every 12 minutes, before the gateway's 15 minutes ran out
            assertThat(g.liveStreamRequests()).isEqualTo((int) Math.ceil(60 / 12.0));
            assertThat(g.liveStreamLapses()).as("renewed before it lapsed").isZero();
        }
    }

    @Test
    void aStreamThatLapsesTwiceIsEnabledAgainAndTheSeriesDoesNotStop() throws Exception {
        MutableClock clock = new MutableClock(START);
        // the gateway switches off after 20 minutes, sooner than we would renew (30): it lapses at 21 and 41
        Rig rig = rig(clock, Duration.ofMinutes(20), Duration.ofMinutes(30));
        try (GatewaySimulator sim = rig.sim()) {
            VirtualGateway g = sim.gateway(0);
            List<Long> times = anHourOfPolls(rig, clock);

            assertAdvancesEveryMinute(times, clock);
            assertThat(g.liveStreamLapses()).isEqualTo(2);
            assertThat(g.liveStreamRequests()).as("first enable and one per lapse").isEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 404})
    void aGatewayThatRefusesTheStreamIsReportedOnceAndNotAskedAgain(int refusal) throws Exception {
        MutableClock clock = new MutableClock(START);
        Rig rig = rig(clock, SimulatorConfig.DEFAULT_LIVE_STREAM_LAPSE, Duration.ofMinutes(12));
        try (GatewaySimulator sim = rig.sim(); LogCapture logs = new LogCapture()) {
            VirtualGateway g = sim.gateway(0);
            g.setLiveStreamRefusal(refusal);

            List<Long> times = anHourOfPolls(rig, clock);

            assertThat(g.liveStreamRequests()).as("no retry storm").isEqualTo(1);
            assertThat(logs.texts().stream().filter(t -> t.contains("live data not available on this gateway")))
                    .hasSize(1).first().asString().contains("HTTP " + refusal).contains(GW)
                    .doesNotContain(SimulatorConfig.DEV_TOKEN);
            // still polled at its period: 200 answers whose last_update stands still
            assertThat(times).hasSize(60);
            assertThat(times.stream().distinct()).hasSize(1);
        }
    }
}
