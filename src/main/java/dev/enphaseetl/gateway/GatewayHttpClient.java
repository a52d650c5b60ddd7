package dev.enphaseetl.gateway;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import dev.enphaseetl.auth.LegacyPasswords;

/**
 * The HTTP client of the gateway polls (Apache HttpClient 5): gateway certificates trusted on first use and pinned
 * (see {@link TrustOnFirstUse}), no hostname check (gateways present self-signed certificates for names nobody uses;
 * the pinned fingerprint is the stronger check), timeouts in seconds, no cookie store (the session cookie is sent
 * explicitly, see {@link GatewaySessions}) and digest credentials for legacy firmware. I/O errors become a
 * {@link GatewayException} naming the poll and the reason, never a secret.
 *
 * <p>
 * No gateway can take more than its share: every answer is read through a bounded stream (at most
 * {@code maxAnswerBytes}, counted after decompression, so neither a huge answer nor a gzip bomb reaches the heap), every
 * request is cancelled after a total deadline (an answer trickling in a byte at a time ends too), and a request's
 * failure never closes the client: should the connection pool be shut down anyway, it is built anew.
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

    private static final int MAX_CONNECTIONS = 256;
    private static final int MAX_CONNECTIONS_PER_GATEWAY = 2;
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(2);
    /** A kept-alive connection the gateway closed meanwhile (it reboots nightly) is retried once, after a second. */
    private static final int RETRIES = 1;
    private static final TimeValue RETRY_AFTER = TimeValue.ofSeconds(1);

    private final Function<String, Optional<String>> serials;
    private final SSLContext ssl;
    private final Timeout connectTimeout;
    private final Timeout responseTimeout;
    private final Limits limits;
    /** Cancels requests that pass the deadline. */
    private final ScheduledThreadPoolExecutor deadlines;
    private volatile CloseableHttpClient client;
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

    private CloseableHttpClient build() {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl)
                                .setHostnameVerifier(NoopHostnameVerifier.INSTANCE).buildClassic())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connectTimeout)
                                .setSocketTimeout(responseTimeout)
                                .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY).build())
                        .setMaxConnTotal(MAX_CONNECTIONS).setMaxConnPerRoute(MAX_CONNECTIONS_PER_GATEWAY).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(responseTimeout).build())
                .disableCookieManagement()
                .setRetryStrategy(new DefaultHttpRequestRetryStrategy(RETRIES, RETRY_AFTER))
                .build();
    }

    Limits limits() {
        return limits;
    }

    /** A GET of {@code url}, with the bearer token if there is one. */
    static HttpGet get(URI url, Optional<String> bearer) {
        HttpGet get = new HttpGet(url);
        bearer.ifPresent(b -> get.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + b));
        return get;
    }

    /**
     * Sends {@code request} for {@code task} (whose gateway gives the digest credentials) and reads the answer within
     * the {@link Limits}: a larger answer, or one not complete by the deadline, cancels the request (its connection
     * is dropped, never drained) and becomes a {@link GatewayException}.
     */
    Answer execute(HttpUriRequestBase request, PollTask task) throws GatewayException {
        AtomicBoolean overdue = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            overdue.set(true);
            request.cancel();
        }, limits.deadline().toMillis(), TimeUnit.MILLISECONDS);
        CloseableHttpClient c = client;
        try {
            return c.execute(request, digestContext(task.gateway()),
                    response -> read(request, response, limits.maxAnswerBytes()));
        } catch (TooLargeException e) {
            throw new GatewayException(GatewayException.Reason.TOO_LARGE, task + ": " + e.getMessage()
                    + " (enphase.http.max-answer-bytes=" + limits.maxAnswerBytes() + "); the answer was cut off");
        } catch (IOException | RuntimeException e) {
            if (overdue.get()) {
                throw new GatewayException(GatewayException.Reason.TIMEOUT, task + ": no complete answer within "
                        + seconds(limits.deadline()) + " (enphase.http.request-deadline); the request was cancelled");
            }
            if (e instanceof RuntimeException re) {
                throw unexpected(task, c, re);
            }
            throw failure(task, (IOException) e);
        } finally {
            deadline.cancel(false);
        }
    }

    private static Answer read(HttpUriRequestBase request, ClassicHttpResponse response, long max) throws IOException {
        HttpEntity entity = response.getEntity();
        List<String> cookies = new ArrayList<>();
        for (Header h : response.getHeaders("Set-Cookie")) {
            cookies.add(h.getValue());
        }
        if (entity == null) {
            return new Answer(response.getCode(), "", "", cookies);
        }
        ContentType ct = ContentType.parseLenient(entity.getContentType());
        Charset charset = ct == null || ct.getCharset() == null ? StandardCharsets.UTF_8 : ct.getCharset();
        byte[] body = readAtMost(request, entity, max);
        return new Answer(response.getCode(), ct == null ? "" : ct.getMimeType(), new String(body, charset),
                cookies);
    }

    /**
     * The entity's content, at most {@code max} bytes of it (after decompression); past that the request is
     * cancelled, so that closing the response drops the connection instead of reading the rest.
     */
    static byte[] readAtMost(HttpUriRequestBase request, HttpEntity entity, long max) throws IOException {
        long declared = entity.getContentLength();
        if (declared > max) {
            request.cancel();
            throw new TooLargeException("the answer announces " + declared + " bytes, more than " + max);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        byte[] buffer = new byte[8192];
        long total = 0;
        InputStream in = entity.getContent();
        if (in == null) {
            return new byte[0];
        }
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > max) {
                request.cancel();
                throw new TooLargeException("the answer is larger than " + max + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
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
     * A request ended in an unchecked exception: a failure of this request only. Should it have shut the connection
     * pool down, the client is built anew, so that the other gateways' polls go on.
     */
    private GatewayException unexpected(PollTask task, CloseableHttpClient used, RuntimeException e) {
        if (e instanceof IllegalStateException && !closed) {
            synchronized (this) {
                if (client == used && !closed) {
                    client = build();
                    try {
                        used.close();
                    } catch (IOException | RuntimeException ignored) {
                        // the old pool is gone either way
                    }
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
        client.close();
    }
}
