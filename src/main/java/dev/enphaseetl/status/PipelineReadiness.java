package dev.enphaseetl.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.enphaseetl.auth.GatewayTokens;
import dev.enphaseetl.auth.TokenStatus;
import dev.enphaseetl.central.CentralConsumer;
import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.health.GatewayActivity;
import dev.enphaseetl.health.SinkStatus;
import dev.enphaseetl.pipeline.PollProblems;
import dev.enphaseetl.pipeline.RetryPlan;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;

/**
 * Readiness of the pipeline ({@code /q/health/ready}): per gateway the age of the last good poll and the token's
 * days left; the spool's fill; per sink whether its last delivery worked, its spool depth and the age of its oldest
 * entry. DOWN when a gateway's token is expired or missing, a gateway gave no reading for
 * {@code enphase.status.stale-after} (whatever it answered) or has a poll stuck, an enabled sink's last delivery
 * failed or its oldest spooled entry waited that long, the spool is full ({@code enphase.spool.max-bytes}) or the last
 * write to the spool failed, or (central role) the Kafka consumer is out of its group or not polling for that long
 * ({@link CentralConsumer}). Each problem is named in the data ({@code gateway.<id>.problem}, {@code sink.<name>.error}).
 */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {

    @Inject
    GatewayTokens tokens;
    @Inject
    PollProblems polls;
    @Inject
    SinkStatus sinks;
    @Inject
    SinkSwitches switches;
    @Inject
    Spool spool;
    @Inject
    RetryPlan retries;
    @Inject
    EnphaseConfig config;
    @Inject
    GatewayRegistry gateways;
    @Inject
    GatewayActivity activity;
    @Inject
    CentralConsumer central;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("enphase-etl pipeline").up();
        boolean up = true;
        for (TokenStatus t : tokens.statuses()) {
            String key = "gateway." + t.gatewayId();
            b.withData(key + ".token", t.health().name());
            t.daysLeft().ifPresent(d -> b.withData(key + ".token_days_left", d));
            if (t.health() == TokenStatus.Health.DOWN) {
                up = false;
                t.lastError().ifPresent(e -> b.withData(key + ".token_error", e));
            }
        }
        polls.lastGoodPolls().forEach((gateway, at) -> b.withData("gateway." + gateway + ".last_good_poll_age_s",
                Duration.between(at, Instant.now()).toSeconds()));
        // a gateway that does not answer is reported, not an alarm: its nightly restart is normal
        retries.failing().forEach((gateway, since) -> b.withData("gateway." + gateway + ".failing_for_s",
                Duration.between(since, Instant.now()).toSeconds()));
        Instant at = Instant.now();
        Duration staleAfter = config.status().staleAfter();
        Duration stuckAfter = GatewayHealth.stuckAfter(config.http().requestDeadline());
        for (GatewayTarget g : gateways.gateways()) {
            var snapshot = activity.of(g.id());
            if (snapshot.isEmpty()) {
                continue;
            }
            String key = "gateway." + g.id();
            snapshot.get().newestReading().ifPresent(t -> b.withData(key + ".newest_reading_age_s",
                    Math.max(0, Duration.between(t, at).toSeconds())));
            var problem = GatewayHealth.problem(snapshot.get(), at, staleAfter, stuckAfter);
            if (problem.isPresent()) {
                up = false;
                b.withData(key + ".problem", problem.get());
            }
        }
        Spool.State fill = spool.state();
        b.withData("spool.used_bytes", fill.usedBytes());
        b.withData("spool.max_bytes", fill.maxBytes());
        b.withData("spool.used_percent", fill.percent());
        if (fill.full()) {
            up = false;
            b.withData("spool.error", "spool " + spool.root() + " is full (enphase.spool.max-bytes="
                    + fill.maxBytes() + "): new readings are refused");
        }
        if (fill.writeError().isPresent()) {
            up = false;
            b.withData("spool.write_error", fill.writeError().get());
        }
        Instant now = Instant.now();
        for (String sink : switches.enabled()) {
            String key = "sink." + sink;
            Spool.SinkDepth depth = fill.sinks().get(sink);
            b.withData(key + ".spool_depth", depth == null ? depth(spool.directory(sink)) : depth.entries());
            if (depth != null && depth.oldest().isPresent()) {
                Duration waiting = Duration.between(depth.oldest().get(), now);
                b.withData(key + ".spool_oldest_age_s", Math.max(0, waiting.toSeconds()));
                if (waiting.compareTo(staleAfter) > 0) {
                    up = false;
                    b.withData(key + ".stale", "its oldest spooled entry has waited " + waiting.toSeconds()
                            + " s (enphase.status.stale-after=" + staleAfter.toSeconds() + " s): deliveries do not"
                            + " get through");
                }
            }
            var outcome = sinks.outcome(sink);
            b.withData(key + ".reachable", outcome.map(o -> o.ok() ? "yes" : "no").orElse("unknown"));
            if (outcome.isPresent() && !outcome.get().ok()) {
                up = false;
                outcome.get().error().ifPresent(e -> b.withData(key + ".error", e));
            }
        }
        var kafka = central.problem();
        if (kafka.isPresent()) {
            up = false;
            b.withData("kafka.consumer.error", kafka.get());
        }
        return b.status(up).build();
    }

    static long depth(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).count();
        } catch (IOException e) {
            return -1;
        }
    }
}
