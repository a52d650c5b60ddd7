package dev.enphaseetl.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.testing.MutableClock;

class StaticTokenExpiryTest {

    @Test
    void warnsAtThirtySevenAndOneDayOnceThenDown() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
        Instant exp = clock.instant().plus(Duration.ofDays(40));
        String jwt = TestJwts.make("owner", clock.instant().minus(Duration.ofDays(325)), exp, null);
        TokenManager m = new TokenManager(clock, RenewalPolicy.defaults());
        m.register("gw1", new StaticTokenSource(jwt, "enphase.gateways[0].token"));
        assertThat(m.status("gw1").health()).isEqualTo(TokenStatus.Health.UP);
        assertThat(m.status("gw1").daysLeft()).contains(40L);
        assertThat(m.status("gw1").source()).isEqualTo("static");

        try (LogCapture logs = new LogCapture()) {
            Instant end = exp.plus(Duration.ofDays(3));
            while (clock.instant().isBefore(end)) {
                m.tick();
                if (clock.instant().isBefore(exp)) {
                    assertThat(m.current("gw1").sameAs(jwt)).isTrue();
                }
                clock.advance(Duration.ofHours(1));
            }
            List<String> warns = logs.messagesAt(Level.WARNING).stream().filter(s -> s.contains("cannot be renewed"))
                    .toList();
            assertThat(warns).hasSize(3);
            assertThat(warns.get(0)).contains("(30 day(s) left)");
            assertThat(warns.get(1)).contains("(7 day(s) left)");
            assertThat(warns.get(2)).contains("(1 day(s) left)");
            List<String> errors = logs.messagesAt(Level.SEVERE).stream().filter(s -> s.contains("expired at"))
                    .toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).contains(exp.toString()).doesNotContain(jwt);
        }
        TokenStatus st = m.status("gw1");
        assertThat(st.health()).isEqualTo(TokenStatus.Health.DOWN);
        assertThat(st.daysLeft().orElseThrow()).isNegative();
        assertThat(m.healthy()).isFalse();
        assertThat(st.toString()).doesNotContain(jwt);
        assertThatThrownBy(() -> m.current("gw1")).isInstanceOf(TokenUnavailableException.class)
                .hasMessageContaining("expired at " + exp);
    }

    @Test
    void warningStateBeforeExpiry() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
        String jwt = TestJwts.make("owner", clock.instant(), clock.instant().plus(Duration.ofDays(5)), null);
        TokenManager m = new TokenManager(clock, RenewalPolicy.defaults());
        m.register("gw1", new StaticTokenSource(jwt, "env ENPHASE_GATEWAYS_0__TOKEN"));
        m.tick();
        assertThat(m.status("gw1").health()).isEqualTo(TokenStatus.Health.WARN);
        assertThat(m.onRejected("gw1", jwt)).isEmpty();
    }
}
