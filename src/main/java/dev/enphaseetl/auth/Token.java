package dev.enphaseetl.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A gateway bearer token and its claims. {@link #toString()} shows role, expiry and a short SHA-256 fingerprint (to
 * tell tokens apart in logs), never the token.
 */
public final class Token {

    private final String value;
    private final TokenClaims claims;

    private Token(String value, TokenClaims claims) {
        this.value = value;
        this.claims = claims;
    }

    /** Parses a JWT (surrounding white space is dropped). */
    public static Token parse(String jwt) throws NotAJwtException {
        TokenClaims claims = TokenClaims.parse(jwt);
        return new Token(jwt.trim(), claims);
    }

    /** The JWT itself: only for the Authorization header and the token file. */
    public String value() {
        return value;
    }

    public TokenClaims claims() {
        return claims;
    }

    public Instant expiresAt() {
        return claims.expiresAt();
    }

    public TokenRole role() {
        return claims.role();
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(claims.expiresAt());
    }

    public Duration remainingAt(Instant now) {
        return Duration.between(now, claims.expiresAt());
    }

    /** Whether {@code jwt} is this token (constant-time comparison). */
    public boolean sameAs(String jwt) {
        if (jwt == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                jwt.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** The first 8 hex digits of the token's SHA-256: safe for logs. */
    public String fingerprint() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Token t && sameAs(t.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(claims.expiresAt(), claims.role());
    }

    @Override
    public String toString() {
        return "Token[" + claims.role().name().toLowerCase(Locale.ROOT) + ", expires " + claims.expiresAt()
                + ", sha256:" + fingerprint() + "]";
    }
}
