package dev.enphaseetl.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.history.Gap;
import dev.enphaseetl.history.GapFiller;
import dev.enphaseetl.history.GapFinder;

/**
 * The {@code archive_gaps} part of {@code /api/pipeline}: no look yet, nothing found, and gaps per gateway (counted,
 * longest, missing days, the newest listed only, newest first), with the cloud calls only when an account is
 * configured. Checked on the JSON the page receives.
 */
class ArchiveGapsViewTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long T0 = 1_781_049_600L; // 2026-06-10T00:00:00Z

    static JsonNode json(Map<String, Object> m) {
        return JSON.valueToTree(m);
    }

    @Test
    void noReportYetAndNothingFoundAreSaidApart() {
        JsonNode none = json(PipelineView.archiveGaps(Optional.empty(), Optional.empty(), 1000, Optional.empty(), 10));
        assertThat(none.path("state").asText()).isEqualTo("no-report");
        assertThat(none.path("cloud").isNull()).as("no account: no calls shown").isTrue();
        assertThat(none.path("gateways")).isEmpty();

        GapFinder.Report clean = new GapFinder.Report(Instant.ofEpochSecond(T0), List.of(), Map.of());
        JsonNode found = json(PipelineView.archiveGaps(Optional.of(clean), Optional.of(12), 1000,
                Optional.of(new GapFiller.Result(0, 0, 0, 0, 0)), 10));
        assertThat(found.path("state").asText()).isEqualTo("none");
        assertThat(found.path("checked_at").asLong()).isEqualTo(T0);
        assertThat(found.path("cloud").path("calls_month").asInt()).isEqualTo(12);
        assertThat(found.path("cloud").path("limit_month").asInt()).isEqualTo(1000);
        assertThat(found.path("cloud").path("gaps_waiting").asInt()).isZero();
    }

    @Test
    void gapsPerGatewayWithTheNewestListedAndMissingDays() {
        List<Gap> gaps = new ArrayList<>();
        for (int i = 0; i < 15; i++) { // gateway A: 15 gaps of 20 min, one of them 3 h
            long s = T0 + i * 7200L;
            gaps.add(new Gap("A", "system", Instant.ofEpochSecond(s), Instant.ofEpochSecond(s + (i == 3
                    ? 10_800
                    : 1200))));
        }
        gaps.add(new Gap("A", "meter", Instant.ofEpochSecond(T0 + 100), Instant.ofEpochSecond(T0 + 1000)));
        GapFinder.Report r = new GapFinder.Report(Instant.ofEpochSecond(T0 + 86_400), gaps,
                Map.of("B", List.of(LocalDate.of(2026, 6, 8), LocalDate.of(2026, 6, 9))));
        JsonNode j = json(PipelineView.archiveGaps(Optional.of(r), Optional.of(40), 1000,
                Optional.of(new GapFiller.Result(16, 3, 96, 20, 7)), 10));
        assertThat(j.path("state").asText()).isEqualTo("gaps");
        assertThat(j.path("cloud").path("gaps_waiting").asInt()).isEqualTo(7);
        JsonNode a = j.path("gateways").get(0);
        assertThat(a.path("gateway").asText()).isEqualTo("A");
        assertThat(a.path("gaps").asInt()).as("all counted").isEqualTo(16);
        assertThat(a.path("longest_s").asLong()).isEqualTo(10_800);
        assertThat(a.path("missing_days")).isEmpty();
        assertThat(a.path("items")).as("bounded to the newest 10").hasSize(10);
        assertThat(a.path("items").get(0).path("start").asLong()).as("newest first").isEqualTo(T0 + 14 * 7200L);
        assertThat(a.path("items").get(0).path("length_s").asLong()).isEqualTo(1200);
        assertThat(a.path("items").get(0).path("measurement").asText()).isEqualTo("system");
        JsonNode b = j.path("gateways").get(1);
        assertThat(b.path("gateway").asText()).as("a gateway with missing days only is listed too").isEqualTo("B");
        assertThat(b.path("gaps").asInt()).isZero();
        assertThat(b.path("missing_days").toString()).isEqualTo("[\"2026-06-08\",\"2026-06-09\"]");
    }
}
