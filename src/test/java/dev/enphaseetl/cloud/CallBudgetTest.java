package dev.enphaseetl.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.testing.MutableClock;

/** The plan's limits: a minute window, a month counted on disk across restarts, the import's reserve. */
class CallBudgetTest {

    @TempDir
    Path tmp;

    @Test
    void theMinuteWindowWaitsAndARestartNeitherBurstsNorOverspends() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-31T23:50:00Z"));
        Sleeper sleeper = clock::advance;
        CallBudget b = new CallBudget(tmp, 3, 10, 4, clock, sleeper);
        Instant start = clock.instant();
        for (int i = 0; i < 3; i++) {
            b.acquire(CallBudget.Purpose.IMPORT);
        }
        assertThat(clock.instant()).isEqualTo(start);
        // a restart: a new budget from the same file still sees the three calls of this minute
        CallBudget again = new CallBudget(tmp, 3, 10, 4, clock, sleeper);
        again.acquire(CallBudget.Purpose.IMPORT);
        assertThat(clock.instant()).as("the fourth call waits for the minute").isEqualTo(start.plusSeconds(60));
        again.acquire(CallBudget.Purpose.IMPORT);
        again.acquire(CallBudget.Purpose.IMPORT);
        assertThat(again.usedThisMonth()).isEqualTo(6);
        assertThatThrownBy(() -> new CallBudget(tmp, 3, 10, 4, clock, sleeper).acquire(CallBudget.Purpose.IMPORT))
                .as("the import leaves 4 of 10 for gap filling").isInstanceOf(CloudException.QuotaExhausted.class)
                .hasMessageContaining("resume on 2026-02-01");
        CallBudget fill = new CallBudget(tmp, 3, 10, 4, clock, sleeper);
        for (int i = 0; i < 4; i++) {
            fill.acquire(CallBudget.Purpose.FILL);
        }
        assertThatThrownBy(() -> fill.acquire(CallBudget.Purpose.FILL))
                .isInstanceOf(CloudException.QuotaExhausted.class);
        clock.set(Instant.parse("2026-02-01T00:00:01Z"));
        fill.acquire(CallBudget.Purpose.FILL);
        assertThat(new CallBudget(tmp, 3, 10, 4, clock, sleeper).usedThisMonth()).as("a new month").isEqualTo(1);
    }

    @Test
    void anUnreadableCountIsTakenAsAUsedMonthAndA429HoldsCalls() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-05T10:00:00Z"));
        Files.writeString(tmp.resolve("quota.json"), "{\"month\": \"2026-05\", \"used\": ");
        CallBudget b = new CallBudget(tmp, 10, 1000, 100, clock, clock::advance);
        assertThatThrownBy(() -> b.acquire(CallBudget.Purpose.FILL)).isInstanceOf(CloudException.QuotaExhausted.class);

        Files.delete(tmp.resolve("quota.json"));
        CallBudget c = new CallBudget(tmp, 10, 1000, 100, clock, clock::advance);
        c.holdUntil(clock.instant().plus(Duration.ofMinutes(2)));
        Instant before = clock.instant();
        c.acquire(CallBudget.Purpose.FILL);
        assertThat(clock.instant()).isEqualTo(before.plus(Duration.ofMinutes(2)));
    }
}
