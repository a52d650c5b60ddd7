package dev.enphaseetl.auth;

import java.time.Instant;
import java.util.Optional;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * The claims of an Enphase gateway token that this pipeline needs, read WITHOUT verifying the signature (only the
 * gateway can verify it; we only need to know when to renew).
 *
 * @param expiresAt the {@code exp} claim
 * @param issuedAt the {@code iat} claim, if present
 * @param role the {@code enphaseUser} claim
 * @param username the {@code username} claim (an e-mail address), if present
 * @param serial the gateway serial the token was made for ({@code serial} or {@code aud}), if present
 */
public record TokenClaims(Instant expiresAt, Optional<Instant> issuedAt, TokenRole role, Optional<String> username,
        Optional<String> serial) {

    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder()
            .setSkipSignatureVerification()
            .setSkipAllValidators()
            .setDisableRequireSignature()
            .setSkipDefaultAudienceValidation()
            .build();

    /**
     * Reads the claims of {@code jwt}.
     *
     * @throws NotAJwtException if the text is not a JWT or has no expiry; the message never contains the text
     */
    public static TokenClaims parse(String jwt) throws NotAJwtException {
        if (jwt == null || jwt.isBlank()) {
            throw new NotAJwtException("the token is empty");
        }
        String text = jwt.trim();
        if (text.startsWith("<")) {
            throw new NotAJwtException("the text is an HTML or XML page, not a JWT");
        }
        JwtClaims claims;
        try {
            claims = UNVERIFIED.processToClaims(text);
        } catch (InvalidJwtException e) {
            // jose4j's message can quote the token: never pass it on, not even as the cause
            throw new NotAJwtException("the text is not a JWT (" + text.length() + " characters, "
                    + (text.chars().filter(c -> c == '.').count() + 1) + " dot-separated parts)");
        }
        try {
            NumericDate exp = claims.getExpirationTime();
            if (exp == null) {
                throw new NotAJwtException("the JWT has no exp (expiry) claim");
            }
            NumericDate iat = claims.getIssuedAt();
            String user = claims.getClaimValue("username") instanceof String s ? s : null;
            String serial = claims.getClaimValue("serial") instanceof String s ? s : null;
            if (serial == null && claims.getAudience() != null && claims.getAudience().size() == 1) {
                serial = claims.getAudience().get(0);
            }
            Object role = claims.getClaimValue("enphaseUser");
            return new TokenClaims(Instant.ofEpochSecond(exp.getValue()),
                    Optional.ofNullable(iat).map(d -> Instant.ofEpochSecond(d.getValue())),
                    TokenRole.fromClaim(role instanceof String s ? s : null),
                    Optional.ofNullable(user), Optional.ofNullable(serial));
        } catch (MalformedClaimException e) {
            throw new NotAJwtException("the JWT has a malformed claim");
        }
    }
}
