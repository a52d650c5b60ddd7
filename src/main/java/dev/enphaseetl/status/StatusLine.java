package dev.enphaseetl.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import dev.enphaseetl.auth.GatewayTokens;
import dev.enphaseetl.auth.TokenStatus;
import dev.enphaseetl.central.CentralConsumer;
import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.health.GatewayActivity;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.health.SinkStatus;
import dev.enphaseetl.history.CloudRound;
import dev.enphaseetl.pipeline.PollProblems;
import dev.enphaseetl.pipeline.StaleEndpoints;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;

/**
 * The one-line status printed each minute (route {@code status-line}): gateways OK (answering and giving readings,
 * see {@link GatewayHealth}) with the problem of each other one, per gateway the age of its newest reading, readings
 * written per sink, spool depth and the dead letters since start; it also refreshes the spool-depth and token gauges
 * of {@link PipelineMetrics}.
 */
@ApplicationScoped
@Named("statusLine")
public class StatusLine {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.status");

    @Inject
    GatewayRegistry gateways;
    @Inject
    PollProblems polls;
    @Inject
    SinkStatus sinks;
    @Inject
    SinkSwitches switches;
    @Inject
    Spool spool;
    @Inject
    GatewayTokens tokens;
    @Inject
    PipelineMetrics metrics;
    @Inject
    GatewayActivity activity;
    @Inject
    EnphaseConfig config;
    @Inject
    StaleEndpoints stale;
    @Inject
    CloudRound cloud;
    @Inject
    CentralConsumer central;

    /** {@code stale: <gateway> <endpoint> <age>, ...} when endpoints answer but their data stands still. */
    public static Optional<String> staleSegment(List<StaleEndpoints.Stale> stale) {
        if (stale.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("stale: " + stale.stream().map(s -> s.gateway() + " " + s.endpoint().id() + " "
                + (s.age().toSeconds() < 120 ? s.age().toSeconds() + " s" : s.age().toMinutes() + " min"))
                .collect(Collectors.joining(", ")));
    }

    public String print() {
        Instant now = Instant.now();
        Duration staleAfter = config.status().staleAfter();
        Duration stuckAfter = GatewayHealth.stuckAfter(config.http().requestDeadline());
        int total = gateways.gateways().size();
        int ok = 0;
        StringJoiner problems = new StringJoiner("; ");
        StringJoiner ages = new StringJoiner(", ");
        for (GatewayTarget g : gateways.gateways()) {
            Optional<GatewayActivity.Snapshot> s = activity.of(g.id());
            Optional<String> problem = s.flatMap(x -> GatewayHealth.problem(x, now, staleAfter, stuckAfter));
            if (problem.isEmpty() && !polls.hasGatewayProblem(g.id())) {
                ok++;
            }
            problem.ifPresent(p -> problems.add(g.id() + ": " + p));
            ages.add(g.id() + " " + s.flatMap(GatewayActivity.Snapshot::newestReading)
                    .map(t -> Math.max(0, Duration.between(t, now).toSeconds()) + "s").orElse("none"));
        }
        StringJoiner line = new StringJoiner(" | ");
        line.add("gateways OK " + ok + "/" + total + (problems.length() > 0 ? " (" + problems + ")" : ""));
        line.add("newest reading age " + ages);
        for (String sink : switches.enabled()) {
            long depth = PipelineReadiness.depth(spool.directory(sink));
            metrics.spoolDepth(sink, depth);
            long written = sinks.outcome(sink).map(SinkStatus.Outcome::delivered).orElse(0L);
            boolean failing = sinks.outcome(sink).map(o -> !o.ok()).orElse(false);
            line.add(sink + " " + written + " written, spool " + depth + (failing ? " (FAILING)" : ""));
        }
        line.add("dead letters since start: " + metrics.pollDeadLetters() + " payloads, "
                + metrics.sinkDeadLetteredReadings() + " readings");
        staleSegment(stale.stale()).ifPresent(line::add);
        cloud.statusSegment().ifPresent(line::add);
        central.problem().ifPresent(p -> line.add("KAFKA FAILING: " + p));
        for (TokenStatus t : tokens.statuses()) {
            t.daysLeft().ifPresent(d -> metrics.tokenDaysLeft(t.gatewayId(), d));
        }
        String text = line.toString();
        LOG.info(text);
        return text;
    }
}
