package dev.enphaseetl.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import dev.enphaseetl.cloud.CloudException;
import dev.enphaseetl.cloud.CloudSettings;
import dev.enphaseetl.cloud.CloudTelemetry;
import dev.enphaseetl.cloud.EnlightenApi;
import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.health.ProblemLog;
import dev.enphaseetl.sink.JdbcDelivery;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;

/**
 * Route step of the cloud round ({@code routes/45-cloud.camel.yaml}, every {@code enphase.cloud.fill-period}): looks
 * for gaps in the SQL archive (always, also without a cloud account: metrics and the status line report them) and,
 * when the Enlighten API is configured and authorized, fills the gaps of the last {@code enphase.cloud.gap-window}
 * from the cloud. Problems are logged once when they start and once when they end.
 */
@ApplicationScoped
@Named("cloudRound")
public class CloudRound {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.cloud");

    private final EnphaseConfig config;
    private final JdbcDelivery jdbc;
    private final SinkSwitches switches;
    private final Spool spool;
    private final PipelineMetrics metrics;
    private final ProblemLog problems = new ProblemLog(LOG);
    private final AtomicLong written = new AtomicLong();
    private volatile GapFinder.Report last;
    private volatile GapFiller.Result lastFill;
    private EnlightenApi api;
    private CloudTelemetry telemetry;

    @Inject
    public CloudRound(EnphaseConfig config, JdbcDelivery jdbc, SinkSwitches switches, Spool spool,
            PipelineMetrics metrics) {
        this.config = config;
        this.jdbc = jdbc;
        this.switches = switches;
        this.spool = spool;
        this.metrics = metrics;
    }

    /** The last look at the archive, if one was made. */
    public Optional<GapFinder.Report> lastReport() {
        return Optional.ofNullable(last);
    }

    /** What the last round that asked the cloud did, if one did. */
    public Optional<GapFiller.Result> lastFill() {
        return Optional.ofNullable(lastFill);
    }

    /** The plan's calls per month ({@code enphase.cloud.requests-per-month}). */
    public int callsPerMonth() {
        return config.cloud().requestsPerMonth();
    }

    /** The most calls one round spends on gaps ({@code enphase.cloud.max-calls-per-round}). */
    public int maxCallsPerRound() {
        return config.cloud().maxCallsPerRound();
    }

    /** Calls this month, or empty without a cloud account. */
    public Optional<Integer> callsThisMonth() {
        return api == null ? Optional.empty() : Optional.of(api.budget().usedThisMonth());
    }

    /** The status line's segment: gaps per gateway and the cloud calls, empty when there is nothing to tell. */
    public Optional<String> statusSegment() {
        return statusSegment(last, callsThisMonth(), config.cloud().requestsPerMonth(), lastFill,
                config.cloud().maxCallsPerRound());
    }

    /**
     * Pure: the status segment of a report ({@code null}: none yet), the calls this month (empty without an
     * account) and the last fill ({@code null}: none), which says how many gaps wait when the cap stopped it.
     */
    static Optional<String> statusSegment(GapFinder.Report r, Optional<Integer> callsThisMonth, int perMonth,
            GapFiller.Result fill, int maxCallsPerRound) {
        if (r == null) {
            return Optional.empty();
        }
        StringJoiner j = new StringJoiner(", ");
        Map<String, Duration> longest = r.longest();
        named(longest.keySet(), Comparator.comparing(longest::get), "gateways with gaps",
                gw -> gw + " " + r.of(gw).size() + " (longest " + longest.get(gw).toMinutes() + " min)")
                .forEach(j::add);
        Map<String, ? extends Collection<?>> missing = r.missingDays();
        named(missing.keySet(), Comparator.comparingInt(gw -> missing.get(gw).size()), "gateways with days missing",
                gw -> gw + " " + missing.get(gw).size() + " days missing").forEach(j::add);
        String calls = callsThisMonth.map(c -> "; cloud calls this month " + c + "/" + perMonth).orElse("")
                + (fill != null && fill.gapsWaiting() > 0
                        ? "; " + fill.gapsWaiting() + " gaps wait for the next round (at most " + maxCallsPerRound
                                + " calls a round)"
                        : "");
        return j.length() == 0 && calls.isEmpty()
                ? Optional.empty()
                : Optional.of("gaps: "
                        + (j.length() == 0 ? "none" : j.toString()) + calls);
    }

    /** Gateways named in the gap segment at most, as the status line names at most ten gateways. */
    static final int MAX_NAMED = 10;

    /**
     * The gateways to name, described: all of them up to {@link #MAX_NAMED}; beyond, the {@link #MAX_NAMED} greatest
     * by {@code order} and how many more there are. A fleet's status line stays a line (5,000 gateways with gaps made
     * it 137 KB a minute).
     */
    private static List<String> named(Collection<String> gateways, Comparator<String> order, String what,
            Function<String, String> describe) {
        if (gateways.size() <= MAX_NAMED) {
            return gateways.stream().map(describe).toList();
        }
        List<String> named = new ArrayList<>(gateways.stream().sorted(order.reversed()).limit(MAX_NAMED)
                .map(describe).toList());
        named.add("and " + (gateways.size() - MAX_NAMED) + " more " + what);
        return named;
    }

    public synchronized int tick() {
        if (!switches.isEnabled("jdbc")) {
            problems.problem("archive", "archive", Logger.Level.INFO, "Gaps are looked for in the SQL archive, and"
                    + " the jdbc sink is off: no gap report (switch enphase.sink.jdbc.enabled on)");
            return 0;
        }
        EnphaseConfig.Cloud c = config.cloud();
        ZoneId zone = ZoneId.of(config.ledger().zone());
        Instant now = Clock.systemUTC().instant();
        GapFinder.Report report = new GapFinder(c.gapThreshold(), zone).find(jdbc.sink(), now.minus(c.gapWindow()),
                now);
        last = report;
        metrics.archiveGaps(report.counts());
        CloudSettings settings = CloudSettings.from(config);
        if (!settings.configured()) {
            return 0;
        }
        if (api == null) {
            api = EnlightenApi.create(settings, Clock.systemUTC());
            telemetry = new CloudTelemetry(api, c.systems()); // kept: a looked-up system id costs one call, once
        }
        if (!api.tokens().authorized()) {
            problems.problem("auth", "auth", Logger.Level.WARN, "Gaps are not filled from the cloud: the Enlighten"
                    + " API is configured but not authorized; run enphase-etl backfill --authorize once");
            return 0;
        }
        try {
            GapFiller.Result r = new GapFiller(telemetry, spool, c.maxCallsPerRound(), c.micros())
                    .fill(report.gaps(), jdbc.sink());
            lastFill = r;
            written.addAndGet(r.intervalsWritten());
            metrics.cloudCalls(api.budget().usedThisMonth(), written.get());
            if (r.intervalsWritten() > 0 || r.gapsWaiting() > 0) {
                LOG.infof("cloud: %d intervals written into %d gaps (%d complete) with %d calls; %d gaps wait for"
                        + " the next round (at most %d calls a round); %d of %d calls used this month",
                        r.intervalsWritten(), r.gapsSeen(), r.gapsComplete(), r.calls(), r.gapsWaiting(),
                        c.maxCallsPerRound(), api.budget().usedThisMonth(), api.budget().perMonth());
            }
            problems.ok("quota", "Gaps are filled from the cloud again");
            problems.ok("fail", "The Enlighten API answers again");
            problems.ok("spool", "Cloud intervals are spooled again");
            return r.intervalsWritten();
        } catch (CloudException.QuotaExhausted e) {
            problems.problem("quota", "quota", Logger.Level.WARN, "Gaps are not filled: " + e.getMessage());
        } catch (CloudException e) {
            problems.problem("fail", "fail", Logger.Level.WARN, "Gaps are not filled from the cloud: "
                    + e.getMessage() + " (retried next round)");
        } catch (java.io.IOException e) {
            problems.problem("spool", "spool", Logger.Level.WARN, "Cloud intervals cannot be spooled: "
                    + e.getMessage() + " (retried next round)");
        }
        return 0;
    }
}
