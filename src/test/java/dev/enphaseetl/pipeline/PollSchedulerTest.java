package dev.enphaseetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.testing.MutableClock;

class PollSchedulerTest {

    private static PollScheduler scheduler(int gateways) {
        List<GatewayTarget> targets = new ArrayList<>();
        for (int i = 0; i < gateways; i++) {
            targets.add(new GatewayTarget("gw" + i, URI.create("https://10.0.0." + i), null, Map.of()));
        }
        GatewayRegistry registry = new GatewayRegistry(null, null, null) {
            @Override
            public List<GatewayTarget> gateways() {
                return targets;
            }
        };
        return new PollScheduler(registry, RetryPlanTest.plan(new MutableClock(Instant.parse("2026-06-21T23:00:00Z"))));
    }

    @Test
    void oneTaskPerGatewayWhenIdle() {
        PollScheduler s = scheduler(1000);
        List<PollTask> tasks = s.due("production-json");
        assertThat(tasks).hasSize(1000);
        assertThat(tasks.stream().map(t -> t.gateway().id()).distinct()).hasSize(1000);
        assertThat(s.busyGateways()).isEqualTo(1000);
    }

    @Test
    void aBusyGatewayGetsNoSecondRequestButItsEndpointsWaitInOrder() {
        PollScheduler s = scheduler(1);
        PollTask first = s.due("production-json").get(0);
        assertThat(s.due("ivp-meters-readings")).isEmpty();
        assertThat(s.due("api-v1-production")).isEmpty();
        assertThat(s.due("ivp-meters-readings")).as("a second tick of a waiting endpoint adds nothing").isEmpty();
        assertThat(s.waitingPolls()).isEqualTo(2);

        PollTask second = s.release(first);
        assertThat(second.endpoint().id()).isEqualTo("ivp-meters-readings");
        assertThat(s.busyGateways()).isEqualTo(1);
        PollTask third = s.release(second);
        assertThat(third.endpoint().id()).isEqualTo("api-v1-production");
        assertThat(s.release(third)).isNull();
        assertThat(s.busyGateways()).isZero();
        assertThat(s.due("production-json")).hasSize(1);
    }

    @Test
    void aSlowGatewayHoldsBackOnlyItself() {
        PollScheduler s = scheduler(3);
        List<PollTask> tick1 = s.due("production-json");
        // gateways 1 and 2 finish, gateway 0 hangs
        s.release(tick1.get(1));
        s.release(tick1.get(2));
        List<PollTask> tick2 = s.due("production-json");
        assertThat(tick2).extracting(t -> t.gateway().id()).containsExactly("gw1", "gw2");
    }
}
