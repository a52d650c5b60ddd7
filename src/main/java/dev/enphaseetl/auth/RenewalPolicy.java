package dev.enphaseetl.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When to renew a token and when to warn about a token that cannot be renewed.
 *
 * @param ownerAhead renew an owner token this long before it expires (default 30 days)
 * @param installerAhead renew an installer token this long before it expires (default 1 hour)
 * @param otherAhead renew a token of unknown role this long before it expires (default 1 hour)
 * @param warnAhead for tokens that cannot be renewed: WARN once when less than each of these is left (default 30, 7
 *        and 1 days)
 */
public record RenewalPolicy(Duration ownerAhead, Duration installerAhead, Duration otherAhead,
        List<Duration> warnAhead) {

    public RenewalPolicy {
        warnAhead = warnAhead.stream().sorted((a, b) -> b.compareTo(a)).toList();
    }

    public static RenewalPolicy defaults() {
        return new RenewalPolicy(Duration.ofDays(30), Duration.ofHours(1), Duration.ofHours(1),
                List.of(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1)));
    }

    /**
     * The time to renew {@code token}: its expiry minus the lead for its role, but never earlier than half-way through
     * its life (so a short-lived token is not renewed right after it was issued).
     */
    public Instant renewAt(Token token) {
        Duration ahead = switch (token.role()) {
            case OWNER -> ownerAhead;
            case INSTALLER -> installerAhead;
            case UNKNOWN -> otherAhead;
        };
        Instant exp = token.expiresAt();
        if (token.claims().issuedAt().isPresent()) {
            Duration half = Duration.between(token.claims().issuedAt().get(), exp).dividedBy(2);
            if (!half.isNegative() && ahead.compareTo(half) > 0) {
                ahead = half;
            }
        }
        return exp.minus(ahead);
    }
}
