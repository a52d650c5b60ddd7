package dev.enphaseetl.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The status line's gap segment: the gaps waiting for the next round are told only when the cap stopped a round. */
class CloudRoundStatusTest {

    static final long T0 = 1_781_049_600L; // 2026-06-10T00:00:00Z

    @Test
    void gapsWaitingForTheNextRoundAreTold() {
        GapFinder.Report r = new GapFinder.Report(Instant.ofEpochSecond(T0 + 86_400), List.of(new Gap("gw",
                "system", Instant.ofEpochSecond(T0), Instant.ofEpochSecond(T0 + 7200))), Map.of());
        assertThat(CloudRound.statusSegment(r, Optional.of(40), 1000, new GapFiller.Result(5, 1, 64, 20, 3), 20))
                .contains("gaps: gw 1 (longest 120 min); cloud calls this month 40/1000; 3 gaps wait for the next"
                        + " round (at most 20 calls a round)");
        assertThat(CloudRound.statusSegment(r, Optional.of(40), 1000, new GapFiller.Result(5, 5, 64, 12, 0), 20))
                .contains("gaps: gw 1 (longest 120 min); cloud calls this month 40/1000");
        assertThat(CloudRound.statusSegment(r, Optional.empty(), 1000, null, 20))
                .contains("gaps: gw 1 (longest 120 min)");
        assertThat(CloudRound.statusSegment(null, Optional.of(3), 1000, null, 20)).isEmpty();
    }
}
