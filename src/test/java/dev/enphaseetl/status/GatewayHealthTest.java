package dev.enphaseetl.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.health.GatewayActivity;
import dev.enphaseetl.testing.MutableClock;

/**
 * Health tells the truth about gateways that answer but give nothing: HTML on every path, only refusals, no completed
 * poll, a poll stuck; a gateway with readings is not reported.
 */
class GatewayHealthTest {

    static final Duration STALE = Duration.ofMinutes(10);
    static final Duration STUCK = GatewayHealth.stuckAfter(Duration.ofSeconds(60));
    final MutableClock clock = new MutableClock(Instant.parse("2026-06-21T12:00:00Z"));
    final GatewayActivity activity = new GatewayActivity(clock);

    Optional<String> problem(String gw) {
        return GatewayHealth.problem(activity.of(gw).orElseThrow(), clock.instant(), STALE, STUCK);
    }

    /** One poll a minute with the given outcome. */
    void poll(String gw, Runnable outcome) {
        activity.due(gw, false);
        activity.started(gw, "production-json");
        clock.advance(Duration.ofSeconds(1));
        outcome.run();
        activity.finished(gw);
        clock.advance(Duration.ofSeconds(59));
    }

    @Test
    void aGatewayAnsweringHtmlOnEveryPathIsAProblemOnceStaleThoughEveryPollCompletes() {
        for (int i = 0; i < 9; i++) {
            poll("html", () -> activity.answered("html", 0, Optional.empty(), "answers without data: HTML page"));
        }
        assertThat(problem("html")).as("within stale-after").isEmpty();
        for (int i = 0; i < 3; i++) {
            poll("html", () -> activity.answered("html", 0, Optional.empty(), "answers without data: HTML page"));
        }
        assertThat(problem("html")).hasValueSatisfying(p -> assertThat(p).contains("no reading since start")
                .contains("answers without data: HTML page"));
    }

    @Test
    void onlyRefusalsAreAProblemNamingTheRefusal() {
        for (int i = 0; i < 12; i++) {
            poll("auth", () -> activity.failed("auth", "auth: the gateway rejected the token (HTTP 401)", true));
        }
        assertThat(problem("auth")).hasValueSatisfying(p -> assertThat(p).contains("HTTP 401"));
        assertThat(activity.everAnswered("auth")).isTrue();
    }

    @Test
    void aGatewayWithReadingsIsFineAndOneWhoseReadingsStopIsNamedWithTheLastReason() {
        for (int i = 0; i < 12; i++) {
            poll("good", () -> activity.answered("good", 12, Optional.of(clock.instant()), null));
        }
        assertThat(problem("good")).isEmpty();
        assertThat(activity.of("good").orElseThrow().newestReading()).isPresent();
        for (int i = 0; i < 11; i++) {
            poll("good", () -> activity.failed("good", "too large: the answer is larger than 4194304 bytes", true));
        }
        assertThat(problem("good")).hasValueSatisfying(p -> assertThat(p).startsWith("no reading for 719 s")
                .contains("too large"));
    }

    @Test
    void noCompletedPollAndAStuckPollAreProblems() {
        poll("quiet", () -> activity.answered("quiet", 3, Optional.of(clock.instant()), null));
        clock.advance(STALE.plusSeconds(1));
        assertThat(problem("quiet")).hasValueSatisfying(p -> assertThat(p).contains("no poll completed for"));

        activity.due("stuck", false);
        activity.started("stuck", "ivp-meters-readings");
        clock.advance(STUCK.minusSeconds(1));
        assertThat(problem("stuck")).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(problem("stuck")).hasValueSatisfying(p -> assertThat(p).contains(
                "poll of ivp-meters-readings stuck"));
    }

    @Test
    void aGatewayWhoseHostNeverResolvedNeverAnswered() {
        activity.failed("typo", "unreachable: UnknownHostException", false);
        assertThat(activity.everAnswered("typo")).isFalse();
        activity.failed("typo", "auth: HTTP 401", true);
        assertThat(activity.everAnswered("typo")).isTrue();
    }
}
