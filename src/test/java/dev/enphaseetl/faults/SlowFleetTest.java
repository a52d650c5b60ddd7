package dev.enphaseetl.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.enphaseetl.health.GatewayActivity;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.simulator.EmbeddedSimulator;
import dev.enphaseetl.simulator.Fault;
import dev.enphaseetl.simulator.GatewaySimulator;
import dev.enphaseetl.simulator.VirtualGateway;

/**
 * 200 gateways that each take a full second to answer, all behind one host:port (the simulator serves them at
 * {@code /gw/<serial>/}), polled every 5 s by a pipeline with two poll threads: every poll that falls due is done
 * and none is lost, although thread-per-request polling would need 40 threads and a cap of connections per host:port
 * would queue them all behind it. The JVM does not grow a thread per request in flight, and each gateway still sees at
 * most one request at a time.
 */
@QuarkusTest
@TestProfile(SlowFleetTest.Profile.class)
class SlowFleetTest {

    static final Path DATA = FaultEnv.dataDir("slowfleet");
    static final int GATEWAYS = 200;
    static final long LATENCY_MS = 1000;
    static final Duration WINDOW = Duration.ofSeconds(12);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("enphase.data-dir", DATA.toString());
            m.put("enphase.simulator.gateways", Integer.toString(GATEWAYS));
            m.put("enphase.poll.threads", "2");
            m.put("enphase.poll.first-delay", "200");
            m.put("enphase.poll.production-json.period", "5s");
            for (Endpoint e : Endpoint.values()) {
                if (e != Endpoint.INFO && e != Endpoint.PRODUCTION_JSON && e != Endpoint.IVP_METERS) {
                    m.put("enphase.poll." + e.id() + ".enabled", "false");
                }
            }
            m.put("enphase.sink.jdbc.enabled", "false");
            m.put("enphase.sink.csv.enabled", "false");
            m.put("enphase.ledger.enabled", "false");
            m.put("enphase.status.enabled", "false");
            m.put("enphase.sink.poll-delay", "200");
            return m;
        }
    }

    @Inject
    EmbeddedSimulator embedded;
    @Inject
    GatewayActivity activity;

    @Test
    void twoHundredSlowGatewaysOnOneHostPortKeepEveryPollWithTwoPollThreads() throws Exception {
        GatewaySimulator sim = embedded.simulator().orElseThrow();
        assertThat(sim.gateways()).hasSize(GATEWAYS);
        sim.gateways().forEach(g -> g.setFaultEverywhere(Fault.latency(LATENCY_MS)));
        List<String> serials = sim.gateways().stream().map(VirtualGateway::serial).toList();
        awaitAnsweredOnce(serials, Duration.ofSeconds(90));

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int baseline = threads.getThreadCount();
        AtomicInteger peak = new AtomicInteger(baseline);
        Map<String, GatewayActivity.Snapshot> before = activity.all();
        long end = System.nanoTime() + WINDOW.toNanos();
        while (System.nanoTime() < end) {
            peak.accumulateAndGet(threads.getThreadCount(), Math::max);
            Thread.sleep(100);
        }
        Map<String, GatewayActivity.Snapshot> after = activity.all();

        // each gateway answers what fell due in the window (2 or 3 polls), once the last of them has had its second
        long wait = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Map<String, String> behind;
        do {
            behind = new LinkedHashMap<>();
            for (String g : serials) {
                long due = after.get(g).due() - before.get(g).due();
                long answered = activity.of(g).orElseThrow().answered() - before.get(g).answered();
                if (due < 2 || answered < due) {
                    behind.put(g, answered + "/" + due);
                }
            }
            if (behind.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < wait);
        assertThat(behind).as("gateways that answered fewer polls than fell due (answered/due)").isEmpty();
        for (String g : serials) {
            assertThat(after.get(g).lost() - before.get(g).lost()).as("polls of %s lost", g).isZero();
        }
        assertThat(peak.get() - baseline)
                .as("threads added while %d requests of a second each were in flight (baseline %d)", GATEWAYS,
                        baseline)
                .isLessThan(40);
        for (VirtualGateway g : sim.gateways()) {
            assertThat(g.maxRequestsAtOnce()).as("requests at once to %s", g.serial()).isEqualTo(1);
        }
    }

    private void awaitAnsweredOnce(List<String> serials, Duration atMost) throws InterruptedException {
        Map<String, Long> before = new HashMap<>();
        serials.forEach(g -> before.put(g, activity.of(g).map(GatewayActivity.Snapshot::useful).orElse(0L)));
        long end = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < end) {
            if (serials.stream()
                    .allMatch(g -> activity.of(g).map(GatewayActivity.Snapshot::useful).orElse(0L) > before.get(g))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("some gateways gave no readings within " + atMost);
    }
}
