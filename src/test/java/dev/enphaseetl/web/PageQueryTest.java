package dev.enphaseetl.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The API's parameters and the monthly ledger sums, without a server. */
class PageQueryTest {

    static final Instant NOW = Instant.parse("2024-06-21T12:00:00Z");

    @Test
    void aDayIsItsLocalDayAndARangeDefaultsToTheLast24Hours() {
        PageQuery.Range utc = PageQuery.range("2024-06-21", null, null, ZoneOffset.UTC, NOW);
        assertThat(utc.from()).isEqualTo(Instant.parse("2024-06-21T00:00:00Z").getEpochSecond());
        assertThat(utc.to() - utc.from()).isEqualTo(86_400);
        // the day of the switch to summer time has 23 hours in Berlin
        PageQuery.Range dst = PageQuery.range("2024-03-31", null, null, ZoneId.of("Europe/Berlin"), NOW);
        assertThat(dst.to() - dst.from()).isEqualTo(23 * 3600);
        PageQuery.Range last = PageQuery.range(null, null, null, ZoneOffset.UTC, NOW);
        assertThat(last.to()).isEqualTo(NOW.getEpochSecond());
        assertThat(last.from()).isEqualTo(NOW.getEpochSecond() - 86_400);
        PageQuery.Range mixed = PageQuery.range("", "2024-06-01", "1718928000", ZoneOffset.UTC, NOW);
        assertThat(mixed.from()).isEqualTo(Instant.parse("2024-06-01T00:00:00Z").getEpochSecond());
        assertThat(mixed.to()).isEqualTo(1718928000L);
    }

    @Test
    void theBucketCoversTheRangeInAtMostThePointsAsked() {
        PageQuery.Range year = new PageQuery.Range(0, 365L * 86_400);
        long b = year.bucket(1000);
        assertThat(b).isEqualTo(31_536);
        assertThat((year.to() - year.from() + b - 1) / b).isLessThanOrEqualTo(1000);
        assertThat(new PageQuery.Range(0, 10).bucket(1000)).isEqualTo(1);
        assertThat(PageQuery.points(null)).isEqualTo(1000);
        assertThat(PageQuery.points(" 500 ")).isEqualTo(500);
    }

    @Test
    void badParametersGetOneLineNamingTheParameter() {
        assertThatThrownBy(() -> PageQuery.range("2024-13-01", null, null, ZoneOffset.UTC, NOW))
                .hasMessage("day must be a date like 2024-06-21, not '2024-13-01'");
        assertThatThrownBy(() -> PageQuery.range(null, "yesterday", null, ZoneOffset.UTC, NOW))
                .hasMessageStartingWith("from must be a date (2024-06-21), an instant");
        assertThatThrownBy(() -> PageQuery.range(null, "2024-06-22", "2024-06-21", ZoneOffset.UTC, NOW))
                .hasMessageStartingWith("from must be before to");
        assertThatThrownBy(() -> PageQuery.range(null, "1900-01-01", "2024-06-21", ZoneOffset.UTC, NOW))
                .hasMessageContaining("longer than 20 years");
        for (String p : List.of("0", "1", "10001", "-5", "1e3", "'; DROP TABLE system; --")) {
            assertThatThrownBy(() -> PageQuery.points(p)).as(p).hasMessageStartingWith("points must be a whole number");
        }
        assertThatThrownBy(() -> PageQuery.gateway("x".repeat(65))).hasMessageContaining("at most 64 characters");
        // control characters are not echoed back
        assertThatThrownBy(() -> PageQuery.range("\n\r2024", null, null, ZoneOffset.UTC, NOW))
                .hasMessageNotContaining("\n");
    }

    @Test
    void monthsSumTheirDaysAndComputeSharesFromTheSums() {
        List<Map<String, Object>> days = List.of(day("gw", "2024-06-01", 10.0, 8.0, 5.0, 7.0),
                day("gw", "2024-06-02", 2.0, 12.0, 11.0, 1.0), day("gw", "2024-07-01", 4.0, null, 3.0, 2.0),
                day("other", "2024-06-01", 1.0, 1.0, 0.0, 0.0));
        List<Map<String, Object>> months = LedgerMonths.of(days);
        assertThat(months).hasSize(3);
        Map<String, Object> june = months.get(0);
        assertThat(june).containsEntry("month", "2024-06").containsEntry("days", 2)
                .containsEntry("produced_kwh", 12.0).containsEntry("consumed_kwh", 20.0)
                .containsEntry("imported_kwh", 16.0).containsEntry("exported_kwh", 8.0)
                .containsEntry("incomplete", false)
                // (20 - 16) / 20, not the mean of the days' 37.5 % and 8.33 %
                .containsEntry("self_sufficiency_pct", 20.0).containsEntry("self_consumption_pct", 33.33);
        Map<String, Object> july = months.get(1);
        assertThat(july).containsEntry("month", "2024-07");
        assertThat(months.get(2)).containsEntry("gateway", "other").containsEntry("produced_kwh", 1.0);
        assertThat(july).containsEntry("incomplete", true).containsEntry("consumed_kwh", null)
                .containsEntry("self_sufficiency_pct", null);
        assertThat(LedgerMonths.share(0.0, 0.0)).isNull();
        assertThat(LedgerMonths.share(5.0, 7.0)).as("clamped").isEqualTo(0.0);
    }

    static Map<String, Object> day(String gw, String day, Double produced, Double consumed, Double imported,
            Double exported) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gateway", gw);
        m.put("day", day);
        m.put("produced_kwh", produced);
        m.put("consumed_kwh", consumed);
        m.put("imported_kwh", imported);
        m.put("exported_kwh", exported);
        return m;
    }
}
