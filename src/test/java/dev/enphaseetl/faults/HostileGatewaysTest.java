package dev.enphaseetl.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.enphaseetl.health.GatewayActivity;
import dev.enphaseetl.pipeline.PollScheduler;
import dev.enphaseetl.simulator.EmbeddedSimulator;
import dev.enphaseetl.simulator.GatewaySimulator;
import dev.enphaseetl.simulator.Hostile;
import dev.enphaseetl.simulator.VirtualGateway;
import dev.enphaseetl.status.PipelineReadiness;
import dev.enphaseetl.status.StatusLine;

/**
 * One hostile gateway among 20 healthy ones (embedded simulator), in each hostile mode in turn: a 500 MB answer, a
 * gzip bomb, an endless answer, one byte per second, HTML on every path, 401 on every path. Each time the healthy
 * gateways keep every poll that falls due, the heap stays small (used heap after GC, sampled each second, below
 * 256 MB), readiness is DOWN naming the hostile gateway and the reason, the status line names it too, and the log
 * has a few lines about it, not one per poll.
 */
@QuarkusTest
@TestProfile(HostileGatewaysTest.Profile.class)
class HostileGatewaysTest {

    static final Path DATA = FaultEnv.dataDir("hostile");
    static final int GATEWAYS = 21;
    static final Duration PHASE = Duration.ofSeconds(10);
    static final long HEAP_LIMIT = 256L * 1024 * 1024;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = FaultEnv.fastPipeline(DATA);
            m.put("enphase.simulator.gateways", Integer.toString(GATEWAYS));
            m.put("enphase.poll.production-json.period", "5s");
            // two fast endpoints per gateway (about 8 polls a second in all): a load the shared test machine keeps up
            // with, so that any lost poll is the hostile gateway's doing
            m.put("enphase.poll.api-v1-production.period", "60s");
            m.put("enphase.poll.api-v1-production-inverters.period", "5m");
            m.put("enphase.poll.ivp-meters-readings.period", "5s");
            // the socket timeout alone would never end an answer that trickles in a byte per second
            m.put("enphase.http.response-timeout", "3s");
            m.put("enphase.http.request-deadline", "2s");
            m.put("enphase.status.stale-after", "8s");
            m.put("enphase.status.enabled", "false");
            m.put("enphase.sink.jdbc.enabled", "false");
            m.put("enphase.sink.csv.enabled", "false");
            return m;
        }
    }

    @Inject
    EmbeddedSimulator embedded;
    @Inject
    GatewayActivity activity;
    @Inject
    @Readiness
    PipelineReadiness readiness;
    @Inject
    StatusLine status;
    @Inject
    PollScheduler scheduler;

    /** INFO and above from the pipeline's own loggers. */
    static final class PipelineLog extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                records.add(r);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        long about(String serial, int from) {
            List<LogRecord> copy = List.copyOf(records);
            return copy.subList(Math.min(from, copy.size()), copy.size()).stream()
                    .filter(r -> !"dev.enphaseetl.status".equals(r.getLoggerName()))
                    .filter(r -> String.valueOf(r.getMessage()).contains(serial)).count();
        }
    }

    @Test
    void oneHostileGatewayAmongTwentyCostsTheOthersNothing() throws Exception {
        GatewaySimulator sim = embedded.simulator().orElseThrow();
        assertThat(sim.gateways()).hasSize(GATEWAYS);
        VirtualGateway bad = sim.gateway(0);
        List<String> healthy = sim.gateways().stream().skip(1).map(VirtualGateway::serial).toList();

        PipelineLog log = new PipelineLog();
        Logger pipelineLogger = Logger.getLogger("dev.enphaseetl");
        pipelineLogger.addHandler(log);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong maxHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        try {
            awaitUseful(sim.gateways().stream().map(VirtualGateway::serial).toList(), Duration.ofSeconds(40));
            // the first polls of every endpoint of every gateway are done: what is due from now on is the steady load
            long settle = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (scheduler.waitingPolls() > 0 && System.nanoTime() < settle) {
                Thread.sleep(200);
            }
            sampler.start();
            Map<Hostile, List<String>> reasons = new LinkedHashMap<>();
            // first without a hostile gateway: the baseline of the same machine
            reasons.put(Hostile.NONE, List.of());
            reasons.put(Hostile.HUGE, List.of("too large", "max-answer-bytes"));
            reasons.put(Hostile.GZIP_BOMB, List.of("too large", "max-answer-bytes"));
            reasons.put(Hostile.ENDLESS, List.of("too large", "max-answer-bytes"));
            reasons.put(Hostile.TRICKLE, List.of("timeout", "request-deadline"));
            reasons.put(Hostile.HTML, List.of("without data", "HTML"));
            // last: a refused token stays marked as refused
            reasons.put(Hostile.UNAUTHORIZED, List.of("auth", "401"));
            List<String> figures = new ArrayList<>();
            for (Map.Entry<Hostile, List<String>> phase : reasons.entrySet()) {
                Hostile mode = phase.getKey();
                Map<String, GatewayActivity.Snapshot> before = activity.all();
                int logFrom = log.records.size();
                long heapBefore = maxHeap.get();
                bad.setHostile(mode);
                Thread.sleep(PHASE.toMillis());
                Map<String, GatewayActivity.Snapshot> after = activity.all();
                long lines = log.about(bad.serial(), logFrom);

                HealthCheckResponse ready = readiness.call();
                Map<String, Object> data = ready.getData().orElseThrow();
                String line = status.print();
                long due = 0;
                long kept = 0;
                long lost = 0;
                for (String g : healthy) {
                    GatewayActivity.Snapshot b = before.get(g);
                    GatewayActivity.Snapshot a = after.get(g);
                    due += a.due() - b.due();
                    kept += a.answered() - b.answered();
                    lost += a.lost() - b.lost();
                }
                GatewayActivity.Snapshot badAfter = after.get(bad.serial());
                long started = 0;
                long finished = 0;
                for (String g : healthy) {
                    started += after.get(g).started() - before.get(g).started();
                    finished += after.get(g).finished() - before.get(g).finished();
                }
                System.out.println("FIGURES hostile-gateways " + mode + " healthy started " + started + " finished "
                        + finished);
                String fig = String.format("%s: healthy polls due %d, answered %d, lost %d; hostile polls %d,"
                        + " failed %d; log lines about it %d in %d s; heap max after GC %d MB; readiness %s: %s",
                        mode, due, kept, lost, badAfter.finished() - before.get(bad.serial()).finished(),
                        badAfter.failures() - before.get(bad.serial()).failures(), lines, PHASE.toSeconds(),
                        maxHeap.get() / (1024 * 1024), ready.getStatus(), data.get("gateway." + bad.serial()
                                + ".problem"));
                figures.add(fig);
                System.out.println("FIGURES hostile-gateways " + fig);
                System.out.println("FIGURES hostile-gateways status line: " + line);
                for (String g : healthy) {
                    GatewayActivity.Snapshot b = before.get(g);
                    GatewayActivity.Snapshot a = after.get(g);
                    assertThat(a.lost() - b.lost()).as("%s: polls of healthy %s lost", mode, g).isZero();
                    assertThat(a.failures() - b.failures()).as("%s: failed polls of healthy %s", mode, g).isZero();
                    assertThat(data).as("%s: readiness of healthy %s", mode, g).doesNotContainKey("gateway." + g
                            + ".problem");
                }
                if (mode == Hostile.NONE) {
                    assertThat(ready.getStatus()).as("baseline readiness: %s", data)
                            .isEqualTo(HealthCheckResponse.Status.UP);
                    continue;
                }

                assertThat(ready.getStatus()).as("%s: readiness", mode).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(String.valueOf(data.get("gateway." + bad.serial() + ".problem"))).as("%s: problem", mode)
                        .containsIgnoringCase(phase.getValue().get(0)).contains(phase.getValue().get(1));
                assertThat(line).as("%s: status line", mode).contains("gateways OK " + (GATEWAYS - 1) + "/" + GATEWAYS)
                        .contains(bad.serial() + ": ").containsIgnoringCase(phase.getValue().get(0));
                assertThat(due).as("%s: polls due for the healthy gateways", mode).isPositive();
                assertThat(lines).as("%s: log lines about the hostile gateway in %s", mode, PHASE)
                        .isLessThanOrEqualTo(6);
                assertThat(maxHeap.get()).as("%s: used heap after GC (bytes), before the phase %d", mode, heapBefore)
                        .isLessThan(HEAP_LIMIT);

                // every poll of a healthy gateway that fell due in the window is answered (those still queued at its
                // end a little later)
                awaitAnswered(healthy, before, after, Duration.ofSeconds(20), mode);

                bad.setHostile(Hostile.NONE);
                if (mode != Hostile.UNAUTHORIZED) {
                    awaitUseful(List.of(bad.serial()), Duration.ofSeconds(20));
                }
            }
            System.out.println("FIGURES hostile-gateways summary:\n  " + String.join("\n  ", figures));
        } finally {
            sampler.interrupt();
            pipelineLogger.removeHandler(log);
            bad.setHostile(Hostile.NONE);
        }
    }

    /** Waits until each gateway has answered as many polls since {@code before} as fell due until {@code after}. */
    private void awaitAnswered(List<String> gateways, Map<String, GatewayActivity.Snapshot> before,
            Map<String, GatewayActivity.Snapshot> after, Duration atMost, Hostile mode) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (true) {
            Map<String, String> behind = new LinkedHashMap<>();
            for (String g : gateways) {
                long due = after.get(g).due() - before.get(g).due();
                long answered = activity.of(g).orElseThrow().answered() - before.get(g).answered();
                if (answered < due) {
                    behind.put(g, answered + "/" + due);
                }
            }
            if (behind.isEmpty()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(mode + ": healthy gateways answered fewer polls than fell due (answered/due): "
                        + behind);
            }
            Thread.sleep(200);
        }
    }

    /** Waits until each gateway has given readings after now. */
    private void awaitUseful(List<String> serials, Duration atMost) throws InterruptedException {
        Map<String, Long> before = new LinkedHashMap<>();
        serials.forEach(g -> before.put(g, activity.of(g).map(GatewayActivity.Snapshot::useful).orElse(0L)));
        long end = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < end) {
            if (serials.stream()
                    .allMatch(g -> activity.of(g).map(GatewayActivity.Snapshot::useful).orElse(0L) > before.get(g))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no readings within " + atMost + " from some of " + serials + ": " + activity.all());
    }
}
