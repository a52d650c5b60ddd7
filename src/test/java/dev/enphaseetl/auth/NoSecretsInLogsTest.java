package dev.enphaseetl.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.simulator.CloudSimulator;
import dev.enphaseetl.simulator.CloudSimulator.AccountMode;
import dev.enphaseetl.simulator.CloudSimulator.Failure;
import dev.enphaseetl.testing.MutableClock;

/**
 * Runs login, renewal, rejection and failure flows with every logger at the finest level and checks that no password,
 * session id, cookie, token or full e-mail address reaches a log record, an exception message or a status.
 */
class NoSecretsInLogsTest {

    @TempDir
    Path tmp;

    @Test
    void noSecretAnywhere() throws Exception {
        String email = "secret.person@example.com";
        String password = "pw-Zq8!x7 with spaces & symbols";
        String mfaPassword = "mfa-pw-Kk2";
        List<String> texts = new ArrayList<>();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (LogCapture logs = new LogCapture();
                CloudSimulator sim = new CloudSimulator(clock, false)
                        .account(email, password, AccountMode.NORMAL, "installer")
                        .account("mfa.person@example.com", mfaPassword, AccountMode.MFA, "owner").start()) {
            EnlightenClient client = new EnlightenClient(URI.create(sim.loginUrl()), URI.create(sim.tokenUrl()),
                    Duration.ofSeconds(5), Duration.ofSeconds(20));
            EnlightenAccount acc = new EnlightenAccount(email, password, client, clock, Backoff.defaults(),
                    Duration.ofMinutes(30));
            TokenStore store = new TokenStore(tmp.resolve("tokens"));
            TokenManager m = new TokenManager(clock, RenewalPolicy.defaults());
            m.register("gw1", new AccountTokenSource("122112123456", acc, store));
            m.register("gw2", new AccountTokenSource("122112123457", acc, store));

            for (int i = 0; i < 60; i++) { // 30 h: a few renewals
                m.tick();
                Token t = m.current("gw1");
                texts.add(t.toString());
                clock.advance(Duration.ofMinutes(30));
            }
            Token t2 = m.current("gw2");
            m.onRejected("gw2", t2.value()).ifPresent(t -> texts.add(t.toString()));
            sim.expireSessions();
            clock.advance(Duration.ofMinutes(1));
            m.onRejected("gw1", m.current("gw1").value());

            sim.failTokens(Failure.HTML);
            clock.advance(Duration.ofHours(2));
            try {
                m.onRejected("gw2", m.current("gw2").value());
            } catch (TokenUnavailableException e) {
                texts.add(e.toString());
            }
            sim.failTokens(Failure.NONE);

            EnlightenAccount wrong = new EnlightenAccount(email, password + "-wrong", client, clock,
                    Backoff.defaults(), Duration.ofMinutes(30));
            EnlightenAccount mfa = new EnlightenAccount("mfa.person@example.com", mfaPassword, client, clock,
                    Backoff.defaults(), Duration.ofMinutes(30));
            for (EnlightenAccount a : List.of(wrong, mfa)) {
                for (int i = 0; i < 3; i++) {
                    try {
                        a.requestToken("122112123456");
                    } catch (EnlightenException e) {
                        texts.add(e.toString());
                    }
                    clock.advance(Duration.ofMinutes(5));
                }
                texts.add(a.toString());
            }
            m.statuses().values().forEach(s -> texts.add(s.toString()));
            texts.add(acc.toString());
            texts.add(client.toString());

            List<String> secrets = new ArrayList<>(sim.issuedSecrets());
            secrets.add(password);
            secrets.add(password + "-wrong");
            secrets.add(mfaPassword);
            secrets.add(URLEncoder.encode(password, StandardCharsets.UTF_8));
            secrets.add(email);
            secrets.add("mfa.person@example.com");
            assertThat(secrets).hasSizeGreaterThan(10);
            assertThat(sim.loginCalls()).isGreaterThan(3);

            texts.addAll(logs.texts());
            assertThat(logs.texts()).anyMatch(s -> s.contains("Logged in to Enphase account s***@example.com"));
            assertThat(logs.texts()).anyMatch(s -> s.contains("invalid email or password"));
            for (String text : texts) {
                for (String secret : secrets) {
                    assertThat(text).as("log/message text").doesNotContain(secret);
                }
            }
        }
    }
}
