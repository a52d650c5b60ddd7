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
    void aFleetIsSpreadOverThePeriodEachGatewayOnceAtAPhaseOfItsOwnAndAHomeIsPolledOnTheTick() throws Exception {
        PollScheduler home = scheduler(PollScheduler.SPREAD_ABOVE);
        assertThat(home.due("production-json", "5s")).as("up to %d gateways: all on the tick",
                PollScheduler.SPREAD_ABOVE).hasSize(PollScheduler.SPREAD_ABOVE);

        int n = 1000;
        PollScheduler fleet = scheduler(n);
        long tick = System.nanoTime();
        List<PollTask> started = new ArrayList<>(fleet.due("production-json", "5s"));
        assertThat(started.size()).as("started on the tick: those whose phase is within the first second")
                .isBetween(n / 5 - 80, n / 5 + 80);
        assertThat(fleet.deferredPolls()).isEqualTo(n - started.size());
        long[] startedAt = new long[n];
        while (fleet.deferredPolls() > 0 && System.nanoTime() - tick < 7_000_000_000L) {
            Thread.sleep(100);
            List<PollTask> now = fleet.dueRetries();
            now.forEach(t -> startedAt[Integer.parseInt(t.gateway().id().substring(2))] = System.nanoTime() - tick);
            started.addAll(now);
        }
        assertThat(started).as("every gateway once").hasSize(n);
        assertThat(started.stream().map(t -> t.gateway().id()).distinct()).hasSize(n);
        assertThat(started).allSatisfy(t -> assertThat(t.dueNanos()).as("due at its phase, not the tick")
                .isGreaterThanOrEqualTo(tick));
        long late = java.util.Arrays.stream(startedAt).filter(t -> t > 3_000_000_000L).count();
        assertThat(late).as("gateways started in the last two of the five seconds").isBetween(300L, 500L);
        // the same gateway keeps its phase for every endpoint and period of a minute or more
        assertThat(PollScheduler.phaseMillis("gw7", 60_000)).isEqualTo(PollScheduler.phaseMillis("gw7", 60_000))
                .isNotEqualTo(PollScheduler.phaseMillis("gw8", 60_000));
    }

    /** The first round (info, production-json, ivp-meters) asked and finished, as after a normal start. */
    private static void firstRoundDone(PollScheduler s) {
        for (String e : List.of("info", "production-json", "ivp-meters")) {
            s.due(e).forEach(t -> {
                for (PollTask next = s.release(t); next != null; next = s.release(next)) {
                    // drained
                }
            });
        }
    }

    @Test
    void theStartupRaceCannotHappen_anEndpointDueBeforeTheFirstRoundQueuesItFirst() {
        // the 0 s ticks of info and ivp-meters came before the gateway was known (or late under load): the first
        // tick of ivp-meters-readings would be parsed without the meter configuration and dead-lettered
        PollScheduler s = scheduler(1);
        List<String> order = new ArrayList<>();
        List<PollTask> started = s.due("ivp-meters-readings");
        assertThat(started).extracting(t -> t.endpoint().id()).containsExactly("info");
        for (PollTask t = started.get(0); t != null; t = s.release(t)) {
            order.add(t.endpoint().id());
        }
        assertThat(order).containsExactly("info", "production-json", "ivp-meters", "ivp-meters-readings");
        // once asked, the first round is not queued again
        assertThat(s.due("api-v1-production")).extracting(t -> t.endpoint().id()).containsExactly(
                "api-v1-production");
    }

    @Test
    void aFirstRoundTickBeforeTheOthersAddsNothingExtra() {
        PollScheduler s = scheduler(1);
        PollTask info = s.due("info").get(0);
        assertThat(s.due("ivp-meters")).isEmpty();
        assertThat(s.due("ivp-meters-readings")).isEmpty();
        List<String> order = new ArrayList<>();
        for (PollTask t = s.release(info); t != null; t = s.release(t)) {
            order.add(t.endpoint().id());
        }
        assertThat(order).containsExactly("ivp-meters", "production-json", "ivp-meters-readings");
    }

    @Test
    void aBusyGatewayGetsNoSecondRequestButItsEndpointsWaitInOrder() {
        PollScheduler s = scheduler(1);
        firstRoundDone(s);
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
