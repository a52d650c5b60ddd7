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

    @Test
    void aFleetWithGapsEverywhereNamesTheTenWorstAndCountsTheRest() {
        // 5,000 gateways with gaps made the status line 137 KB a minute: it names the ten longest gaps, then counts
        List<Gap> gaps = new java.util.ArrayList<>();
        for (int g = 1; g <= 5000; g++) {
            gaps.add(new Gap(String.format("gw%04d", g), "system", Instant.ofEpochSecond(T0),
                    Instant.ofEpochSecond(T0 + 600 + g * 60L)));
        }
        GapFinder.Report r = new GapFinder.Report(Instant.ofEpochSecond(T0 + 7 * 86_400), gaps, Map.of());
        String segment = CloudRound.statusSegment(r, Optional.empty(), 1000, null, 20).orElseThrow();
        assertThat(segment).startsWith("gaps: gw5000 1 (longest 5010 min), gw4999 1 (longest 5009 min)")
                .contains("gw4991 1 (longest 5001 min), and 4990 more gateways with gaps").doesNotContain("gw4990");
        assertThat(segment.length()).isLessThan(400);
    }
}
