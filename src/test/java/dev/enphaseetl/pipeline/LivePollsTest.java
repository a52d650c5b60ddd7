package dev.enphaseetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.testing.MutableClock;

/** The high-rate mode never adds a second request to a busy gateway and never delays the regular polls. */
class LivePollsTest {

    private final List<GatewayTarget> targets = List.of(
            new GatewayTarget("gw0", URI.create("https://192.0.2.1"), null, Map.of()),
            new GatewayTarget("gw1", URI.create("https://192.0.2.2"), null, Map.of()));
    private final PollScheduler scheduler = new PollScheduler(new GatewayRegistry(null, null, null) {
        @Override
        public List<GatewayTarget> gateways() {
            return targets;
        }
    }, RetryPlanTest.plan(new MutableClock(Instant.parse("2026-06-21T12:00:00Z"))));

    /** Every gateway past its first round (info, production-json, ivp-meters), which goes before anything else. */
    @BeforeEach
    void firstRoundDone() {
        for (Endpoint e : PollScheduler.FIRST_ROUND) {
            for (PollTask t : scheduler.due(e.id())) {
                assertThat(scheduler.release(t)).isNull();
            }
        }
    }

    @Test
    void aBusyGatewaySkipsTheTickAndItsRegularPollsKeepTheirTurn() {
        LivePolls live = new LivePolls(() -> targets, scheduler, List.of("ivp-livedata-status"), List.of("*"));
        List<PollTask> regular = scheduler.due(Endpoint.PRODUCTION_JSON.id()); // both gateways busy now
        assertThat(regular).hasSize(2);
        assertThat(live.due()).as("no second request to a busy gateway").isEmpty();
        assertThat(scheduler.waitingPolls()).as("a skipped live poll is not queued").isZero();

        // gw0 gets a regular poll due while busy: it waits, and runs before any live poll
        assertThat(scheduler.due(Endpoint.IVP_METERS_READINGS.id())).isEmpty();
        PollTask next = scheduler.release(regular.get(0));
        assertThat(next.endpoint()).isEqualTo(Endpoint.IVP_METERS_READINGS);
        assertThat(next.live()).isFalse();
        assertThat(scheduler.release(next)).isNull();

        List<PollTask> started = live.due();
        assertThat(started).singleElement().satisfies(t -> {
            assertThat(t.gateway().id()).isEqualTo("gw0");
            assertThat(t.live()).isTrue();
        });
        assertThat(live.dueCount()).isEqualTo(4);
        assertThat(live.startedCount()).isEqualTo(1);
    }

    @Test
    void endpointsAlternateAndOnlyTheChosenGatewaysArePolled() {
        LivePolls live = new LivePolls(() -> targets, scheduler,
                List.of("ivp-livedata-status", "ivp-meters-readings"), List.of("gw1"));
        PollTask first = live.due().get(0);
        scheduler.release(first);
        PollTask second = live.due().get(0);
        assertThat(List.of(first.gateway().id(), second.gateway().id())).containsOnly("gw1");
        assertThat(List.of(first.endpoint(), second.endpoint())).containsExactly(Endpoint.IVP_LIVEDATA_STATUS,
                Endpoint.IVP_METERS_READINGS);
    }

    @Test
    void anEndpointThatCannotBeLiveIsRefusedWithTheFix() {
        assertThatThrownBy(() -> new LivePolls(() -> targets, scheduler, List.of("ivp-pdm-energy"), List.of("*")))
                .hasMessageContaining("ivp-pdm-energy").hasMessageContaining("ivp-livedata-status");
    }

    @Test
    void liveReadingsKeepPowerPerSourceAndPhaseOnly() {
        Reading pv = new Reading("livedata", new TreeMap<>(Map.of("gateway", "g", "source", "pv", "phase", "L1")),
                new TreeMap<>(Map.of("active_power_w", 1200.0, "apparent_power_va", 1250.0)), 100);
        Reading meter = new Reading("meter", new TreeMap<>(Map.of("gateway", "g", "eid", "7", "type",
                "net-consumption", "phase", "total")),
                new TreeMap<>(Map.of("active_power_w", -300.0, "energy_delivered_wh", 5.0)), 100);
        Reading battery = new Reading("livedata_battery", new TreeMap<>(Map.of("gateway", "g")),
                new TreeMap<>(Map.of("soc_pct", 50.0)), 100);
        List<Reading> out = LivePolls.toLive(List.of(pv, meter, battery));
        assertThat(out).extracting(Reading::measurement).containsOnly("live");
        assertThat(out.get(0).tags()).containsExactlyEntriesOf(new TreeMap<>(Map.of("gateway", "g", "phase", "L1",
                "source", "pv")));
        assertThat(out.get(1).tags()).containsEntry("source", "net-consumption").doesNotContainKey("eid");
        assertThat(out.get(1).fields()).containsOnlyKeys("active_power_w");
        assertThat(out).hasSize(2);
    }
}
