package dev.enphaseetl.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TokenClaimsTest {

    @Test
    void readsExpiryRoleAndUserWithoutVerifyingTheSignature() throws Exception {
        Instant iat = Instant.parse("2026-01-01T00:00:00Z");
        Instant exp = iat.plusSeconds(12 * 3600);
        String jwt = TestJwts.make("installer", iat, exp, "jane@example.com");
        TokenClaims c = TokenClaims.parse(jwt);
        assertThat(c.expiresAt()).isEqualTo(exp);
        assertThat(c.issuedAt()).contains(iat);
        assertThat(c.role()).isEqualTo(TokenRole.INSTALLER);
        assertThat(c.username()).contains("jane@example.com");
        assertThat(c.serial()).contains("122112123456");
        assertThat(TokenClaims.parse(TestJwts.make("owner", iat, exp, null)).role()).isEqualTo(TokenRole.OWNER);
    }

    @Test
    void somethingElseIsAClearErrorWithoutTheText() {
        String secretish = "not-a-jwt-but-a-password-Sup3rS3cret";
        assertThatThrownBy(() -> TokenClaims.parse(secretish)).isInstanceOf(NotAJwtException.class)
                .hasMessageContaining("not a JWT").hasMessageNotContaining(secretish).hasNoCause();
        String tampered = "eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24tU3VwM3JTM2NyZXQ.c2lnbmF0dXJl";
        assertThatThrownBy(() -> TokenClaims.parse(tampered)).isInstanceOf(NotAJwtException.class)
                .hasMessageNotContaining(tampered).hasMessageNotContaining("bm90LWpzb24");
        assertThatThrownBy(() -> TokenClaims.parse("<html><body>Sign in</body></html>"))
                .hasMessageContaining("HTML");
        assertThatThrownBy(() -> TokenClaims.parse("  ")).hasMessageContaining("empty");
    }

    @Test
    void tokenToStringHidesTheToken() throws Exception {
        String jwt = TestJwts.make("owner", Instant.EPOCH, Instant.EPOCH.plusSeconds(60), "jane@example.com");
        Token t = Token.parse(jwt);
        assertThat(t.toString()).doesNotContain(jwt).doesNotContain(jwt.split("\\.")[1]).contains("owner");
        assertThat(t.sameAs(jwt + "\n")).isTrue();
    }
}
