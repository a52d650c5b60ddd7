package dev.enphaseetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.testing.MutableClock;

class RetryPlanTest {

    static final GatewayTarget GW = new GatewayTarget("gw", URI.create("https://192.0.2.1"), null, Map.of());
    static final PollTask METERS = new PollTask(GW, Endpoint.IVP_METERS_READINGS);
    static final PollTask INVERTERS = new PollTask(GW, Endpoint.API_V1_PRODUCTION_INVERTERS);

    /** The defaults: 2 retries, 5 s doubling to at most 30 s, outage window 2 min. */
    static RetryPlan plan(Clock clock) {
        return new RetryPlan(2, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), clock,
                new Random(42));
    }

    @Test
    void aFailedPollIsRetriedWithGrowingJitteredDelaysUntilItsBudgetIsSpent() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-21T12:00:00Z"));
        RetryPlan p = plan(clock);
        p.ticked(METERS);
        Duration first = p.failed(METERS).orElseThrow();
        assertThat(first).isBetween(Duration.ofMillis(2500), Duration.ofMillis(7500));
        assertThat(p.due()).isEmpty();
        clock.advance(first);
        assertThat(p.due()).containsExactly(METERS);
        assertThat(p.due()).as("handed out once").isEmpty();

        Duration second = p.failed(METERS).orElseThrow();
        assertThat(second).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
        clock.advance(second);
        assertThat(p.due()).containsExactly(METERS);
        assertThat(p.failed(METERS)).as("budget of 2 spent: the next tick asks again").isEmpty();

        p.ticked(METERS);
        assertThat(p.failed(METERS)).as("a tick renews the budget").isPresent();
    }

    @Test
    void theDelaysAreJitteredSoThatGatewaysThatFailedTogetherSpreadOut() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-21T12:00:00Z"));
        RetryPlan p = plan(clock);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            PollTask t = new PollTask(new GatewayTarget("gw" + i, URI.create("https://192.0.2.1"), null, Map.of()),
                    Endpoint.PRODUCTION_JSON);
            p.ticked(t);
            delays.add(p.failed(t).orElseThrow().toMillis());
        }
        assertThat(delays).allMatch(d -> d >= 2500 && d <= 7500);
        assertThat(delays.stream().distinct().count()).isGreaterThan(40);
    }

    @Test
    void aLongOutageIsLeftToTheRegularTicksAndRecoveryAsksTheFailedEndpointsAtOnce() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-21T23:00:00Z"));
        RetryPlan p = plan(clock);
        p.ticked(METERS);
        assertThat(p.failed(METERS)).isPresent();
        p.ticked(INVERTERS);
        assertThat(p.failed(INVERTERS)).isPresent();
        assertThat(p.failingSince("gw")).contains(Instant.parse("2026-06-21T23:00:00Z"));

        // ten minutes of nightly restart: past the 2 min window, ticks go on but plan no retries
        clock.advance(Duration.ofMinutes(10));
        p.due();
        p.ticked(METERS);
        assertThat(p.failed(METERS)).isEmpty();
        assertThat(p.pendingRetries()).isZero();

        // the gateway is back: the endpoints that failed meanwhile are due at once
        clock.advance(Duration.ofMinutes(1));
        p.ticked(METERS);
        assertThat(p.succeeded(METERS)).contains(Duration.ofMinutes(11));
        assertThat(p.due()).containsExactly(INVERTERS);
        assertThat(p.failingSince("gw")).isEmpty();
        assertThat(p.succeeded(INVERTERS)).as("no outage any more").isEmpty();
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        RetryPlan p = new RetryPlan(10, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
                Clock.systemUTC(), new Random(1));
        assertThat(List.of(p.backoff(0), p.backoff(1), p.backoff(2), p.backoff(3), p.backoff(9))).containsExactly(
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
    }
}
