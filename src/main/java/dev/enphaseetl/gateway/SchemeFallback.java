package dev.enphaseetl.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Firmware 5 only listens on port 80 and some firmware 8 builds dropped it: when the configured scheme's default port
 * refuses the connection, the other scheme is tried, and used for the gateway for an hour if it answers (then the
 * configured one is tried again). A token never goes over plain HTTP: with a token, only HTTP to HTTPS.
 */
final class SchemeFallback {

    /** The fallback is part of fetching: it logs under the fetcher's category, as it always did. */
    private static final Logger LOG = Logger.getLogger(GatewayFetcher.class);
    private static final Duration KEEP_FOR = Duration.ofHours(1);

    private record Fallback(URI base, long until) {}

    /** The base URL that answered, by gateway id, when it is not the configured one. */
    private final Map<String, Fallback> bases = new ConcurrentHashMap<>();
    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    /** The base URL to use for the gateway now: the configured one, or the other scheme's while it is in use. */
    URI base(GatewayTarget gw) {
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

    /**
     * After {@code failure}, repeats {@code attempt} at the other scheme when the failure was a refused connection
     * and the other scheme may be used; fails with {@code failure} when it may not or does not answer either.
     */
    CompletableFuture<Fetched> retry(PollTask task, boolean withToken, GatewayException failure,
            Supplier<CompletableFuture<Fetched>> attempt) {
        GatewayTarget gw = task.gateway();
        URI current = base(gw);
        Optional<URI> other = alternative(current);
        if (failure.reason() != GatewayException.Reason.UNREACHABLE || !failure.connectionRefused()
                || other.isEmpty() || withToken && !"https".equals(other.get().getScheme())) {
            return CompletableFuture.failedFuture(failure);
        }
        bases.put(gw.id(), new Fallback(other.get(), System.currentTimeMillis() + KEEP_FOR.toMillis()));
        return attempt.get().handle((f, e) -> {
            if (e != null) {
                bases.remove(gw.id());
                throw new java.util.concurrent.CompletionException(failure);
            }
            if (announced.add(gw.id())) {
                LOG.infof("Gateway %s refuses connections on %s but answers on %s: using %s (the configured scheme is"
                        + " tried again every hour)", gw.id(), current.getScheme(), other.get().getScheme(),
                        other.get().getScheme());
            }
            return f;
        });
    }

    /** The same gateway under the other scheme, only where the URL uses the scheme's default port. */
    static Optional<URI> alternative(URI base) {
        if (base.getPort() > 0) {
            return Optional.empty();
        }
        return switch (base.getScheme()) {
            case "https" -> Optional.of(withScheme("http", base));
            case "http" -> Optional.of(withScheme("https", base));
            default -> Optional.empty();
        };
    }

    private static URI withScheme(String scheme, URI base) {
        return URI.create(scheme + "://" + base.getRawAuthority() + Objects.toString(base.getRawPath(), ""));
    }
}
