package dev.enphaseetl.gateway;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One gateway as the pipeline polls it: a stable {@code id} (for logs, state and the in-flight guard), its base URL,
 * the bearer token if any, extra tags for every reading, and the pinned SHA-256 of its certificate if any (without one
 * the certificate is trusted on first use), digest credentials for legacy firmware and the serial if configured (the
 * {@code gateway} tag of its readings before /info has answered).
 *
 * <p>
 * {@link #toString()} never shows the token.
 */
public record GatewayTarget(String id, URI baseUrl, String token, Map<String, String> tags, String certificateSha256,
        String username, String password, String serial) {

    public GatewayTarget(String id, URI baseUrl, String token, Map<String, String> tags, String certificateSha256,
            String username, String password) {
        this(id, baseUrl, token, tags, certificateSha256, username, password, null);
    }

    public GatewayTarget(String id, URI baseUrl, String token, Map<String, String> tags) {
        this(id, baseUrl, token, tags, null, null, null);
    }

    public GatewayTarget(String id, URI baseUrl, String token, Map<String, String> tags, String certificateSha256) {
        this(id, baseUrl, token, tags, certificateSha256, null, null);
    }

    public GatewayTarget {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(baseUrl, "baseUrl");
        tags = Map.copyOf(tags);
    }

    public boolean hasToken() {
        return token != null && !token.isBlank();
    }

    /** {@code host:port} as the TLS trust store keys it. */
    public String hostPort() {
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : "http".equals(baseUrl.getScheme()) ? 80 : 443;
        return baseUrl.getHost() + ":" + port;
    }

    /** The URL of an endpoint path (which may carry a query) below the base URL. */
    public URI resolve(String pathAndQuery) {
        return resolve(baseUrl, pathAndQuery);
    }

    /** The URL of an endpoint path (which may carry a query) below {@code base}. */
    public static URI resolve(URI base, String pathAndQuery) {
        String b = base.toString();
        if (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + pathAndQuery);
    }

    @Override
    public String toString() {
        return "GatewayTarget[" + id + " " + baseUrl + (hasToken() ? " token=***" : "") + "]";
    }
}
