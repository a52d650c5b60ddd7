package dev.enphaseetl.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.simulator.CloudSimulator;
import dev.enphaseetl.simulator.CloudSimulator.AccountMode;
import dev.enphaseetl.testing.MutableClock;

/** The cloud client verifies certificates normally: a self-signed simulator is refused, nothing is sent. */
class HttpsVerificationTest {

    @Test
    void untrustedCertificateIsRefused() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (CloudSimulator sim = new CloudSimulator(clock, true)
                .account("a@example.com", "pw", AccountMode.NORMAL, "owner").start()) {
            assertThat(sim.loginUrl()).startsWith("https://127.0.0.1:");
            EnlightenClient client = new EnlightenClient(URI.create(sim.loginUrl()), URI.create(sim.tokenUrl()),
                    Duration.ofSeconds(5), Duration.ofSeconds(10));
            assertThatThrownBy(() -> client.login("a@example.com", "pw")).isInstanceOf(EnlightenException.class)
                    .hasMessageContaining("cannot reach 127.0.0.1")
                    .extracting(e -> ((EnlightenException) e).kind()).isEqualTo(EnlightenException.Kind.UNREACHABLE);
            assertThat(sim.loginCalls()).isZero();
        }
    }
}
