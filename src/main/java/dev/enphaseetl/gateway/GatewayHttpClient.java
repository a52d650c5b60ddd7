package dev.enphaseetl.gateway;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.Optional;
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
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import dev.enphaseetl.auth.LegacyPasswords;

/**
 * The HTTP client of the gateway polls (Apache HttpClient 5): gateway certificates trusted on first use and pinned
 * (see {@link TrustOnFirstUse}), no hostname check (gateways present self-signed certificates for names nobody uses;
 * the pinned fingerprint is the stronger check), timeouts in seconds, no cookie store (the session cookie is sent
 * explicitly, see {@link GatewaySessions}) and digest credentials for legacy firmware. I/O errors become a
 * {@link GatewayException} naming the poll and the reason, never a secret.
 */
final class GatewayHttpClient implements Closeable {

    private static final int MAX_CONNECTIONS = 256;
    private static final int MAX_CONNECTIONS_PER_GATEWAY = 2;
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(2);
    /** A kept-alive connection the gateway closed meanwhile (it reboots nightly) is retried once, after a second. */
    private static final int RETRIES = 1;
    private static final TimeValue RETRY_AFTER = TimeValue.ofSeconds(1);

    private final CloseableHttpClient client;
    private final Function<String, Optional<String>> serials;

    /**
     * @param serials the serial of a gateway by id, as /info told it (for the default legacy digest password)
     */
    GatewayHttpClient(TrustOnFirstUse trust, Function<String, Optional<String>> serials, Timeout connectTimeout,
            Timeout responseTimeout) {
        this.serials = serials;
        SSLContext ssl;
        try {
            ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[]{trust}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
        this.client = HttpClients.custom()
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

    /** A GET of {@code url}, with the bearer token if there is one. */
    static HttpGet get(URI url, Optional<String> bearer) {
        HttpGet get = new HttpGet(url);
        bearer.ifPresent(b -> get.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + b));
        return get;
    }

    /** Sends {@code request} for {@code task} (whose gateway gives the digest credentials). */
    <T> T execute(HttpUriRequestBase request, PollTask task, HttpClientResponseHandler<T> handler)
            throws GatewayException {
        try {
            return client.execute(request, digestContext(task.gateway()), handler);
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
        client.close();
    }
}
