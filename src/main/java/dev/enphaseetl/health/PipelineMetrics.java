package dev.enphaseetl.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The pipeline's Prometheus metrics ({@code /q/metrics}): polls by endpoint and outcome, poll failures by reason,
 * poll duration, readings delivered and failed per sink, dead-lettered readings per sink, spool depth per sink and
 * token days left per gateway.
 */
@ApplicationScoped
public class PipelineMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final AtomicLong pollDeadLetters = new AtomicLong();
    private final AtomicLong sinkDeadLetteredReadings = new AtomicLong();
    private final java.util.Set<String> archiveGapGateways = new java.util.TreeSet<>();

    @Inject
    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** outcome: ok, not_available, rejected, failed. */
    public void poll(String endpoint, String outcome) {
        Counter.builder("enphase_polls").description("polls of gateway endpoints by outcome").tag("endpoint", endpoint)
                .tag("outcome", outcome).register(registry).increment();
    }

    public void pollFailure(String reason) {
        Counter.builder("enphase_poll_failures").description("failed polls by reason").tag("reason", reason)
                .register(registry).increment();
    }

    /** A tick of {@code endpoint}: {@code due} polls fell due, {@code lost} of them found theirs still waiting. */
    public void pollsDue(String endpoint, long due, long lost) {
        Counter.builder("enphase_polls_due").description("polls that fell due (one per gateway and tick)")
                .tag("endpoint", endpoint).register(registry).increment(due);
        Counter.builder("enphase_polls_lost").description("due polls dropped: the same endpoint still waited")
                .tag("endpoint", endpoint).register(registry).increment(lost);
    }

    /** How late a due poll's request started after its tick (waiting for its gateway, the queue, a thread). */
    public void pollLateness(Duration d) {
        Timer.builder("enphase_poll_lateness").description("time from a poll's tick to the start of its request")
                .publishPercentiles(0.5, 0.99).register(registry).record(d);
    }

    public void pollDuration(String endpoint, Duration d) {
        Timer.builder("enphase_poll_duration").description("time to fetch one endpoint of one gateway")
                .tag("endpoint", endpoint).register(registry).record(d);
    }

    public void delivered(String sink, int readings) {
        Counter.builder("enphase_sink_points").description("readings confirmed by a sink").tag("sink", sink)
                .register(registry).increment(readings);
    }

    public void deliveryFailed(String sink, int readings) {
        Counter.builder("enphase_sink_failed_points").description("readings a sink failed to take (retried)")
                .tag("sink", sink).register(registry).increment(readings);
    }

    public void deadLettered(String sink, int readings) {
        sinkDeadLetteredReadings.addAndGet(readings);
        Counter.builder("enphase_sink_dead_lettered_points").description("readings parked in dead-letter")
                .tag("sink", sink).register(registry).increment(readings);
    }

    /**
     * outcome: written (a payload file written), dropped (a payload not kept: a repeat replaced by a newer one, or
     * over enphase.dead-letter.max-bytes); written - dropped = payloads on disk.
     */
    public void pollDeadLetter(String gateway, String endpoint, String outcome) {
        Counter.builder("enphase_poll_dead_letters").description("rejected gateway payloads, kept or only counted")
                .tag("gateway", gateway).tag("endpoint", endpoint).tag("outcome", outcome).register(registry)
                .increment();
    }

    /** A gateway payload was kept as a dead letter. */
    public void pollDeadLettered() {
        pollDeadLetters.incrementAndGet(); // counted by file in enphase_poll_dead_letters (pollDeadLetter)
    }

    /** Gateway payloads kept as dead letters since start. */
    public long pollDeadLetters() {
        return pollDeadLetters.get();
    }

    /** Readings dead-lettered by the sinks since start. */
    public long sinkDeadLetteredReadings() {
        return sinkDeadLetteredReadings.get();
    }

    public void spoolDepth(String sink, long entries) {
        gauge("enphase_spool_depth", "entries waiting in a sink's spool", "sink", sink).set(entries);
    }

    public void tokenDaysLeft(String gateway, long days) {
        gauge("enphase_token_days_left", "days until the gateway's token expires", "gateway", gateway).set(days);
    }

    /** One gateway's gaps in the archive: how many, the longest (seconds), whole local days without a reading. */
    public record ArchiveGapCounts(long gaps, long longestSeconds, long missingDays) {}

    /**
     * Gaps in the archive (docs/cloud.md) of the last report: every gateway in it gets all three gauges, 0 when it has
     * none; a gateway of an earlier report that is not in this one drops to 0.
     */
    public synchronized void archiveGaps(Map<String, ArchiveGapCounts> perGateway) {
        ArchiveGapCounts none = new ArchiveGapCounts(0, 0, 0);
        archiveGapGateways.forEach(gw -> {
            if (!perGateway.containsKey(gw)) {
                archiveGaps(gw, none);
            }
        });
        perGateway.forEach(this::archiveGaps);
        archiveGapGateways.addAll(perGateway.keySet());
    }

    private void archiveGaps(String gateway, ArchiveGapCounts c) {
        long gaps = c.gaps();
        long longestSeconds = c.longestSeconds();
        long missingDays = c.missingDays();
        gauge("enphase_archive_gaps", "periods longer than enphase.cloud.gap-threshold without a local reading",
                "gateway", gateway).set(gaps);
        gauge("enphase_archive_longest_gap_seconds", "the longest of those periods", "gateway", gateway)
                .set(longestSeconds);
        gauge("enphase_archive_missing_days", "local days without any reading", "gateway", gateway).set(missingDays);
    }

    /** Calls to the Enlighten API this month (counted on disk) and cloud intervals written since start. */
    public void cloudCalls(long usedThisMonth, long intervalsWritten) {
        gauge("enphase_cloud_calls_month", "calls to the Enlighten API this month", "api", "v4").set(usedThisMonth);
        gauge("enphase_cloud_intervals_written", "cloud intervals written into gaps since start", "api", "v4")
                .set(intervalsWritten);
    }

    private AtomicLong gauge(String name, String description, String tag, String value) {
        return gauges.computeIfAbsent(name + "|" + value, k -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder(name, holder, AtomicLong::get).description(description).tag(tag, value).register(registry);
            return holder;
        });
    }
}
