package dev.enphaseetl.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
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
 * Non-blocking: {@link #fetchAsync} returns at once and holds no thread while the gateway takes its time (the HTTP
 * client's few I/O threads serve every request in flight). Steps that may block (a token renewal, parsing and
 * spooling by the caller) run on {@link #steps()}, a small pool of {@code enphase.poll.threads} threads that never
 * waits for a gateway.
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
    private static final int DEFAULT_STEP_THREADS = 4;

    private final TrustOnFirstUse trust;
    private final TokenManager tokens;
    private final Function<String, Optional<String>> serials;
    /** Records how long the fetch of an endpoint (by id) took. */
    private final BiConsumer<String, Duration> pollDurations;
    private final GatewayHttpClient http;
    private final GatewaySessions sessions;
    private final SchemeFallback fallback = new SchemeFallback();
    private final LiveStream live;
    private final ExecutorService steps;
    /** Records how late a poll's request started after its tick. */
    private java.util.function.Consumer<Duration> lateness = d -> {
    };

    @Inject
    public GatewayFetcher(EnphaseConfig config, GatewayTokens tokens, GatewayStates states, PipelineMetrics metrics) {
        this(new TrustOnFirstUse(Path.of(config.dataDir(), "trust", "known-gateways.properties"), Map.of(),
                config.http().insecure()), tokens.manager(), states::serial,
                Timeout.of(config.http().connectTimeout()), Timeout.of(config.http().responseTimeout()),
                new GatewayHttpClient.Limits(config.http().maxAnswerBytes(), config.http().requestDeadline()),
                metrics::pollDuration, new LiveStream(config.live().stream(), config.live().streamRenew(),
                        Clock.systemUTC()),
                config.poll().threads());
        this.lateness = metrics::pollLateness;
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
                }, live, DEFAULT_STEP_THREADS);
    }

    /**
     * @param maxAnswerBytes the largest answer taken (bytes after decompression)
     * @param deadline       the longest one request may take in total
     */
    public GatewayFetcher(TrustOnFirstUse trust, TokenManager tokens, Function<String, Optional<String>> serials,
            Timeout connectTimeout, Timeout responseTimeout, long maxAnswerBytes, Duration deadline) {
        this(trust, tokens, serials, connectTimeout, responseTimeout,
                new GatewayHttpClient.Limits(maxAnswerBytes, deadline), (endpoint, took) -> {
                }, LiveStream.off(), DEFAULT_STEP_THREADS);
    }

    private GatewayFetcher(TrustOnFirstUse trust, TokenManager tokens, Function<String, Optional<String>> serials,
            Timeout connectTimeout, Timeout responseTimeout, GatewayHttpClient.Limits limits,
            BiConsumer<String, Duration> pollDurations, LiveStream live, int stepThreads) {
        this.live = live;
        this.steps = stepPool(stepThreads);
        this.trust = trust;
        this.tokens = tokens;
        this.serials = serials;
        this.pollDurations = pollDurations;
        this.http = new GatewayHttpClient(trust, serials, connectTimeout, responseTimeout, limits);
        this.sessions = new GatewaySessions(http);
    }

    /** The HTTP client (tests read its connection count). */
    GatewayHttpClient http() {
        return http;
    }

    /** The pool for steps that may block (token renewal; the caller's parsing and spooling). */
    public ExecutorService steps() {
        return steps;
    }

    private static ExecutorService stepPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "poll-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * The poll of routes/20: {@link #fetchAsync} started on {@link #steps()} (reading the token may block while it is
     * renewed) and completed there, with the plain {@link GatewayException} on failure, so that the route's next steps
     * (parsing, spooling) run on a step thread, never on an I/O thread and never on the poll queue's consumer. Camel
     * takes a returned {@code CompletionStage} asynchronously: no thread waits for the gateway.
     */
    public CompletableFuture<Fetched> poll(PollTask task) {
        CompletableFuture<Fetched> done = new CompletableFuture<>();
        String id = task.gateway().id();
        Long last = lastAnswer.get(id);
        boolean cold = last == null || System.nanoTime() - last > WARM_NANOS;
        Runnable start = () -> start(task, done, cold);
        if (!cold) {
            start.run();
        } else if (connecting.tryAcquire()) {
            start.run();
        } else {
            waitingToConnect.add(start);
            startWaiting();
        }
        return done;
    }

    /**
     * Polls of gateways without a kept-alive connection (at start, after an outage) open one: a TLS handshake, the
     * CPU-heavy part of a poll. At most {@link #CONNECTING} of them run at once, the others wait their turn in order,
     * so that a fleet of thousands starting together is not a burst of thousands of handshakes timing out each other.
     * Polls over a kept-alive connection never wait here.
     */
    static final int CONNECTING = 256;
    /** A gateway answered this recently: its connection is most likely still kept alive. */
    private static final long WARM_NANOS = TimeUnit.SECONDS.toNanos(GatewayHttpClient.IDLE.toSeconds() / 2);
    private final java.util.concurrent.Semaphore connecting = new java.util.concurrent.Semaphore(CONNECTING);
    private final java.util.Queue<Runnable> waitingToConnect = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** When each gateway last answered ({@link System#nanoTime()}). */
    private final Map<String, Long> lastAnswer = new java.util.concurrent.ConcurrentHashMap<>();

    private void startWaiting() {
        while (!waitingToConnect.isEmpty() && connecting.tryAcquire()) {
            Runnable next = waitingToConnect.poll();
            if (next == null) {
                connecting.release();
                return;
            }
            next.run();
        }
    }

    private void start(PollTask task, CompletableFuture<Fetched> done, boolean holdsPermit) {
        try {
            steps.execute(() -> {
                lateness.accept(Duration.ofNanos(Math.max(0, System.nanoTime() - task.dueNanos())));
                CompletableFuture<Fetched> f;
                try {
                    f = fetchAsync(task);
                } catch (RuntimeException e) {
                    ended(task, holdsPermit, false);
                    done.completeExceptionally(e);
                    return;
                }
                f.whenComplete((fetched, error) -> {
                    ended(task, holdsPermit, error == null);
                    handOver(done, fetched, error);
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ended(task, holdsPermit, false);
            done.completeExceptionally(e);
        }
    }

    private void ended(PollTask task, boolean holdsPermit, boolean answered) {
        if (answered) {
            lastAnswer.put(task.gateway().id(), System.nanoTime());
        }
        if (holdsPermit) {
            connecting.release();
            startWaiting();
        }
    }

    private void handOver(CompletableFuture<Fetched> done, Fetched fetched, Throwable error) {
        Runnable complete = () -> {
            if (error != null) {
                done.completeExceptionally(unwrap(error));
            } else {
                done.complete(fetched);
            }
        };
        try {
            steps.execute(complete);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            complete.run(); // shutting down
        }
    }

    /** {@link #fetchAsync}, waiting for it: for callers that have a thread to spare (tests, tools). */
    public Fetched fetch(PollTask task) throws GatewayException {
        return await(fetchAsync(task));
    }

    /** {@link #fetchOnceAsync}, waiting for it. */
    public Fetched fetchOnce(PollTask task) throws GatewayException {
        return await(fetchOnceAsync(task));
    }

    private static Fetched await(CompletableFuture<Fetched> f) throws GatewayException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = unwrap(e);
            if (c instanceof GatewayException ge) {
                throw ge;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
    }

    /** The cause of a failed future's exception. */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * Fetches the task's endpoint (see {@link #fetchOnceAsync}); for {@code /ivp/livedata/status} of a gateway with
     * a token, first enables the gateway's live stream when {@link LiveStream} says so, and when the answer shows
     * that the stream lapsed meanwhile, enables it and asks once more. One request at a time, as the poll's. Call it
     * from a thread that may block briefly (it reads the gateway's token); the future completes on an I/O thread.
     */
    public CompletableFuture<Fetched> fetchAsync(PollTask task) {
        if (task.endpoint() != Endpoint.IVP_LIVEDATA_STATUS || !task.gateway().hasToken()
                && !tokens.hasSource(task.gateway().id())) {
            return fetchOnceAsync(task);
        }
        String id = task.gateway().id();
        CompletableFuture<Boolean> enabled = live.shouldEnable(id)
                ? enableLiveStream(task)
                : CompletableFuture.completedFuture(false);
        return enabled.thenComposeAsync(x -> fetchOnceAsync(task), steps).thenCompose(f -> {
            if (f.status() == 200 && live.lapsed(id, f.body()) && live.shouldEnable(id)) {
                return CompletableFuture.supplyAsync(() -> enableLiveStream(task), steps)
                        .thenCompose(e -> e)
                        .thenComposeAsync(ok -> ok ? fetchOnceAsync(task) : CompletableFuture.completedFuture(f),
                                steps);
            }
            return CompletableFuture.completedFuture(f);
        });
    }

    /** Posts {@link LiveStream#ENABLE}; true when the gateway accepted it. Failures are noted, never thrown. */
    private CompletableFuture<Boolean> enableLiveStream(PollTask task) {
        GatewayTarget gw = task.gateway();
        Optional<String> bearer;
        try {
            bearer = tokens.bearerFor(gw.id());
        } catch (TokenUnavailableException e) {
            live.failed(gw.id(), e.getMessage());
            return CompletableFuture.completedFuture(false);
        }
        return session(gw, bearer).thenCompose(session -> {
            SimpleHttpRequest post = SimpleRequestBuilder
                    .post(GatewayTarget.resolve(fallback.base(gw), LiveStream.PATH))
                    .setBody(LiveStream.ENABLE, ContentType.APPLICATION_JSON).build();
            bearer.ifPresent(b -> post.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + b));
            session.ifPresent(s -> post.setHeader(HttpHeaders.COOKIE, GatewaySessions.cookie(s)));
            post.setHeader(HttpHeaders.ACCEPT, "application/json");
            return http.execute(post, task);
        }).handle((answer, e) -> {
            if (e != null) {
                Throwable c = unwrap(e);
                live.failed(gw.id(), c instanceof GatewayException ? c.getMessage() : String.valueOf(c));
                return false;
            }
            String body = answer.body();
            live.answered(gw.id(), answer.status(), body.length() > 200 ? body.substring(0, 200) : body);
            int status = answer.status();
            return status >= 200 && status < 300;
        });
    }

    /**
     * Fetches the task's endpoint with the gateway's current token. On 401/403 the token manager revalidates once
     * (renewing if credentials exist, single-flight per account, on {@link #steps()}) and the request is repeated
     * once with a new token. Call it from a thread that may block briefly (it reads the gateway's token).
     */
    public CompletableFuture<Fetched> fetchOnceAsync(PollTask task) {
        GatewayTarget gw = task.gateway();
        if (gw.certificateSha256() != null) {
            trust.pin(gw.hostPort(), gw.certificateSha256());
        }
        Optional<String> bearer;
        try {
            bearer = tokens.bearerFor(gw.id());
        } catch (TokenUnavailableException e) {
            return CompletableFuture.failedFuture(new GatewayException(GatewayException.Reason.AUTH, task
                    + ": no usable token: " + e.getMessage()));
        }
        long started = System.nanoTime();
        AtomicReference<Optional<String>> session = new AtomicReference<>(Optional.empty());
        CompletableFuture<Fetched> first = session(gw, bearer).thenCompose(s -> {
            session.set(s);
            return get(task, bearer, s);
        });
        CompletableFuture<Fetched> answered = first.exceptionallyCompose(e -> {
            Throwable c = unwrap(e);
            if (!(c instanceof GatewayException ge)) {
                return CompletableFuture.failedFuture(c);
            }
            return fallback.retry(task, bearer.isPresent(), ge,
                    () -> session(gw, bearer).thenCompose(s -> get(task, bearer, s))).thenApply(f -> {
                        session.set(sessions.current(gw.id()));
                        return f;
                    });
        });
        return answered.thenCompose(f -> {
            if (!f.accessRefused() || bearer.isEmpty()) {
                return CompletableFuture.completedFuture(f);
            }
            String rejected = bearer.get();
            sessions.forget(gw.id());
            // the token manager may renew (a request to Enphase's cloud): not on an I/O thread
            return CompletableFuture.supplyAsync(
                    () -> tokens.onRejected(gw.id(), rejected).map(Token::value).orElse(rejected), steps)
                    .thenCompose(retryWith -> {
                        if (session.get().isPresent() || !retryWith.equals(rejected)) {
                            // a stale session, or a renewed token: one more try with a new session
                            return sessions.open(gw, fallback.base(gw), retryWith)
                                    .thenCompose(s -> get(task, Optional.of(retryWith), s));
                        }
                        return CompletableFuture.completedFuture(f);
                    });
        }).thenApply(f -> {
            if (f.status() < 400 && bearer.isPresent()) {
                tokens.onAccepted(gw.id());
            }
            pollDurations.accept(task.endpoint().id(), Duration.ofNanos(System.nanoTime() - started));
            return f;
        });
    }

    /** The gateway's session for requests with a token; none without one. */
    private CompletableFuture<Optional<String>> session(GatewayTarget gw, Optional<String> bearer) {
        return bearer.isEmpty()
                ? CompletableFuture.completedFuture(Optional.empty())
                : sessions.open(gw, fallback.base(gw), bearer.get());
    }

    private CompletableFuture<Fetched> get(PollTask task, Optional<String> bearer, Optional<String> session) {
        URI url = GatewayTarget.resolve(fallback.base(task.gateway()), task.endpoint().path());
        SimpleHttpRequest get = GatewayHttpClient.get(url, bearer);
        session.ifPresent(s -> get.setHeader(HttpHeaders.COOKIE, GatewaySessions.cookie(s)));
        get.setHeader(HttpHeaders.ACCEPT, ACCEPT);
        return http.execute(get, task)
                .thenApply(answer -> new Fetched(task, answer.status(), answer.mimeType(), answer.body()));
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
        steps.shutdownNow();
        http.close();
    }
}
