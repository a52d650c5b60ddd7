package dev.enphaseetl.gateway;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;


import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import dev.enphaseetl.auth.GatewayTokens;
import dev.enphaseetl.auth.LegacyPasswords;
import dev.enphaseetl.auth.Token;
import dev.enphaseetl.auth.TokenManager;
import dev.enphaseetl.auth.TokenUnavailableException;
import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.pipeline.GatewayStates;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.pipeline.PollTask;

/**
 * Fetches one endpoint of one gateway with Apache HttpClient 5: bearer token, timeouts in seconds, gateway
 * certificates trusted on first use and pinned (see {@link TrustOnFirstUse}), no hostname check (gateways present
 * self-signed certificates for names nobody uses; the pinned fingerprint is the stronger check).
 *
 * <p>
 * Errors become a {@link GatewayException} whose message names gateway, endpoint and reason and never a secret.
 */
@ApplicationScoped
@Named("gatewayFetcher")
public class GatewayFetcher {

    private static final Logger LOG = Logger.getLogger(GatewayFetcher.class);

    private final CloseableHttpClient client;
    private final TrustOnFirstUse trust;
    private final TokenManager tokens;
    private final Function<String, Optional<String>> serials;
    private PipelineMetrics metrics;
    /** The gateway's session from /auth/check_jwt, by gateway id; never logged. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    /** The base URL that answered, by gateway id, when it is not the configured one (scheme fallback). */
    private final Map<String, Fallback> bases = new ConcurrentHashMap<>();
    private final java.util.Set<String> fallbackAnnounced = ConcurrentHashMap.newKeySet();

    private record Fallback(URI base, long until) {
    }

    private static final long FALLBACK_MILLIS = java.time.Duration.ofHours(1).toMillis();
    /** Gateways whose firmware gave no session (no /auth/check_jwt): when to ask again. */
    private final Map<String, Long> noSessionUntil = new ConcurrentHashMap<>();

    @Inject
    public GatewayFetcher(EnphaseConfig config, GatewayTokens tokens, GatewayStates states, PipelineMetrics metrics) {
        this(new TrustOnFirstUse(Path.of(config.dataDir(), "trust", "known-gateways.properties"), Map.of(),
                config.http().insecure()), tokens.manager(), states::serial,
                Timeout.of(config.http().connectTimeout()), Timeout.of(config.http().responseTimeout()));
        this.metrics = metrics;
    }

    /**
     * @param serials the serial of a gateway by id, as /info told it (for the default legacy digest password)
     */
    public GatewayFetcher(TrustOnFirstUse trust, TokenManager tokens, Function<String, Optional<String>> serials,
            Timeout connectTimeout, Timeout responseTimeout) {
        this.trust = trust;
        this.tokens = tokens;
        this.serials = serials;
        SSLContext ssl;
        try {
            ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] { trust }, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl)
                                .setHostnameVerifier(NoopHostnameVerifier.INSTANCE).buildClassic())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connectTimeout)
                                .setSocketTimeout(responseTimeout)
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2)).build())
                        .setMaxConnTotal(256).setMaxConnPerRoute(2).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(responseTimeout).build())
                .disableCookieManagement()
                // a kept-alive connection the gateway closed meanwhile (it reboots nightly) is retried once
                .setRetryStrategy(new DefaultHttpRequestRetryStrategy(1, TimeValue.ofSeconds(1)))
                .build();
    }

    /**
     * Fetches the task's endpoint with the gateway's current token. On 401/403 the token manager revalidates once
     * (renewing if credentials exist, single-flight per account) and the request is repeated once with a new token.
     */
    public Fetched fetch(PollTask task) throws GatewayException {
        GatewayTarget gw = task.gateway();
        if (gw.certificateSha256() != null) {
            trust.pin(gw.hostPort(), gw.certificateSha256());
        }
        String bearer;
        try {
            bearer = tokens.bearerFor(gw.id()).orElse(null);
        } catch (TokenUnavailableException e) {
            throw new GatewayException(GatewayException.Reason.AUTH, task + ": no usable token: " + e.getMessage());
        }
        long started = System.nanoTime();
        String session;
        Fetched f;
        try {
            session = bearer == null ? null : session(gw, bearer);
            f = get(task, bearer, session);
        } catch (GatewayException e) {
            f = otherScheme(task, bearer, e);
            session = sessions.get(gw.id());
        }
        if ((f.status() == 401 || f.status() == 403) && bearer != null) {
            sessions.remove(gw.id());
            Optional<Token> fresh = tokens.onRejected(gw.id(), bearer);
            String retryWith = fresh.map(Token::value).orElse(bearer);
            if (session != null || !retryWith.equals(bearer)) {
                // a stale session, or a renewed token: one more try with a new session
                f = get(task, retryWith, session(gw, retryWith));
            }
        }
        if (f.status() < 400 && bearer != null) {
            tokens.onAccepted(gw.id());
        }
        if (metrics != null) {
            metrics.pollDuration(task.endpoint().id(), java.time.Duration.ofNanos(System.nanoTime() - started));
        }
        return f;
    }

    /**
     * The gateway's session cookie: opened with {@code /auth/check_jwt} as the gateway expects and reused while the
     * gateway accepts it. Firmware without the endpoint gets bearer-only requests (asked again after an hour).
     */
    private String session(GatewayTarget gw, String bearer) throws GatewayException {
        String s = sessions.get(gw.id());
        if (s != null) {
            return s;
        }
        Long until = noSessionUntil.get(gw.id());
        if (until != null && until > System.currentTimeMillis()) {
            return null;
        }
        HttpGet check = new HttpGet(resolve(base(gw), "/auth/check_jwt"));
        check.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
        String cookie = execute(check, gw, new PollTask(gw, Endpoint.INFO), response -> {
            EntityUtils.consume(response.getEntity());
            if (response.getCode() == 401 || response.getCode() == 403) {
                return ""; // the token is refused: no session now, the data request will say so
            }
            if (response.getCode() != 200) {
                return null;
            }
            for (var h : response.getHeaders("Set-Cookie")) {
                for (String part : h.getValue().split(";")) {
                    String p = part.trim();
                    if (p.startsWith("sessionId=") && p.length() > "sessionId=".length()) {
                        return p.substring("sessionId=".length());
                    }
                }
            }
            return null;
        });
        if (cookie == null) {
            noSessionUntil.put(gw.id(), System.currentTimeMillis() + 3_600_000L);
            return null;
        }
        if (cookie.isEmpty()) {
            return null;
        }
        sessions.put(gw.id(), cookie);
        return cookie;
    }

    /**
     * Firmware 5 only listens on port 80 and some firmware 8 builds dropped it: when the configured scheme's default
     * port refuses the connection, the other scheme is tried, and used for the gateway for an hour if it answers (then
     * the configured one is tried again). A token never goes over plain HTTP: with a token, only HTTP to HTTPS.
     */
    private Fetched otherScheme(PollTask task, String bearer, GatewayException failure) throws GatewayException {
        GatewayTarget gw = task.gateway();
        URI current = base(gw);
        Optional<URI> other = alternative(current);
        if (failure.reason() != GatewayException.Reason.UNREACHABLE || !failure.connectionRefused()
                || other.isEmpty() || bearer != null && !"https".equals(other.get().getScheme())) {
            throw failure;
        }
        bases.put(gw.id(), new Fallback(other.get(), System.currentTimeMillis() + FALLBACK_MILLIS));
        try {
            String session = bearer == null ? null : session(gw, bearer);
            Fetched f = get(task, bearer, session);
            if (fallbackAnnounced.add(gw.id())) {
                LOG.infof("Gateway %s refuses connections on %s but answers on %s: using %s (the configured scheme is"
                        + " tried again every hour)", gw.id(), current.getScheme(), other.get().getScheme(),
                        other.get().getScheme());
            }
            return f;
        } catch (GatewayException e) {
            bases.remove(gw.id());
            throw failure;
        }
    }

    /** The same gateway under the other scheme, only where the URL uses the scheme's default port. */
    static Optional<URI> alternative(URI base) {
        if (base.getPort() > 0) {
            return Optional.empty();
        }
        String other = switch (base.getScheme()) {
            case "https" -> "http";
            case "http" -> "https";
            default -> null;
        };
        return other == null ? Optional.empty()
                : Optional.of(URI.create(other + "://" + base.getRawAuthority()
                        + Objects.toString(base.getRawPath(), "")));
    }

    private URI base(GatewayTarget gw) {
        Fallback f = bases.get(gw.id());
        if (f == null) {
            return gw.baseUrl();
        }
        if (f.until() < System.currentTimeMillis()) {
            bases.remove(gw.id(), f);
            return gw.baseUrl();
        }
        return f.base();
    }

    private static URI resolve(URI base, String pathAndQuery) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + pathAndQuery);
    }

    private Fetched get(PollTask task, String bearer, String session) throws GatewayException {
        GatewayTarget gw = task.gateway();
        HttpGet get = new HttpGet(resolve(base(gw), task.endpoint().path()));
        if (bearer != null) {
            get.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
        }
        if (session != null) {
            get.setHeader(HttpHeaders.COOKIE, "sessionId=" + session);
        }
        get.setHeader(HttpHeaders.ACCEPT, "application/json, application/xml;q=0.9, */*;q=0.5");
        return execute(get, gw, task, response -> {
            HttpEntity entity = response.getEntity();
            String body = entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8);
            ContentType ct = entity == null ? null : ContentType.parseLenient(entity.getContentType());
            return new Fetched(task, response.getCode(), ct == null ? "" : ct.getMimeType(), body);
        });
    }

    private <T> T execute(HttpGet request, GatewayTarget gw, PollTask task,
            org.apache.hc.core5.http.io.HttpClientResponseHandler<T> handler) throws GatewayException {
        try {
            return client.execute(request, digestContext(gw), handler);
        } catch (SocketTimeoutException e) {
            throw new GatewayException(GatewayException.Reason.TIMEOUT, task + ": no answer in time (" + e.getMessage()
                    + ")");
        } catch (ConnectException | UnknownHostException e) {
            throw new GatewayException(GatewayException.Reason.UNREACHABLE, task + ": unreachable ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        } catch (SSLException e) {
            throw new GatewayException(GatewayException.Reason.TLS, task + ": TLS failed: " + rootMessage(e));
        } catch (IOException e) {
            throw new GatewayException(GatewayException.Reason.UNREACHABLE, task + ": " + e.getClass().getSimpleName()
                    + ": " + e.getMessage());
        }
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
            user = "envoy";
            password = LegacyPasswords.envoyPassword(serial.get());
        }
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(new AuthScope(gw.baseUrl().getHost(), -1),
                new UsernamePasswordCredentials(user, password == null ? new char[0] : password.toCharArray()));
        ctx.setCredentialsProvider(credentials);
        return ctx;
    }

    /** Turns HTTP statuses that are not an answer into errors; everything else goes on to the parser. */
    public Fetched requireAnswer(Fetched f) throws GatewayException {
        if (f.status() == 401 || f.status() == 403) {
            GatewayTarget gw = f.task().gateway();
            String why;
            if (tokens.hasSource(gw.id())) {
                why = "the gateway rejected the token (HTTP " + f.status() + "); renew it or check it belongs to this"
                        + " gateway";
            } else if ("http".equals(gw.baseUrl().getScheme())) {
                why = "the gateway refused access (HTTP " + f.status() + "): legacy firmware wants a digest login ("
                        + (gw.username() != null ? "user " + gw.username() + " was refused"
                                : serials.apply(gw.id()).isPresent() ? "user envoy with the serial's last six digits"
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

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    @PreDestroy
    void close() throws IOException {
        client.close();
    }
}
