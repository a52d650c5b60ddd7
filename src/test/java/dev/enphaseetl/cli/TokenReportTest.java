package dev.enphaseetl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.auth.FileTokenSource;
import dev.enphaseetl.auth.RenewalPolicy;
import dev.enphaseetl.auth.StaticTokenSource;
import dev.enphaseetl.auth.TokenManager;
import dev.enphaseetl.delivery.Redactor;

/** {@code enphase-etl token}'s lines: what a token is, never the token unless --show. */
class TokenReportTest {

    static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");

    @TempDir
    Path dir;

    static String jwt(String role, Instant exp) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuedAt(NumericDate.fromSeconds(NOW.getEpochSecond() - 86_400));
        c.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
        c.setClaim("enphaseUser", role);
        c.setClaim("username", "owner@example.com");
        c.setAudience("122112123456");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(new HmacKey("a-test-key-of-at-least-32-bytes!!".getBytes()));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        return jws.getCompactSerialization();
    }

    private record Run(int exit, String out) {}

    private static Run report(TokenManager m, String id, boolean show, String... secrets) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = TokenCommand.report(m, id, show, NOW, new Redactor(secrets),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void ownerTokenWithSerialExpiryAndDaysLeftButNotTheTokenItself() throws Exception {
        String token = jwt("owner", NOW.plus(Duration.ofDays(364)).plusSeconds(60));
        TokenManager m = new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults());
        m.register("roof", new StaticTokenSource(token, "enphase.gateways[0].token"));

        Run plain = report(m, "roof", false, token);
        assertThat(plain.exit()).isZero();
        assertThat(plain.out()).startsWith("gateway roof: owner token for serial 122112123456, expires"
                + " 2027-12-01T00:01:00Z (364 days left), from ").contains("sha256:")
                .doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1))
                .doesNotContain("owner@example.com");
        assertThat(plain.out().lines()).hasSize(1);

        Run shown = report(m, "roof", true, token);
        assertThat(shown.out().lines()).hasSize(2).last().isEqualTo(token);
    }

    @Test
    void anExpiredInstallerTokenFromAFileIsExitOne() throws Exception {
        Path file = Files.writeString(dir.resolve("roof.jwt"), jwt("installer", NOW.minusSeconds(3600)));
        TokenManager m = new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults());
        m.register("roof", new FileTokenSource(file, Clock.systemUTC(), Duration.ofMinutes(1)));
        Run r = report(m, "roof", false);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("installer token", "(EXPIRED)", file.toString());
    }

    @Test
    void aFileThatIsNotATokenSaysSoWithoutQuotingIt() throws Exception {
        String secretish = "<html>login page with session=abc123</html>";
        Path file = Files.writeString(dir.resolve("roof.jwt"), secretish);
        TokenManager m = new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults());
        m.register("roof", new FileTokenSource(file, Clock.systemUTC(), Duration.ofMinutes(1)));
        Run r = report(m, "roof", true);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("gateway roof: no usable token from ").doesNotContain("abc123");
    }

    @Test
    void noTokenConfiguredIsSaidNotFailed() {
        Run r = report(new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults()), "legacy", false);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("gateway legacy: no token configured");
    }
}
