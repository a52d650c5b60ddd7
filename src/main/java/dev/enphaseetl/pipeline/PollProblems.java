package dev.enphaseetl.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.GatewayException;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.health.GatewayActivity;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.health.ProblemLog;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.PayloadException;
import dev.enphaseetl.spool.SpoolFullException;
import dev.enphaseetl.spool.SpoolWriteException;

/**
 * What happens when a poll goes wrong, called from the poll routes' error handling: gateway failures are logged once
 * per gateway and reason, rejected payloads are dead-lettered with the reason, endpoints a firmware does not offer
 * are reported once.
 */
@ApplicationScoped
@Named("pollProblems")
public class PollProblems {

    /** Exchange property holding the {@link PollTask}. */
    public static final String TASK = "pollTask";
    /** Exchange property holding the {@link Fetched} answer, once there is one. */
    public static final String FETCHED = "fetched";

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.poll");

    private final ProblemLog gatewayProblems = new ProblemLog(LOG);
    private final ProblemLog endpointProblems = new ProblemLog(LOG);
    private final DeadLetters deadLetters;
    private final PipelineMetrics metrics;
    private final RetryPlan retries;
    private final Duration outageGrace;
    private final Map<String, Instant> lastGood = new ConcurrentHashMap<>();
    /** Per gateway: endpoints whose last answer was HTTP 5xx. */
    private final Map<String, Set<String>> failingEndpoints = new ConcurrentHashMap<>();
    /** Per gateway: how long the outage lasted, said when the last failing endpoint answers. */
    private final Map<String, String> recoveredAfter = new ConcurrentHashMap<>();
    private final GatewayActivity activity;

    @Inject
    public PollProblems(DeadLetters deadLetters, PipelineMetrics metrics, RetryPlan retries, EnphaseConfig config,
            GatewayActivity activity) {
        this(deadLetters, metrics, retries, config.poll().outageGrace(), activity);
    }

    public PollProblems(DeadLetters deadLetters, PipelineMetrics metrics, RetryPlan retries, Duration outageGrace) {
        this(deadLetters, metrics, retries, outageGrace, new GatewayActivity());
    }

    public PollProblems(DeadLetters deadLetters, PipelineMetrics metrics, RetryPlan retries, Duration outageGrace,
            GatewayActivity activity) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.retries = retries;
        this.outageGrace = outageGrace;
        this.activity = activity;
    }

    /**
     * The gateway could not be read; one line per gateway and reason. A transient failure (unreachable, timeout,
     * HTTP 5xx) is retried ({@link RetryPlan}) and is an INFO line while the gateway has failed for less than
     * {@code enphase.poll.outage-grace} (its nightly restart passes without alarm), a WARN line once it lasts longer.
     */
    public void gatewayFailed(Exchange exchange) {
        PollTask task = exchange.getProperty(TASK, PollTask.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e instanceof GatewayException ge ? ge.reason().name() : e.getClass().getSimpleName();
        metrics.poll(task.endpoint().id(), "failed");
        metrics.pollFailure(reason.toLowerCase(Locale.ROOT));
        String gw = task.gateway().id();
        boolean transientFailure = e instanceof GatewayException g0 && transientReason(g0.reason());
        boolean neverAnswered = !activity.everAnswered(gw);
        activity.failed(gw, reason.toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + withoutTask(task, e),
                !transientFailure || e instanceof GatewayException g1
                        && g1.reason() == GatewayException.Reason.HTTP_ERROR);
        if (e instanceof GatewayException ge && ge.unknownHost() && neverAnswered) {
            // a typo in the URL or no DNS: it will not pass by itself like a nightly restart
            retries.failed(task);
            gatewayProblems.problem(gw, reason + " unknown host", Logger.Level.WARN, "Gateway " + gw
                    + " cannot be reached: its host name does not resolve (" + withoutTask(task, e) + "); check the"
                    + " gateway's URL (enphase.gateways[n].url) and DNS (logged once until the problem changes or"
                    + " clears)");
            return;
        }
        if (transientFailure) {
            if (e instanceof GatewayException ge2 && ge2.reason() == GatewayException.Reason.HTTP_ERROR) {
                failingEndpoints.computeIfAbsent(gw, k -> ConcurrentHashMap.newKeySet()).add(task.endpoint().id());
            }
            retries.failed(task).ifPresent(delay -> {
                metrics.poll(task.endpoint().id(), "retry_planned");
                LOG.debugf("Gateway %s endpoint %s: retry in %d ms", gw, task.endpoint().id(), delay.toMillis());
            });
            Duration failing = retries.failingSince(gw).map(t -> Duration.between(t, Instant.now()))
                    .orElse(Duration.ZERO);
            if (failing.compareTo(outageGrace) < 0) {
                gatewayProblems.problem(gw, reason, Logger.Level.INFO, "Gateway " + gw + " does not answer: "
                        + e.getMessage() + "; retrying (a short outage such as the gateway's nightly restart passes"
                        + " by itself; a warning follows if it lasts beyond "
                        + outageGrace.toString().substring(2).toLowerCase(Locale.ROOT)
                        + ")");
            } else {
                gatewayProblems.problem(gw, reason + " for long", Logger.Level.WARN, "Gateway " + gw
                        + " has not answered for " + failing.toMinutes() + " min: " + e.getMessage()
                        + " (logged once until the problem changes or clears)");
            }
            return;
        }
        retries.succeeded(task); // it answered (a refusal, a certificate): not an outage
        Logger.Level level = e instanceof GatewayException ge && ge.reason() == GatewayException.Reason.AUTH
                || e instanceof GatewayException g2 && g2.reason() == GatewayException.Reason.TLS
                        ? Logger.Level.ERROR
                        : Logger.Level.WARN;
        gatewayProblems.problem(gw, reason, level, "Gateway " + gw
                + " failed: " + e.getMessage() + " (logged once until the problem changes or clears)");
    }

    /** The exception's message without the leading {@code gateway X endpoint Y: }. */
    private static String withoutTask(PollTask task, Exception e) {
        String m = String.valueOf(e.getMessage());
        String prefix = task + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    static boolean transientReason(GatewayException.Reason reason) {
        return reason == GatewayException.Reason.UNREACHABLE || reason == GatewayException.Reason.TIMEOUT
                || reason == GatewayException.Reason.HTTP_ERROR;
    }

    /** The payload was not usable: keep it in the dead-letter directory and say why. */
    public void payloadRejected(Exchange exchange) throws IOException {
        PollTask task = exchange.getProperty(TASK, PollTask.class);
        Fetched fetched = fetchedOf(exchange, task);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e instanceof PayloadException ? e.getMessage() : e.toString();
        retries.succeeded(task); // the gateway answered: not an outage
        stillFailing(task);
        metrics.poll(task.endpoint().id(), "rejected");
        metrics.pollFailure("payload_rejected");
        activity.failed(task.gateway().id(), "payload rejected: " + reason, true);
        metrics.pollDeadLettered();
        String kept = keptIn(deadLetters.parkPayload(task, fetched, reason));
        endpointProblems.problem(task.key(), "rejected:" + reason, Logger.Level.WARN, "Gateway "
                + task.gateway().id() + " endpoint " + task.endpoint().id() + ": payload rejected: " + reason + "; "
                + kept);
    }

    /** Anything else: keep the payload if there is one, and say what broke, naming gateway and endpoint. */
    public void unexpected(Exchange exchange) throws IOException {
        PollTask task = exchange.getProperty(TASK, PollTask.class);
        Fetched fetched = fetchedOf(exchange, task);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (isSpoolRefusal(e)) {
            // the spool logs the change of state once and turns readiness DOWN; parking the payload would fill
            // the same disk the limit protects
            LOG.debugf("Gateway %s endpoint %s: readings not spooled: %s", task.gateway().id(), task.endpoint().id(),
                    e.getMessage());
            return;
        }
        activity.failed(task.gateway().id(), "unexpected failure: " + e, fetched != null);
        if (fetched != null) {
            metrics.pollDeadLettered();
        }
        String reason = "unexpected " + e;
        String kept = fetched == null ? "no answer to keep" : keptIn(deadLetters.parkPayload(task, fetched, reason));
        // once per gateway, endpoint and kind of failure (a stack trace once, at DEBUG after that)
        if (endpointProblems.problem(task.key(), "unexpected:" + e.getClass().getName(), Logger.Level.ERROR,
                "Gateway " + task.gateway().id() + " endpoint " + task.endpoint().id() + ": unexpected failure: " + e
                        + "; " + kept + " (logged once until it delivers again)")) {
            LOG.debug("stack trace of the unexpected failure", e);
        }
    }

    /**
     * The answer of this poll: the exchange property {@link #FETCHED} only if it belongs to {@code task} (an exchange
     * handed on to the gateway's next poll may still hold the previous poll's answer).
     */
    static Fetched fetchedOf(Exchange exchange, PollTask task) {
        Fetched fetched = exchange.getProperty(FETCHED, Fetched.class);
        return fetched != null && fetched.task().equals(task) ? fetched : null;
    }

    private static String keptIn(Optional<Path> file) {
        return file.map(f -> "kept in " + f)
                .orElse("not kept (enphase.dead-letter.max-bytes reached; counted in enphase_poll_dead_letters)");
    }

    private static boolean isSpoolRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SpoolFullException || t instanceof SpoolWriteException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The firmware does not offer this endpoint (HTML, an error object, an empty list, 404): said once, and the first
     * such answer is kept as a dead letter so that what the gateway really sent can be looked at; repeats are not.
     */
    public void notAvailable(Fetched fetched, String reason) throws IOException {
        PollTask task = fetched.task();
        retries.succeeded(task); // the gateway answered: not an outage
        metrics.poll(task.endpoint().id(), "not_available");
        activity.answered(task.gateway().id(), 0, Optional.empty(), "answers without data: " + reason);
        String message = "Gateway " + task.gateway().id() + " endpoint " + task.endpoint().id()
                + " is not available on this firmware: " + reason + " (reported once)";
        if (endpointProblems.problem(task.key(), "not-available", Logger.Level.INFO, message)) {
            metrics.pollDeadLettered();
            deadLetters.parkPayload(task, fetched, "not data (endpoint not available on this firmware): " + reason);
        }
    }

    /** The endpoint of {@code task} answered; whether other endpoints of its gateway still answer HTTP 5xx. */
    private boolean stillFailing(PollTask task) {
        Set<String> failing = failingEndpoints.get(task.gateway().id());
        if (failing == null) {
            return false;
        }
        failing.remove(task.endpoint().id());
        return !failing.isEmpty();
    }

    public boolean hasGatewayProblem(String gatewayId) {
        return gatewayProblems.hasProblem(gatewayId);
    }

    /**
     * The gateway's firmware changed (read from /info): endpoints are detected anew, so an endpoint the old firmware
     * lacked is reported again if the new one lacks it too.
     */
    public void firmwareChanged(String gatewayId, String before, String now) {
        LOG.infof("Gateway %s firmware changed from %s to %s: detecting its endpoints anew", gatewayId, before, now);
        endpointProblems.clearPrefix(gatewayId + " ");
    }

    /** When each gateway last gave a usable answer. */
    public Map<String, Instant> lastGoodPolls() {
        return Map.copyOf(lastGood);
    }

    /** A poll went through: clear problems, logging their recovery. */
    public void succeeded(PollTask task) {
        succeeded(task, List.of());
    }

    /** A poll went through with {@code readings}: clear problems, logging their recovery. */
    public void succeeded(PollTask task, List<Reading> readings) {
        activity.answered(task.gateway().id(), readings.size(),
                readings.stream().mapToLong(Reading::time).max().stream().mapToObj(Instant::ofEpochSecond).findFirst(),
                null);
        lastGood.put(task.gateway().id(), Instant.now());
        metrics.poll(task.endpoint().id(), "ok");
        String gw = task.gateway().id();
        retries.succeeded(task).ifPresent(d -> recoveredAfter.put(gw, " after " + d.toSeconds() + " s; endpoints"
                + " that failed meanwhile are asked now"));
        // an endpoint answering HTTP 5xx while the others answer is one problem until it answers too, not a
        // "does not answer" / "answers again" pair per poll
        if (!stillFailing(task)) {
            String after = recoveredAfter.remove(gw);
            gatewayProblems.ok(gw, "Gateway " + gw + " answers again" + (after == null ? "" : after));
        }
        endpointProblems.ok(task.key(), "Gateway " + task.gateway().id() + " endpoint " + task.endpoint().id()
                + " delivers data again");
    }
}
