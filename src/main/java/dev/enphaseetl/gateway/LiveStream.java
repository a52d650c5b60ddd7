package dev.enphaseetl.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.health.ProblemLog;

/**
 * The live stream of each gateway: {@code /ivp/livedata/status} only moves while the stream is on, which a client
 * asks for with {@code POST /ivp/livedata/stream {"enable":1}} and the gateway switches off again after about 15
 * minutes. This class decides when to ask (before the first poll, when the last answer said {@code sc_stream} is not
 * {@code enabled}, and again {@code renewAfter} after the last time it was enabled, before it lapses) and remembers a
 * refusal: a gateway that refuses (older firmware: 404; an owner token the endpoint rejects: 401/403) is reported
 * once and never asked again until the process restarts. Thread-safe; one state per gateway id.
 */
public final class LiveStream {

    /** The path clients post {@code {"enable":1}} to. */
    public static final String PATH = "/ivp/livedata/stream";
    /** The body that switches the stream on. */
    public static final String ENABLE = "{\"enable\":1}";

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.poll");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is known of a gateway's stream. */
    public enum State {
        /** Not asked yet, or the gateway said it is off. */
        OFF,
        /** Enabled by us at {@code enabledAt}. */
        ON,
        /** The gateway refused: not asked again. */
        REFUSED
    }

    private record Stream(State state, Instant enabledAt) {}

    private final boolean enabled;
    private final Duration renewAfter;
    private final Clock clock;
    private final ProblemLog problems = new ProblemLog(LOG);
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    /**
     * @param enabled    whether to enable the stream at all ({@code enphase.live.stream})
     * @param renewAfter enable again this long after the last time (below the gateway's ~15 minutes)
     */
    public LiveStream(boolean enabled, Duration renewAfter, Clock clock) {
        this.enabled = enabled;
        this.renewAfter = renewAfter;
        this.clock = clock;
    }

    public static LiveStream off() {
        return new LiveStream(false, Duration.ofMinutes(12), Clock.systemUTC());
    }

    private Stream of(String gatewayId) {
        return streams.getOrDefault(gatewayId, new Stream(State.OFF, null));
    }

    public State state(String gatewayId) {
        return of(gatewayId).state();
    }

    /** Whether to post {@link #ENABLE} before polling the gateway's {@code /ivp/livedata/status} now. */
    public boolean shouldEnable(String gatewayId) {
        if (!enabled) {
            return false;
        }
        Stream s = of(gatewayId);
        return switch (s.state()) {
            case OFF -> true;
            case REFUSED -> false;
            case ON -> !clock.instant().isBefore(s.enabledAt().plus(renewAfter));
        };
    }

    /**
     * The gateway answered the enable request with {@code status}. 2xx: on. 400..499: a refusal, reported once and
     * kept. Anything else (5xx): tried again at the next poll.
     */
    public void answered(String gatewayId, int status, String detail) {
        if (status >= 200 && status < 300) {
            streams.put(gatewayId, new Stream(State.ON, clock.instant()));
        } else if (status >= 400 && status < 500) {
            streams.put(gatewayId, new Stream(State.REFUSED, null));
            problems.problem(gatewayId, "refused", Logger.Level.WARN, "Gateway " + gatewayId
                    + ": live data not available on this gateway (POST " + PATH + " answered HTTP " + status
                    + (detail == null || detail.isBlank() ? "" : ": " + detail)
                    + "); /ivp/livedata/status is polled at its period without further attempts and may stand"
                    + " still; an installer token or newer firmware enables it (reported once until restart)");
        } else {
            LOG.debugf("Gateway %s: POST %s answered HTTP %d; trying again at the next poll", gatewayId, PATH, status);
        }
    }

    /** The enable request did not get through (timeout, unreachable): tried again at the next poll. */
    public void failed(String gatewayId, String why) {
        LOG.debugf("Gateway %s: POST %s failed (%s); trying again at the next poll", gatewayId, PATH, why);
    }

    /**
     * Notes the {@code connection.sc_stream} of a {@code /ivp/livedata/status} answer; returns true when we believed
     * the stream on and the gateway says it is not (it lapsed early or the gateway restarted), so that the caller
     * enables it and asks again.
     */
    public boolean lapsed(String gatewayId, String body) {
        if (!enabled || of(gatewayId).state() == State.REFUSED) {
            return false;
        }
        Optional<String> sc = scStream(body);
        if (sc.isEmpty() || "enabled".equals(sc.get())) {
            return false;
        }
        boolean believedOn = of(gatewayId).state() == State.ON;
        streams.put(gatewayId, new Stream(State.OFF, null));
        return believedOn;
    }

    /** {@code connection.sc_stream} of a status payload, when it has one. */
    static Optional<String> scStream(String body) {
        try {
            JsonNode sc = JSON.readTree(body).path("connection").path("sc_stream");
            return sc.isTextual() ? Optional.of(sc.asText()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty(); // not JSON: the parser says what is wrong with it
        }
    }
}
