package dev.enphaseetl.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The status line stays one readable line for one gateway and for a fleet of thousands. */
class StatusLineTest {

    private static StatusLine.GatewayLine fine(String id, long ageSeconds) {
        return new StatusLine.GatewayLine(id, Optional.empty(), Optional.of(Duration.ofSeconds(ageSeconds)));
    }

    @Test
    void aFewGatewaysAreEachNamedWithTheAgeOfTheirNewestReading() {
        List<StatusLine.GatewayLine> all = List.of(fine("g1", 4),
                new StatusLine.GatewayLine("g2", Optional.of("no reading for 640 s"), Optional.empty()));

        assertThat(StatusLine.gatewaysSegment(1, all)).isEqualTo("gateways OK 1/2 (g2: no reading for 640 s)");
        assertThat(StatusLine.agesSegment(all)).isEqualTo("newest reading age g1 4s, g2 none");
    }

    @Test
    void aFleetOfFiveThousandGivesABoundedLineThatStillNamesTheWorst() {
        List<StatusLine.GatewayLine> all = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            all.add(i < 40
                    ? new StatusLine.GatewayLine("g" + i, Optional.of("timeout"), Optional.empty())
                    : fine("g" + i, i == 4999 ? 900 : 30 + i % 20));
        }

        String gateways = StatusLine.gatewaysSegment(4960, all);
        String ages = StatusLine.agesSegment(all);

        assertThat(gateways).startsWith("gateways OK 4960/5000 (g0: timeout; g1: timeout;")
                .endsWith("g9: timeout; and 30 more)").doesNotContain("g10:");
        assertThat(ages).startsWith("newest reading age median ").contains("oldest g4999 900s, ")
                .endsWith("none yet 40 (g0, g1, g2, ...)");
        assertThat(gateways.length() + ages.length()).as("characters for 5,000 gateways").isLessThan(400);
    }
}
