package dev.enphaseetl.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.auth.GatewayTokens;
import dev.enphaseetl.auth.TokenStatus;
import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayStates;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.health.SinkStatus;
import dev.enphaseetl.history.CloudRound;
import dev.enphaseetl.history.Gap;
import dev.enphaseetl.history.GapFiller;
import dev.enphaseetl.history.GapFinder;
import dev.enphaseetl.parse.GatewayState;
import dev.enphaseetl.pipeline.PollProblems;
import dev.enphaseetl.pipeline.RetryPlan;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;

/**
 * The pipeline's state for the page, read through the public APIs of the lower floors (gateway registry, tokens,
 * poll problems, retry plan, sink outcomes, spool, dead-letter folders). An adapter only: when those classes move,
 * the imports here change and nothing else. Holds no secret: tokens appear as days left, never as text.
 */
@ApplicationScoped
public class PipelineView {

    /** How many dead letters are listed with their reason (newest first); all are counted. */
    static final int LISTED_DEAD_LETTERS = 20;
    /** How many gaps are listed per gateway (the newest); all are counted. */
    static final int LISTED_GAPS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    GatewayRegistry registry;
    @Inject
    GatewayTokens tokens;
    @Inject
    GatewayStates states;
    @Inject
    PollProblems polls;
    @Inject
    RetryPlan retries;
    @Inject
    SinkStatus sinks;
    @Inject
    SinkSwitches switches;
    @Inject
    Spool spool;
    @Inject
    EnphaseConfig config;
    @Inject
    CloudRound cloudRound;

    public Map<String, Object> state() {
        Instant now = Instant.now();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", now.getEpochSecond());
        out.put("gateways", gateways(now));
        out.put("sinks", sinks(now));
        Spool.State fill = spool.state();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("used_bytes", fill.usedBytes());
        s.put("max_bytes", fill.maxBytes());
        s.put("used_percent", fill.percent());
        s.put("full", fill.full());
        s.put("write_error", fill.writeError().orElse(null));
        out.put("spool", s);
        out.put("dead_letters", deadLetters(Path.of(config.dataDir(), "dead-letter")));
        out.put("archive_gaps", archiveGaps(cloudRound.lastReport(), cloudRound.callsThisMonth(),
                cloudRound.callsPerMonth(), cloudRound.lastFill(), LISTED_GAPS));
        return out;
    }

    /**
     * Pure: the {@code archive_gaps} part of {@code /api/pipeline} from the cloud round's last look at the archive:
     * {@code state} {@code no-report} (no look yet), {@code none} (no gap, no missing day) or {@code gaps}; per
     * gateway the number of gaps, the longest, the missing days and the newest {@code listed} gaps; and, with a cloud
     * account ({@code calls} present), the calls this month, the plan's limit and the gaps waiting for the next round.
     */
    static Map<String, Object> archiveGaps(Optional<GapFinder.Report> report, Optional<Integer> calls,
            int callsPerMonth, Optional<GapFiller.Result> fill, int listed) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (calls.isPresent()) {
            Map<String, Object> cloud = new LinkedHashMap<>();
            cloud.put("calls_month", calls.get());
            cloud.put("limit_month", callsPerMonth);
            cloud.put("gaps_waiting", fill.map(GapFiller.Result::gapsWaiting).orElse(0));
            out.put("cloud", cloud);
        } else {
            out.put("cloud", null);
        }
        if (report.isEmpty()) {
            out.put("state", "no-report");
            out.put("checked_at", null);
            out.put("gateways", List.of());
            return out;
        }
        GapFinder.Report r = report.get();
        out.put("checked_at", r.checkedAt().getEpochSecond());
        TreeSet<String> gateways = new TreeSet<>(r.longest().keySet());
        gateways.addAll(r.missingDays().keySet());
        out.put("state", gateways.isEmpty() ? "none" : "gaps");
        List<Map<String, Object>> list = new ArrayList<>();
        for (String gw : gateways) {
            List<Gap> all = new ArrayList<>(r.of(gw));
            all.sort(Comparator.comparing(Gap::end).thenComparing(Gap::start).reversed());
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("gateway", gw);
            g.put("gaps", all.size());
            Duration longest = r.longest().get(gw);
            g.put("longest_s", longest == null ? 0 : longest.toSeconds());
            List<String> days = r.missingDays().getOrDefault(gw, List.of()).stream().map(Object::toString).toList();
            g.put("missing_days", days);
            List<Map<String, Object>> items = new ArrayList<>();
            for (Gap gap : all.subList(0, Math.min(listed, all.size()))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("measurement", gap.measurement());
                m.put("start", gap.start().getEpochSecond());
                m.put("end", gap.end().getEpochSecond());
                m.put("length_s", gap.length().toSeconds());
                items.add(m);
            }
            g.put("items", items);
            list.add(g);
        }
        out.put("gateways", list);
        return out;
    }

    private List<Map<String, Object>> gateways(Instant now) {
        Map<String, TokenStatus> byId = new LinkedHashMap<>();
        tokens.statuses().forEach(t -> byId.put(t.gatewayId(), t));
        Map<String, Instant> lastGood = polls.lastGoodPolls();
        Map<String, Instant> failing = retries.failing();
        List<Map<String, Object>> out = new ArrayList<>();
        for (GatewayTarget g : registry.gateways()) {
            GatewayState st = states.of(g.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", g.id());
            m.put("serial", st.serial().orElse(null));
            m.put("firmware", st.firmware().orElse(null));
            m.put("ok", !polls.hasGatewayProblem(g.id()));
            Instant good = lastGood.get(g.id());
            m.put("last_good_poll", good == null ? null : good.getEpochSecond());
            m.put("last_good_poll_age_s", good == null ? null : Duration.between(good, now).toSeconds());
            Instant since = failing.get(g.id());
            m.put("failing_for_s", since == null ? null : Duration.between(since, now).toSeconds());
            TokenStatus t = byId.get(g.id());
            m.put("token", t == null ? null : t.health().name());
            m.put("token_days_left", t == null ? null : t.daysLeft().orElse(null));
            m.put("token_error", t == null ? null : t.lastError().orElse(null));
            out.add(m);
        }
        return out;
    }

    private List<Map<String, Object>> sinks(Instant now) {
        Spool.State fill = spool.state();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String sink : switches.enabled()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", sink);
            var outcome = sinks.outcome(sink);
            m.put("state", outcome.map(o -> o.ok() ? "ok" : "failing").orElse("waiting"));
            m.put("error", outcome.flatMap(SinkStatus.Outcome::error).orElse(null));
            m.put("last_outcome", outcome.map(o -> o.at().getEpochSecond()).orElse(null));
            m.put("delivered", outcome.map(SinkStatus.Outcome::delivered).orElse(0L));
            Spool.SinkDepth depth = fill.sinks().get(sink);
            m.put("spool_depth", depth == null ? count(spool.directory(sink), ".jsonl") : depth.entries());
            m.put("spool_oldest_age_s", depth == null
                    ? null
                    : depth.oldest()
                            .map(t -> Math.max(0, Duration.between(t, now).toSeconds())).orElse(null));
            out.add(m);
        }
        return out;
    }

    /**
     * Dead letters waiting under {@code root}: sink entries ({@code <sink>/*.json}, reason in {@code error}) and
     * gateway payloads ({@code poll/<gateway>/<endpoint>/*.json}, reason in {@code reason}). All counted, the
     * newest {@link #LISTED_DEAD_LETTERS} listed.
     */
    static Map<String, Object> deadLetters(Path root) {
        List<Path> metas = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root, 4)) {
                files.filter(p -> p.getFileName().toString().endsWith(".json")
                        && !p.toString().contains("/.tmp/")).forEach(metas::add);
            } catch (IOException e) {
                return Map.of("count", -1, "error", "cannot list " + root + ": " + e.getMessage(), "items",
                        List.of());
            }
        }
        // file names start with a UTC stamp: the name orders them in time
        metas.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        List<Map<String, Object>> items = new ArrayList<>();
        for (Path meta : metas.subList(0, Math.min(LISTED_DEAD_LETTERS, metas.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            Path rel = root.relativize(meta);
            m.put("file", rel.toString());
            try {
                JsonNode n = JSON.readTree(meta.toFile());
                boolean poll = rel.getName(0).toString().equals("poll");
                m.put("kind", poll ? "gateway payload" : "sink " + n.path("sink").asText(rel.getName(0).toString()));
                m.put("where", poll
                        ? n.path("gateway").asText() + " " + n.path("endpoint").asText()
                        : n.path("sink").asText());
                m.put("reason", poll ? n.path("reason").asText(null) : n.path("error").asText(null));
                m.put("at", poll ? n.path("parkedAt").asText(null) : n.path("lastAttempt").asText(null));
                m.put("readings", n.hasNonNull("readings") ? n.get("readings").asLong() : null);
            } catch (IOException e) {
                m.put("reason", "metadata unreadable: " + e.getMessage());
            }
            items.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", metas.size());
        out.put("directory", root.toString());
        out.put("items", items);
        return out;
    }

    private static long count(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        } catch (IOException e) {
            return -1;
        }
    }
}
