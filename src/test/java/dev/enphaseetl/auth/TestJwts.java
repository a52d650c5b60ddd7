package dev.enphaseetl.auth;

import java.time.Instant;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;

/** Signed test JWTs like Enphase's. */
final class TestJwts {

    private TestJwts() {}

    static String make(String role, Instant iat, Instant exp, String username) {
        JwtClaims c = new JwtClaims();
        c.setIssuedAt(NumericDate.fromSeconds(iat.getEpochSecond()));
        c.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
        c.setClaim("enphaseUser", role);
        if (username != null) {
            c.setClaim("username", username);
        }
        c.setAudience("122112123456");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(new HmacKey("a-test-key-of-at-least-32-bytes!!".getBytes()));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
