package dev.enphaseetl.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import dev.enphaseetl.config.EnphaseConfig;

/**
 * Who may see the page, its API, {@code /q/health} and {@code /q/metrics}: energy data shows when people are at home.
 * Trusted clients ({@code enphase.web.trusted}, loopback by default) are served; any other client needs
 * {@code enphase.web.password} (basic auth with any user name, or a bearer token), and is refused when none is set.
 * {@code enphase.web.metrics-open} / {@code health-open} open those two to everyone. A Vert.x filter in front of every
 * route of the HTTP server, so nothing added later slips past it. The password is never logged.
 */
@ApplicationScoped
public class WebAccess {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.web");

    /** What to do with a request. */
    public enum Decision {
        ALLOW, ASK_PASSWORD, REFUSE
    }

    private final TrustedClients trusted;
    private final Optional<byte[]> password;
    private final boolean metricsOpen;
    private final boolean healthOpen;

    @Inject
    public WebAccess(EnphaseConfig config) {
        this(TrustedClients.parse(config.web().trusted()), config.web().password().filter(p -> !p.isEmpty()),
                config.web().metricsOpen(), config.web().healthOpen());
    }

    public WebAccess(TrustedClients trusted, Optional<String> password, boolean metricsOpen, boolean healthOpen) {
        this.trusted = trusted;
        this.password = password.map(p -> p.getBytes(StandardCharsets.UTF_8));
        this.metricsOpen = metricsOpen;
        this.healthOpen = healthOpen;
    }

    /** Pure decision for a client address, request path and {@code Authorization} header (may be null). */
    public Decision decide(String clientAddress, String path, String authorization) {
        if (metricsOpen && under(path, "/q/metrics") || healthOpen && under(path, "/q/health")) {
            return Decision.ALLOW;
        }
        if (trusted.contains(clientAddress)) {
            return Decision.ALLOW;
        }
        if (password.isEmpty()) {
            return Decision.REFUSE;
        }
        return presented(authorization).map(p -> MessageDigest.isEqual(p, password.get())).orElse(false)
                ? Decision.ALLOW
                : Decision.ASK_PASSWORD;
    }

    private static boolean under(String path, String prefix) {
        return path != null && (path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    /** The password in a basic (any user name) or bearer {@code Authorization} header. */
    static Optional<byte[]> presented(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String a = authorization.trim();
        if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(a.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        }
        if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(a.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0
                        ? Optional.empty()
                        : Optional.of(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, 1000);
    }

    private void filter(RoutingContext rc) {
        SocketAddress remote = rc.request().remoteAddress();
        String client = remote == null ? null : remote.hostAddress();
        Decision d = decide(client, rc.normalizedPath(), rc.request().getHeader("Authorization"));
        switch (d) {
            case ALLOW -> rc.next();
            case ASK_PASSWORD -> rc.response().setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Basic realm=\"enphase-etl\", charset=\"UTF-8\"")
                    .putHeader("Content-Type", "text/plain; charset=UTF-8")
                    .end("401 password needed: this page shows energy data; use the password set in"
                            + " enphase.web.password\n");
            case REFUSE -> {
                LOG.debugf("refused %s %s from %s (not in enphase.web.trusted, no enphase.web.password set)",
                        rc.request().method(), rc.normalizedPath(), client);
                rc.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=UTF-8")
                        .end("403 only trusted clients may see this (enphase.web.trusted); to open it to the"
                                + " network, set enphase.web.password (docs/page.md)\n");
            }
        }
    }
}
