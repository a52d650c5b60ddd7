package dev.enphaseetl.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Gaps in reading times: before the first reading of a day, between readings, after the last one. */
class GapFinderTest {

    static final long DAY = 1_781_049_600L; // 2026-06-10T00:00:00Z

    @Test
    void gapsLongerThanTheThresholdOnly() {
        GapFinder f = new GapFinder(Duration.ofMinutes(10), ZoneOffset.UTC);
        long[] t = {DAY + 300, DAY + 900, DAY + 1500, DAY + 1500 + 601, DAY + 7200};
        List<Gap> gaps = f.gaps("gw", "system", t, DAY + 7200 + 600);
        assertThat(gaps).extracting(g -> g.start().getEpochSecond() - DAY, g -> g.end().getEpochSecond() - DAY)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1500L, 2101L),
                        org.assertj.core.groups.Tuple.tuple(2101L, 7200L)); // 600 s exactly is no gap
        assertThat(f.gaps("gw", "system", new long[]{DAY + 3600}, DAY + 3600 + 601)).extracting(Gap::start)
                .containsExactly(Instant.ofEpochSecond(DAY), Instant.ofEpochSecond(DAY + 3600));
        assertThat(f.gaps("gw", "system", new long[0], DAY)).isEmpty();
    }
}
