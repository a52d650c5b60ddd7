package dev.enphaseetl.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.simulator.CloudSimulator;
import dev.enphaseetl.simulator.CloudSimulator.AccountMode;
import dev.enphaseetl.simulator.CloudSimulator.Failure;
import dev.enphaseetl.testing.MutableClock;

class AccountFlowTest {

    static final String INSTALLER = "jane@example.com";
    static final String INSTALLER_PW = "correct horse battery";
    static final String OWNER = "owner@example.com";
    static final String OWNER_PW = "owner-pw-123";
    static final String MFA = "mfa@example.com";

    MutableClock clock;
    CloudSimulator sim;
    EnlightenClient client;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        sim = new CloudSimulator(clock, false)
                .account(INSTALLER, INSTALLER_PW, AccountMode.NORMAL, "installer")
                .account(OWNER, OWNER_PW, AccountMode.NORMAL, "owner")
                .account(MFA, "mfa-pw", AccountMode.MFA, "owner")
                .start();
        client = new EnlightenClient(URI.create(sim.loginUrl()), URI.create(sim.tokenUrl()), Duration.ofSeconds(5),
                Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    EnlightenAccount account(String email, String pw) {
        return new EnlightenAccount(email, pw, client, clock, Backoff.defaults(), Duration.ofMinutes(30));
    }

    @Test
    void installerTokensAreRenewedAheadForAYear() throws Exception {
        TokenManager m = new TokenManager(clock, RenewalPolicy.defaults());
        m.register("gw1", new AccountTokenSource("122112123456", account(INSTALLER, INSTALLER_PW), null));
        Instant end = clock.instant().plus(Duration.ofDays(365));
        while (clock.instant().isBefore(end)) {
            m.tick();
            Token t = m.current("gw1");
            assertThat(t.isExpiredAt(clock.instant())).as("token at %s", clock.instant()).isFalse();
            assertThat(t.role()).isEqualTo(TokenRole.INSTALLER);
            clock.advance(Duration.ofMinutes(20));
        }
        // 12 h tokens renewed 1 h ahead: one every 11 h
        assertThat(sim.tokenCalls()).isBetween(365 * 24 / 11, 365 * 24 / 11 + 3);
        assertThat(m.status("gw1").health()).isEqualTo(TokenStatus.Health.UP);
        assertThat(m.status("gw1").lastRenewal()).isPresent();
    }

    @Test
    void ownerTokensAreRenewedAMonthAhead() throws Exception {
        TokenManager m = new TokenManager(clock, RenewalPolicy.defaults());
        m.register("gw1", new AccountTokenSource("122112123456", account(OWNER, OWNER_PW), null));
        Instant end = clock.instant().plus(Duration.ofDays(2 * 365));
        while (clock.instant().isBefore(end)) {
            m.tick();
            Token t = m.current("gw1");
            assertThat(t.remainingAt(clock.instant())).isGreaterThan(Duration.ofDays(29));
            clock.advance(Duration.ofHours(6));
        }
        assertThat(sim.tokenCalls()).isEqualTo(3); // first token, renewed after 335 and 670 days
        assertThat(sim.loginCalls()).isEqualTo(3);
    }

    @Test
    void thousandGatewaysRejectingAtOnceCauseOneLogin() throws Exception {
        TokenManager m = new TokenManager(clock, RenewalPolicy.defaults());
        EnlightenAccount acc = account(OWNER, OWNER_PW);
        int n = 1000;
        List<String> old = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            m.register("gw" + i, new AccountTokenSource(String.format("1221%08d", i), acc, null));
            old.add(m.current("gw" + i).value());
        }
        assertThat(sim.loginCalls()).isEqualTo(1);
        clock.advance(Duration.ofHours(1)); // the session is stale now
        int logins = sim.loginCalls();
        int tokens = sim.tokenCalls();

        List<Future<Optional<Token>>> results = rejectAll(m, old, n);
        for (int i = 0; i < n; i++) {
            Token t = results.get(i).get().orElseThrow();
            assertThat(t.sameAs(old.get(i))).isFalse();
        }
        assertThat(sim.loginCalls() - logins).isEqualTo(1);
        assertThat(sim.tokenCalls() - tokens).isEqualTo(n);

        // the same rejections reported late (other endpoints of the same gateways): revalidated, nothing asked
        results = rejectAll(m, old, n);
        for (Future<Optional<Token>> f : results) {
            assertThat(f.get()).isPresent();
        }
        assertThat(sim.loginCalls() - logins).isEqualTo(1);
        assertThat(sim.tokenCalls() - tokens).isEqualTo(n);
    }

    private List<Future<Optional<Token>>> rejectAll(TokenManager m, List<String> old, int n)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Optional<Token>>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String g = "gw" + i;
                String rejected = old.get(i);
                results.add(pool.submit(() -> {
                    gate.await();
                    return m.onRejected(g, rejected);
                }));
            }
            gate.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrongPasswordIsClearAndDoesNotHammerEnphase() {
        TokenManager m = new TokenManager(clock, RenewalPolicy.defaults());
        EnlightenAccount acc = account(INSTALLER, "wrong");
        m.register("gw1", new AccountTokenSource("122112123456", acc, null));
        m.register("gw2", new AccountTokenSource("122112123457", acc, null));
        String firstError = null;
        Instant start = clock.instant();
        int hourStartCalls = 0;
        Instant hourStart = start;
        while (clock.instant().isBefore(start.plus(Duration.ofHours(5)))) {
            for (String g : List.of("gw1", "gw2")) {
                try {
                    m.current(g);
                    fail("a wrong password gave a token");
                } catch (TokenUnavailableException e) {
                    if (firstError == null) {
                        firstError = e.getMessage();
                    }
                    assertThat(e.getMessage()).doesNotContain(INSTALLER).contains("j***@example.com");
                }
                m.onRejected(g, "whatever");
            }
            m.tick();
            clock.advance(Duration.ofSeconds(10));
            if (!clock.instant().isBefore(hourStart.plus(Duration.ofHours(1)))) {
                assertThat(sim.loginCalls() - hourStartCalls).as("logins in the hour from %s", hourStart)
                        .isBetween(0, 6);
                hourStartCalls = sim.loginCalls();
                hourStart = clock.instant();
            }
        }
        assertThat(sim.loginCalls()).isGreaterThanOrEqualTo(5);
        assertThat(firstError)
                .isEqualTo("Enphase login failed for account j***@example.com: invalid email or password");
        assertThat(m.status("gw1").health()).isEqualTo(TokenStatus.Health.DOWN);
        assertThat(m.status("gw1").lastError().orElseThrow()).contains("invalid email or password");
    }

    @Test
    void oneAccountAtMostSixLoginsAnHour() {
        EnlightenAccount acc = account(INSTALLER, "wrong");
        Instant start = clock.instant();
        while (clock.instant().isBefore(start.plus(Duration.ofHours(1)))) {
            assertThatThrownBy(() -> acc.requestToken("122112123456")).isInstanceOf(EnlightenException.class);
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(sim.loginCalls()).isBetween(1, 6);
    }

    @Test
    void htmlWhereATokenWasExpectedIsAClearError() {
        sim.failTokens(Failure.HTML);
        AccountTokenSource s = new AccountTokenSource("122112123456", account(OWNER, OWNER_PW), null);
        assertThatThrownBy(s::current).isInstanceOf(TokenUnavailableException.class)
                .hasMessageContaining("expected a token but got an HTML page")
                .hasMessageContaining("enphase.cloud.token-url");
    }

    @Test
    void htmlWhereJsonWasExpectedIsAClearError() {
        sim.failLogin(Failure.HTML);
        assertThatThrownBy(() -> account(OWNER, OWNER_PW).requestToken("1"))
                .hasMessageContaining("expected JSON but got an HTML page");
    }

    @Test
    void forbiddenAndServerErrorsAreNamed() {
        sim.failLogin(Failure.FORBIDDEN);
        assertThatThrownBy(() -> client.login(OWNER, OWNER_PW)).hasMessageContaining("HTTP 403")
                .extracting(e -> ((EnlightenException) e).kind()).isEqualTo(EnlightenException.Kind.FORBIDDEN);
        sim.failLogin(Failure.SERVER_ERROR);
        assertThatThrownBy(() -> client.login(OWNER, OWNER_PW)).hasMessageContaining("HTTP 503");
    }

    @Test
    void mfaAccountSaysTokensMustBeMadeByHand() {
        assertThatThrownBy(() -> account(MFA, "mfa-pw").requestToken("122112123456"))
                .isInstanceOf(EnlightenException.class)
                .hasMessageContaining("m***@example.com")
                .hasMessageContaining("multi-factor")
                .hasMessageContaining("token file")
                .extracting(e -> ((EnlightenException) e).kind()).isEqualTo(EnlightenException.Kind.MFA_REQUIRED);
    }

    @Test
    void expiredSessionLeadsToOneNewLogin() throws Exception {
        EnlightenAccount acc = account(OWNER, OWNER_PW);
        acc.requestToken("1");
        sim.expireSessions();
        acc.requestToken("1");
        assertThat(sim.loginCalls()).isEqualTo(2);
        assertThat(sim.tokenCalls()).isEqualTo(3);
    }

    @Test
    void renewedTokensArePersistedPrivatelyAndReloadedAtStart() throws Exception {
        TokenStore store = new TokenStore(tmp.resolve("tokens"));
        AccountTokenSource s = new AccountTokenSource("122112123456", account(OWNER, OWNER_PW), store);
        Token t = s.current();
        Path file = store.fileFor("122112123456");
        assertThat(Files.readString(file).trim()).isEqualTo(t.value());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.count()).isEqualTo(1); // no temporary file left
        }

        int logins = sim.loginCalls();
        AccountTokenSource restarted = new AccountTokenSource("122112123456", account(OWNER, OWNER_PW), store);
        assertThat(restarted.current().sameAs(t.value())).isTrue();
        assertThat(sim.loginCalls()).isEqualTo(logins);

        restarted.renew("test");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).trim()).isNotEqualTo(t.value());
    }
}
