package dev.enphaseetl.gateway;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import dev.enphaseetl.auth.LegacyPasswords;

/**
 * The HTTP client of the gateway polls: Apache HttpClient 5 <em>async</em>, so that a request in flight holds no
 * thread (a few I/O reactor threads serve every connection; thousands of slow gateways need no thread each). Gateway
 * certificates are trusted on first use and pinned (see {@link TrustOnFirstUse}), no hostname check (gateways present
 * self-signed certificates for names nobody uses; the pinned fingerprint is the stronger check), timeouts in seconds,
 * no cookie store (the session cookie is sent explicitly, see {@link GatewaySessions}) and digest credentials for
 * legacy firmware. No limit of connections per host:port: the scheduler keeps one request in flight per gateway, and
 * many gateways may share one host:port (behind a NAT port forward, or the simulator). I/O errors become a
 * {@link GatewayException} naming the poll and the reason, never a secret.
 *
 * <p>
 * No gateway can take more than its share: every answer is read into a bounded buffer (at most
 * {@code maxAnswerBytes}, counted after decompression, so neither a huge answer nor a gzip bomb reaches the heap), every
 * request is cancelled after a total deadline (an answer trickling in a byte at a time ends too), and a request's
 * failure never closes the client: should the client be shut down anyway, it is built anew.
 *
 * <p>
 * Completions run on the client's I/O threads: whoever continues from a returned future must not block there (hand
 * over to an executor for parsing, spooling or token renewal).
 */
final class GatewayHttpClient implements Closeable {

    /** Bounds of every request: the largest answer (bytes, after decompression) and the total time. */
    record Limits(long maxAnswerBytes, Duration deadline) {

        Limits {
            if (maxAnswerBytes < 1 || deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("max answer bytes and deadline must be positive");
            }
        }
    }

    /** What a gateway answered: status, MIME type, the body (within the limit) and its Set-Cookie values. */
    record Answer(int status, String mimeType, String body, List<String> setCookies) {}

    /** The answer passed {@link Limits#maxAnswerBytes()}; the request was cancelled. */
    private static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** Connections over all gateways: a safety bound only, far above any fleet's need. */
    private static final int MAX_CONNECTIONS = 100_000;
    /** The input and output buffer of each connection (HttpCore's default is 8 KB each). */
    static final int HTTP1_BUFFER_BYTES = 2048;
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(2);
    /**
     * Idle connections are closed after 20 to 40 s (the evictor looks every 20 s). The endpoints of one period fall due
     * together, so a gateway's polls come in bursts, one request after the other over one kept-alive connection, about
     * once a minute: the burst reuses the connection, and between bursts the gateway holds nothing (at 5,000 gateways
     * the kept-alive connections were 100 MB of heap: HttpCore's input buffer of each grows to the largest chunk read,
     * up to 16 KB, and never shrinks). A new burst costs one TLS handshake, resumed where the gateway keeps sessions;
     * gateways close idle connections after a few seconds themselves anyway.
     */
    static final TimeValue IDLE = TimeValue.ofSeconds(20);
    /** A kept-alive connection the gateway closed meanwhile (it reboots nightly) is retried once, after a second. */
    private static final int RETRIES = 1;
    private static final TimeValue RETRY_AFTER = TimeValue.ofSeconds(1);

    /**
     * HttpClient's default retry (once, after a second, for idempotent requests), which also retries a request whose
     * kept-alive connection the gateway closed meanwhile: the async client reports that as a closed connection, the
     * classic one as no answer.
     */
    private static final class StaleConnectionRetry extends DefaultHttpRequestRetryStrategy {
        StaleConnectionRetry() {
            super(RETRIES, RETRY_AFTER, List.of(java.io.InterruptedIOException.class, UnknownHostException.class,
                    ConnectException.class, java.net.NoRouteToHostException.class, SSLException.class),
                    List.of(429, 503));
        }
    }

    private final Function<String, Optional<String>> serials;
    private final SSLContext ssl;
    private final Timeout connectTimeout;
    private final Timeout responseTimeout;
    private final Limits limits;
    /** Cancels requests that pass the deadline. */
    private final ScheduledThreadPoolExecutor deadlines;
    private volatile CloseableHttpAsyncClient client;
    private volatile PoolingAsyncClientConnectionManager pool;
    private volatile boolean closed;

    /**
     * @param serials the serial of a gateway by id, as /info told it (for the default legacy digest password)
     */
    GatewayHttpClient(TrustOnFirstUse trust, Function<String, Optional<String>> serials, Timeout connectTimeout,
            Timeout responseTimeout, Limits limits) {
        this.serials = serials;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.limits = limits;
        try {
            ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[]{trust}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
        this.deadlines = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gateway-request-deadline");
            t.setDaemon(true);
            return t;
        });
        deadlines.setRemoveOnCancelPolicy(true);
        this.client = build();
    }

    private CloseableHttpAsyncClient build() {
        PoolingAsyncClientConnectionManager manager = PoolingAsyncClientConnectionManagerBuilder.create()
                .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl)
                        .setHostnameVerifier(NoopHostnameVerifier.INSTANCE)
                        .setSslBufferMode(SSLBufferMode.DYNAMIC).buildAsync())
                // gateways speak HTTP/1.1; no ALPN negotiation
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connectTimeout)
                        .setSocketTimeout(responseTimeout)
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY).build())
                .setMaxConnTotal(MAX_CONNECTIONS).setMaxConnPerRoute(MAX_CONNECTIONS)
                // a pool per route, no global lists: the strict pool scans one list of every idle connection at each
                // lease (8 % of the pipeline's CPU at 5,000 gateways); the gateways bound the total anyway
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX).build();
        pool = manager;
        CloseableHttpAsyncClient c = HttpAsyncClients.custom()
                .setConnectionManager(manager)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())))
                        .build())
                .setThreadFactory(r -> {
                    Thread t = new Thread(r, "gateway-http-io");
                    t.setDaemon(true);
                    return t;
                })
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(responseTimeout).build())
                // every kept-alive connection holds an input and an output buffer of this size on the heap: HttpCore's
                // 8 KB default made 5,000 gateways' connections 80 MB of a 256 MB heap (OutOfMemoryError in the fleet
                // benchmark); answers stream through it whatever its size
                .setHttp1Config(Http1Config.custom().setBufferSize(HTTP1_BUFFER_BYTES).build())
                .disableCookieManagement()
                .evictIdleConnections(IDLE)
                .setRetryStrategy(new StaleConnectionRetry())
                .addExecInterceptorFirst(AnswerAfterRelease.NAME, new AnswerAfterRelease())
                .build();
        c.start();
        return c;
    }

    Limits limits() {
        return limits;
    }

    /** A GET of {@code url}, with the bearer token if there is one. */
    static SimpleHttpRequest get(URI url, Optional<String> bearer) {
        SimpleHttpRequest get = SimpleRequestBuilder.get(url).build();
        bearer.ifPresent(b -> get.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + b));
        return get;
    }

    /**
     * Tells a request that its exchange ended <em>after</em> HttpClient handed the connection back to the pool.
     * HttpClient completes the answer's future first and releases the connection after that, so a gateway's next
     * request, started from that future (the poll that follows {@code /auth/check_jwt} at once), found the connection
     * still leased and opened a second one (7,460 kept-alive connections to 5,000 gateways, each with its buffers).
     * {@link #execute} hands the answer on only when both happened, so the next request finds the kept-alive
     * connection in the pool. There is no bound of connections per host:port: gateways behind one port forward or
     * proxy never wait for each other's connections.
     */
    private static final class AnswerAfterRelease implements AsyncExecChainHandler {
        static final String NAME = "enphase-answer-after-release";
        /** The context attribute: a {@link Runnable} run once the exchange ended and its connection was released. */
        static final String RELEASED = "enphase.released";

        @Override
        public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
                AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
            chain.proceed(request, entityProducer, scope, new AsyncExecCallback() {
                @Override
                public AsyncDataConsumer handleResponse(HttpResponse response, EntityDetails entityDetails)
                        throws HttpException, IOException {
                    return callback.handleResponse(response, entityDetails);
                }

                @Override
                public void handleInformationResponse(HttpResponse response) throws HttpException, IOException {
                    callback.handleInformationResponse(response);
                }

                @Override
                public void completed() {
                    try {
                        callback.completed(); // releases the connection to the pool
                    } finally {
                        released(scope);
                    }
                }

                @Override
                public void failed(Exception cause) {
                    try {
                        callback.failed(cause); // discards the connection
                    } finally {
                        // an answer read in full before the connection broke (a POST's body still being sent) stands
                        released(scope);
                    }
                }
            });
        }

        private static void released(AsyncExecChain.Scope scope) {
            Object released = scope.clientContext.getAttribute(RELEASED);
            if (released instanceof Runnable r) {
                r.run();
            }
        }
    }

    /** Connections open or being opened to gateways (kept alive or in use). */
    int connections() {
        PoolStats stats = pool.getTotalStats();
        return stats.getLeased() + stats.getAvailable() + stats.getPending();
    }

    /**
     * Sends {@code request} for {@code task} (whose gateway gives the digest credentials) and reads the answer within
     * the {@link Limits}: a larger answer, or one not complete by the deadline, cancels the request (its connection
     * is dropped, never drained) and fails the future with a {@link GatewayException}. The future completes on an I/O
     * thread: do not block in its continuations.
     */
    CompletableFuture<Answer> execute(SimpleHttpRequest request, PollTask task) {
        CompletableFuture<Raw> result = new CompletableFuture<>();
        AtomicBoolean overdue = new AtomicBoolean();
        CloseableHttpAsyncClient c = client;
        Future<Raw> exchange;
        // the answer is handed on once the connection is back in the pool (see AnswerAfterRelease)
        AtomicReference<Raw> read = new AtomicReference<>();
        AtomicBoolean released = new AtomicBoolean();
        Runnable handOn = () -> {
            Raw raw = read.get();
            if (raw != null && released.get()) {
                result.complete(raw);
            }
        };
        HttpClientContext context = digestContext(task.gateway());
        context.setAttribute(AnswerAfterRelease.RELEASED, (Runnable) () -> {
            released.set(true);
            handOn.run();
        });
        try {
            exchange = c.execute(SimpleRequestProducer.create(request), new BoundedConsumer(limits.maxAnswerBytes()),
                    context, new FutureCallback<>() {
                        @Override
                        public void completed(Raw raw) {
                            read.set(raw);
                            handOn.run();
                        }

                        @Override
                        public void failed(Exception e) {
                            result.completeExceptionally(e);
                        }

                        @Override
                        public void cancelled() {
                            result.completeExceptionally(new CancellationException("cancelled"));
                        }
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unexpected(task, c, e));
        }
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            Raw raw = read.get();
            if (raw != null) {
                // read in full, but HttpClient never reported the exchange's end: the answer stands
                result.complete(raw);
                return;
            }
            overdue.set(true);
            exchange.cancel(true);
        }, limits.deadline().toMillis(), TimeUnit.MILLISECONDS);
        return result.handle((raw, error) -> {
            deadline.cancel(false);
            if (error == null) {
                try {
                    return raw.answer(limits.maxAnswerBytes());
                } catch (TooLargeException e) {
                    error = e;
                } catch (IOException e) {
                    error = e;
                }
            }
            throw new CompletionException(failure(task, c, error, overdue.get()));
        });
    }

    private GatewayException failure(PollTask task, CloseableHttpAsyncClient used, Throwable error,
            boolean overdue) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof TooLargeException) {
            return new GatewayException(GatewayException.Reason.TOO_LARGE, task + ": " + e.getMessage()
                    + " (enphase.http.max-answer-bytes=" + limits.maxAnswerBytes() + "); the answer was cut off");
        }
        if (overdue) {
            return new GatewayException(GatewayException.Reason.TIMEOUT, task + ": no complete answer within "
                    + seconds(limits.deadline()) + " (enphase.http.request-deadline); the request was cancelled");
        }
        if (e instanceof RuntimeException re) {
            return unexpected(task, used, re);
        }
        if (e instanceof IOException io) {
            return failure(task, io);
        }
        return new GatewayException(GatewayException.Reason.UNREACHABLE, task + ": request failed: "
                + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    /** The status, headers and raw (possibly compressed) body of an answer, at most the limit of bytes. */
    private record Raw(int status, ContentType contentType, String encoding, byte[] body, List<String> setCookies) {

        /** The answer, the body decompressed (at most {@code max} bytes) and decoded. */
        Answer answer(long max) throws IOException {
            byte[] bytes = body;
            if (encoding != null && bytes.length > 0) {
                bytes = switch (encoding) {
                    case "gzip", "x-gzip" -> readAtMost(new GZIPInputStream(new ByteArrayInputStream(bytes)), max);
                    case "deflate" -> readAtMost(new InflaterInputStream(new ByteArrayInputStream(bytes)), max);
                    default -> bytes;
                };
            }
            Charset charset = contentType == null || contentType.getCharset() == null
                    ? StandardCharsets.UTF_8
                    : contentType.getCharset();
            return new Answer(status, contentType == null ? "" : contentType.getMimeType(),
                    new String(bytes, charset), setCookies);
        }
    }

    /** At most {@code max} bytes of {@code in}; past that a {@link TooLargeException}. */
    static byte[] readAtMost(InputStream in, long max) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > max) {
                    throw new TooLargeException("the answer is larger than " + max + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    /**
     * Takes the answer's body into memory up to {@code max} bytes: an announced or actual larger body fails the
     * exchange at once (the connection is dropped, never drained).
     */
    private static final class BoundedConsumer extends AbstractBinResponseConsumer<Raw> {
        private final long max;
        private int status;
        private ContentType contentType;
        private String encoding;
        private final List<String> cookies = new ArrayList<>();
        private ByteArrayOutputStream body;
        private long total;

        BoundedConsumer(long max) {
            this.max = max;
        }

        @Override
        protected void start(HttpResponse response, ContentType contentType) throws IOException {
            // a retried request (a kept-alive connection closed under it) reads its answer afresh
            this.status = response.getCode();
            this.contentType = contentType;
            cookies.clear();
            total = 0;
            encoding = null;
            for (Header h : response.getHeaders("Set-Cookie")) {
                cookies.add(h.getValue());
            }
            Header enc = response.getFirstHeader(HttpHeaders.CONTENT_ENCODING);
            if (enc != null && !enc.getValue().isBlank()) {
                String e = enc.getValue().trim().toLowerCase(Locale.ROOT);
                encoding = e.equals("identity") ? null : e;
            }
            Header length = response.getFirstHeader(HttpHeaders.CONTENT_LENGTH);
            long declared = -1;
            if (length != null) {
                try {
                    declared = Long.parseLong(length.getValue().trim());
                } catch (NumberFormatException ignored) {
                    // the stream tells
                }
            }
            if (declared > max) {
                throw new TooLargeException("the answer announces " + declared + " bytes, more than " + max);
            }
            body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        }

        @Override
        protected int capacityIncrement() {
            return 64 * 1024;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
            int n = src.remaining();
            total += n;
            if (total > max) {
                throw new TooLargeException("the answer is larger than " + max + " bytes");
            }
            if (src.hasArray()) {
                body.write(src.array(), src.arrayOffset() + src.position(), n);
                src.position(src.limit());
            } else {
                byte[] b = new byte[n];
                src.get(b);
                body.write(b, 0, n);
            }
        }

        @Override
        protected Raw buildResult() {
            return new Raw(status, contentType, encoding, body == null ? new byte[0] : body.toByteArray(),
                    List.copyOf(cookies));
        }

        @Override
        public void releaseResources() {
            // the body is handed over in buildResult
        }
    }

    private static GatewayException failure(PollTask task, IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new GatewayException(GatewayException.Reason.TIMEOUT, task + ": no answer in time (" + e.getMessage()
                    + ")");
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return new GatewayException(GatewayException.Reason.UNREACHABLE, task + ": unreachable ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        if (e instanceof SSLException) {
            return new GatewayException(GatewayException.Reason.TLS, task + ": TLS failed: " + rootMessage(e));
        }
        return new GatewayException(GatewayException.Reason.UNREACHABLE, task + ": " + e.getClass().getSimpleName()
                + ": " + e.getMessage());
    }

    /**
     * A request ended in an unchecked exception: a failure of this request only. Should the client have been shut
     * down, it is built anew, so that the other gateways' polls go on.
     */
    private GatewayException unexpected(PollTask task, CloseableHttpAsyncClient used, RuntimeException e) {
        if (e instanceof CancellationException) {
            return new GatewayException(GatewayException.Reason.UNREACHABLE, task + ": the request was cancelled");
        }
        if (e instanceof IllegalStateException && !closed) {
            synchronized (this) {
                if (client == used && !closed) {
                    client = build();
                    used.close(CloseMode.IMMEDIATE);
                }
            }
        }
        return new GatewayException(GatewayException.Reason.UNREACHABLE, task + ": request failed: "
                + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * Credentials for HTTP digest, which legacy firmware asks for on some endpoints: the configured user, else
     * {@code envoy} with the last six digits of the serial. HttpClient only answers a digest challenge with them; they
     * are never sent unasked.
     */
    private HttpClientContext digestContext(GatewayTarget gw) {
        HttpClientContext ctx = HttpClientContext.create();
        String user = gw.username();
        String password = gw.password();
        if (user == null) {
            Optional<String> serial = serials.apply(gw.id());
            if (serial.isEmpty()) {
                return ctx;
            }
            user = LegacyPasswords.ENVOY;
            password = LegacyPasswords.envoyPassword(serial.get());
        }
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(new AuthScope(gw.baseUrl().getHost(), -1),
                new UsernamePasswordCredentials(user, password == null ? new char[0] : password.toCharArray()));
        ctx.setCredentialsProvider(credentials);
        return ctx;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        deadlines.shutdownNow();
        client.close(CloseMode.GRACEFUL);
    }
}
