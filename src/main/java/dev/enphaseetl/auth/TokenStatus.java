package dev.enphaseetl.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * The token state of one gateway for health checks and metrics. Holds no secret.
 *
 * @param gatewayId the gateway
 * @param health {@code UP}, {@code WARN} (expiring soon and cannot be renewed, or renewal failing) or {@code DOWN}
 *        (no token or expired)
 * @param source {@code static}, {@code file} or {@code account}
 * @param sourceDescription e.g. the token file path or the masked account
 * @param role owner, installer or unknown; empty without a token
 * @param expiresAt expiry of the current token
 * @param daysLeft whole days until expiry (negative once expired)
 * @param lastRenewal when the token last changed by renewal
 * @param lastError the last problem, if any
 */
public record TokenStatus(String gatewayId, Health health, String source, String sourceDescription,
        Optional<TokenRole> role, Optional<Instant> expiresAt, Optional<Long> daysLeft, Optional<Instant> lastRenewal,
        Optional<String> lastError) {

    public enum Health {
        UP, WARN, DOWN
    }
}
