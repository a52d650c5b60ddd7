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

    /**
     * Gateways named one by one in the status line at most: beyond, a fleet's line would be hundreds of KB a minute.
     * The rest are counted (health and {@code /api/pipeline} name every one).
     */
    static final int MAX_NAMED = 10;

    /** A gateway's problem (empty when it is fine) and the age of its newest reading (empty: none yet). */
    public record GatewayLine(String id, Optional<String> problem, Optional<Duration> age) {}

    /**
     * {@code gateways OK <ok>/<total> (<id>: <problem>; ...)}: at most {@link #MAX_NAMED} problems named, then
     * {@code and <n> more}.
     */
    public static String gatewaysSegment(int ok, List<GatewayLine> all) {
        List<GatewayLine> bad = all.stream().filter(g -> g.problem().isPresent()).toList();
        StringJoiner problems = new StringJoiner("; ");
        bad.stream().limit(MAX_NAMED).forEach(g -> problems.add(g.id() + ": " + g.problem().get()));
        if (bad.size() > MAX_NAMED) {
            problems.add("and " + (bad.size() - MAX_NAMED) + " more");
        }
        return "gateways OK " + ok + "/" + all.size() + (bad.isEmpty() ? "" : " (" + problems + ")");
    }

    /**
     * {@code newest reading age <id> <s>s, ...} for up to {@link #MAX_NAMED} gateways; for more, the median, the
     * oldest ones by name, and how many have none yet: {@code newest reading age median 12s, oldest g7 310s, g2 95s,
     * none yet 3 (g9, g11, g12)}.
     */
    public static String agesSegment(List<GatewayLine> all) {
        if (all.size() <= MAX_NAMED) {
            return "newest reading age " + all.stream().map(g -> g.id() + " " + g.age().map(StatusLine::seconds)
                    .orElse("none")).collect(Collectors.joining(", "));
        }
        List<GatewayLine> aged = all.stream().filter(g -> g.age().isPresent())
                .sorted(java.util.Comparator.comparing((GatewayLine g) -> g.age().get()).reversed()).toList();
        List<String> none = all.stream().filter(g -> g.age().isEmpty()).map(GatewayLine::id).toList();
        StringJoiner j = new StringJoiner(", ", "newest reading age ", "");
        if (!aged.isEmpty()) {
            j.add("median " + seconds(aged.get(aged.size() / 2).age().get()));
            j.add("oldest " + aged.stream().limit(3).map(g -> g.id() + " " + seconds(g.age().get()))
                    .collect(Collectors.joining(", ")));
        }
        if (!none.isEmpty()) {
            j.add("none yet " + none.size() + " (" + String.join(", ", none.subList(0, Math.min(3, none.size())))
                    + (none.size() > 3 ? ", ..." : "") + ")");
        }
        return j.toString();
    }

    private static String seconds(Duration d) {
        return Math.max(0, d.toSeconds()) + "s";
    }

    public String print() {
        Instant now = Instant.now();
        Duration staleAfter = config.status().staleAfter();
        Duration stuckAfter = GatewayHealth.stuckAfter(config.http().requestDeadline());
        int ok = 0;
        List<GatewayLine> all = new java.util.ArrayList<>();
        for (GatewayTarget g : gateways.gateways()) {
            Optional<GatewayActivity.Snapshot> s = activity.of(g.id());
            Optional<String> problem = s.flatMap(x -> GatewayHealth.problem(x, now, staleAfter, stuckAfter));
            if (problem.isEmpty() && !polls.hasGatewayProblem(g.id())) {
                ok++;
            }
            all.add(new GatewayLine(g.id(), problem, s.flatMap(GatewayActivity.Snapshot::newestReading)
                    .map(t -> Duration.between(t, now))));
        }
        StringJoiner line = new StringJoiner(" | ");
        line.add(gatewaysSegment(ok, all));
        line.add(agesSegment(all));
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
