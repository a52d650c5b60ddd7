package dev.enphaseetl.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import dev.enphaseetl.auth.GatewayTokens;
import dev.enphaseetl.auth.Token;
import dev.enphaseetl.auth.TokenManager;
import dev.enphaseetl.auth.TokenUnavailableException;
import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.parse.Endpoint;

/**
 * Fetches one endpoint of one gateway: with the gateway's current token and session (see {@link GatewaySessions}),
 * over {@link GatewayHttpClient}, at the other scheme when the configured one refuses connections (see
 * {@link SchemeFallback}).
 *
 * <p>
 * Errors become a {@link GatewayException} whose message names gateway, endpoint and reason and never a secret.
 */
@ApplicationScoped
@Named("gatewayFetcher")
public class GatewayFetcher {

    private static final String ACCEPT = "application/json, application/xml;q=0.9, */*;q=0.5";
    /** The defaults of {@code enphase.http.max-answer-bytes} and {@code enphase.http.request-deadline}. */
    static final long DEFAULT_MAX_ANSWER_BYTES = 4L * 1024 * 1024;
    static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(60);

    private final TrustOnFirstUse trust;
    private final TokenManager tokens;
    private final Function<String, Optional<String>> serials;
    /** Records how long the fetch of an endpoint (by id) took. */
    private final BiConsumer<String, Duration> pollDurations;
    private final GatewayHttpClient http;
    private final GatewaySessions sessions;
    private final SchemeFallback fallback = new SchemeFallback();
    private final LiveStream live;

    @Inject
    public GatewayFetcher(EnphaseConfig config, GatewayTokens tokens, GatewayStates states, PipelineMetrics metrics) {
        this(new TrustOnFirstUse(Path.of(config.dataDir(), "trust", "known-gateways.properties"), Map.of(),
                config.http().insecure()), tokens.manager(), states::serial,
                Timeout.of(config.http().connectTimeout()), Timeout.of(config.http().responseTimeout()),
                new GatewayHttpClient.Limits(config.http().maxAnswerBytes(), config.http().requestDeadline()),
                metrics::pollDuration, new LiveStream(config.live().stream(), config.live().streamRenew(),
                        Clock.systemUTC()));
    }

    /**
     * @param serials the serial of a gateway by id, as /info told it (for the default legacy digest password)
     */
    public GatewayFetcher(TrustOnFirstUse trust, TokenManager tokens, Function<String, Optional<String>> serials,
            Timeout connectTimeout, Timeout responseTimeout) {
        this(trust, tokens, serials, connectTimeout, responseTimeout, DEFAULT_MAX_ANSWER_BYTES,
                DEFAULT_REQUEST_DEADLINE);
    }

    /** Same, keeping the gateways' live streams on as {@code live} says. */
    public GatewayFetcher(TrustOnFirstUse trust, TokenManager tokens, Function<String, Optional<String>> serials,
            Timeout connectTimeout, Timeout responseTimeout, LiveStream live) {
        this(trust, tokens, serials, connectTimeout, responseTimeout,
                new GatewayHttpClient.Limits(DEFAULT_MAX_ANSWER_BYTES, DEFAULT_REQUEST_DEADLINE), (endpoint, took) -> {
                }, live);
    }

    /**
     * @param maxAnswerBytes the largest answer taken (bytes after decompression)
     * @param deadline       the longest one request may take in total
     */
    public GatewayFetcher(TrustOnFirstUse trust, TokenManager tokens, Function<String, Optional<String>> serials,
            Timeout connectTimeout, Timeout responseTimeout, long maxAnswerBytes, Duration deadline) {
        this(trust, tokens, serials, connectTimeout, responseTimeout,
                new GatewayHttpClient.Limits(maxAnswerBytes, deadline), (endpoint, took) -> {
                }, LiveStream.off());
    }

    private GatewayFetcher(TrustOnFirstUse trust, TokenManager tokens, Function<String, Optional<String>> serials,
            Timeout connectTimeout, Timeout responseTimeout, GatewayHttpClient.Limits limits,
            BiConsumer<String, Duration> pollDurations, LiveStream live) {
        this.live = live;
        this.trust = trust;
        this.tokens = tokens;
        this.serials = serials;
        this.pollDurations = pollDurations;
        this.http = new GatewayHttpClient(trust, serials, connectTimeout, responseTimeout, limits);
        this.sessions = new GatewaySessions(http);
    }

    /**
     * Fetches the task's endpoint (see {@link #fetchOnce}); for {@code /ivp/livedata/status} of a gateway with a
     * token, first enables the gateway's live stream when {@link LiveStream} says so, and when the answer shows that
     * the stream lapsed meanwhile, enables it and asks once more. One request at a time, as the poll's.
     */
    public Fetched fetch(PollTask task) throws GatewayException {
        if (task.endpoint() != Endpoint.IVP_LIVEDATA_STATUS || !task.gateway().hasToken()
                && !tokens.hasSource(task.gateway().id())) {
            return fetchOnce(task);
        }
        String id = task.gateway().id();
        if (live.shouldEnable(id)) {
            enableLiveStream(task);
        }
        Fetched f = fetchOnce(task);
        if (f.status() == 200 && live.lapsed(id, f.body()) && live.shouldEnable(id) && enableLiveStream(task)) {
            f = fetchOnce(task);
        }
        return f;
    }

    /** Posts {@link LiveStream#ENABLE}; true when the gateway accepted it. Failures are noted, never thrown. */
    private boolean enableLiveStream(PollTask task) {
        GatewayTarget gw = task.gateway();
        try {
            Optional<String> bearer = tokens.bearerFor(gw.id());
            Optional<String> session = session(gw, bearer);
            HttpPost post = new HttpPost(GatewayTarget.resolve(fallback.base(gw), LiveStream.PATH));
            bearer.ifPresent(b -> post.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + b));
            session.ifPresent(s -> post.setHeader(HttpHeaders.COOKIE, GatewaySessions.cookie(s)));
            post.setHeader(HttpHeaders.ACCEPT, "application/json");
            post.setEntity(new StringEntity(LiveStream.ENABLE, ContentType.APPLICATION_JSON));
            GatewayHttpClient.Answer answer = http.execute(post, task);
            String body = answer.body();
            live.answered(gw.id(), answer.status(), body.length() > 200 ? body.substring(0, 200) : body);
            int status = answer.status();
            return status >= 200 && status < 300;
        } catch (GatewayException | TokenUnavailableException e) {
            live.failed(gw.id(), e.getMessage());
            return false;
        }
    }

    /**
     * Fetches the task's endpoint with the gateway's current token. On 401/403 the token manager revalidates once
     * (renewing if credentials exist, single-flight per account) and the request is repeated once with a new token.
     */
    public Fetched fetchOnce(PollTask task) throws GatewayException {
        GatewayTarget gw = task.gateway();
        if (gw.certificateSha256() != null) {
            trust.pin(gw.hostPort(), gw.certificateSha256());
        }
        Optional<String> bearer;
        try {
            bearer = tokens.bearerFor(gw.id());
        } catch (TokenUnavailableException e) {
            throw new GatewayException(GatewayException.Reason.AUTH, task + ": no usable token: " + e.getMessage());
        }
        long started = System.nanoTime();
        Optional<String> session;
        Fetched f;
        try {
            session = session(gw, bearer);
            f = get(task, bearer, session);
        } catch (GatewayException e) {
            f = fallback.retry(task, bearer.isPresent(), e, () -> get(task, bearer, session(gw, bearer)));
            session = sessions.current(gw.id());
        }
        if (f.accessRefused() && bearer.isPresent()) {
            String rejected = bearer.get();
            sessions.forget(gw.id());
            String retryWith = tokens.onRejected(gw.id(), rejected).map(Token::value).orElse(rejected);
            if (session.isPresent() || !retryWith.equals(rejected)) {
                // a stale session, or a renewed token: one more try with a new session
                f = get(task, Optional.of(retryWith), sessions.open(gw, fallback.base(gw), retryWith));
            }
        }
        if (f.status() < 400 && bearer.isPresent()) {
            tokens.onAccepted(gw.id());
        }
        pollDurations.accept(task.endpoint().id(), Duration.ofNanos(System.nanoTime() - started));
        return f;
    }

    /** The gateway's session for requests with a token; none without one. */
    private Optional<String> session(GatewayTarget gw, Optional<String> bearer) throws GatewayException {
        return bearer.isEmpty() ? Optional.empty() : sessions.open(gw, fallback.base(gw), bearer.get());
    }

    private Fetched get(PollTask task, Optional<String> bearer, Optional<String> session) throws GatewayException {
        URI url = GatewayTarget.resolve(fallback.base(task.gateway()), task.endpoint().path());
        HttpGet get = GatewayHttpClient.get(url, bearer);
        session.ifPresent(s -> get.setHeader(HttpHeaders.COOKIE, GatewaySessions.cookie(s)));
        get.setHeader(HttpHeaders.ACCEPT, ACCEPT);
        GatewayHttpClient.Answer answer = http.execute(get, task);
        return new Fetched(task, answer.status(), answer.mimeType(), answer.body());
    }

    /** Turns HTTP statuses that are not an answer into errors; everything else goes on to the parser. */
    public Fetched requireAnswer(Fetched f) throws GatewayException {
        if (f.accessRefused()) {
            GatewayTarget gw = f.task().gateway();
            String why;
            if (tokens.hasSource(gw.id())) {
                why = "the gateway rejected the token (HTTP " + f.status() + "); renew it or check it belongs to this"
                        + " gateway";
            } else if ("http".equals(gw.baseUrl().getScheme())) {
                why = "the gateway refused access (HTTP " + f.status() + "): legacy firmware wants a digest login ("
                        + (gw.username() != null
                                ? "user " + gw.username() + " was refused"
                                : serials.apply(gw.id()).isPresent()
                                        ? "user envoy with the serial's last six digits"
                                                + " was refused; set enphase.gateways[n].username and .password"
                                        : "the serial is not known yet from /info")
                        + "); firmware 7 and later wants a token instead";
            } else {
                why = "the gateway requires a token (HTTP " + f.status() + "); configure one for firmware 7 and later";
            }
            throw new GatewayException(GatewayException.Reason.AUTH, f.task() + ": " + why);
        }
        if (f.status() >= 500) {
            throw new GatewayException(GatewayException.Reason.HTTP_ERROR, f.task() + ": HTTP " + f.status());
        }
        return f;
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }
}
