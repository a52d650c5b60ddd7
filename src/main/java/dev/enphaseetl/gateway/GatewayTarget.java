package dev.enphaseetl.gateway;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One gateway as the pipeline polls it: a stable {@code id} (for logs, state and the in-flight guard), its base URL,
 * the bearer token if any, and extra tags for every reading.
 *
 * <p>
 * {@link #toString()} never shows the token.
 */
public record GatewayTarget(String id, URI baseUrl, String token, Map<String, String> tags) {

    public GatewayTarget {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(baseUrl, "baseUrl");
        tags = Map.copyOf(tags);
    }

    public boolean hasToken() {
        return token != null && !token.isBlank();
    }

    /** The URL of an endpoint path (which may carry a query) below the base URL. */
    public URI resolve(String pathAndQuery) {
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + pathAndQuery);
    }

    @Override
    public String toString() {
        return "GatewayTarget[" + id + " " + baseUrl + (hasToken() ? " token=***" : "") + "]";
    }
}
