package dev.enphaseetl.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import dev.enphaseetl.model.Reading;

class DailyLedgerTest {

    static final long DAY = 1_710_028_800L; // 2024-03-10T00:00:00Z
    static final long H = 3600;
    static final LocalDate D = LocalDate.of(2024, 3, 10);

    static Reading sys(String gw, long t, Double prod, Double cons, Double net) {
        return Reading.of("system", t).tag("gateway", gw).field("production_wh_lifetime", prod)
                .field("consumption_wh_lifetime", cons).field("net_wh_lifetime", net).field("production_w", 5000.0)
                .build();
    }

    static Reading meter(String gw, long t, String type, String phase, double delivered, double received) {
        return Reading.of("meter", t).tag("gateway", gw).tag("eid", "7").tag("type", type).tag("phase", phase)
                .field("energy_delivered_wh", delivered).field("energy_received_wh", received).build();
    }

    static BigDecimal bd(String s) {
        return new BigDecimal(s);
    }

    @Test
    void missedPollsLoseNothingAndArithmeticIsExact() {
        List<Reading> rs = List.of(
                sys("g1", DAY + 6 * H, 1000.0, 500.0, 100.0),
                sys("g1", DAY + 7 * H, 1500.5, 900.0, 50.0),
                // polls at 08:00 to 11:00 missed
                sys("g1", DAY + 12 * H, 4000.25, 2000.0, 60.0),
                sys("g1", DAY + 18 * H, 7000.75, 3000.5, 40.0));

        List<LedgerDay> days = new DailyLedger(LedgerConfig.utc()).compute(rs);

        assertThat(days).hasSize(1);
        LedgerDay d = days.get(0);
        assertThat(d.gateway()).isEqualTo("g1");
        assertThat(d.day()).isEqualTo(D);
        assertThat(d.zone()).isEqualTo("Z");
        assertThat(d.producedKwh()).isEqualByComparingTo(bd("6.00075"));
        assertThat(d.consumedKwh()).isEqualByComparingTo(bd("2.5005"));
        assertThat(d.importedKwh()).isEqualByComparingTo(bd("0.01"));
        assertThat(d.exportedKwh()).isEqualByComparingTo(bd("0.07"));
        // (6000.75 - 70) / 6000.75 = 98.8334...%; (2500.5 - 10) / 2500.5 = 99.6001...%
        assertThat(d.selfConsumptionPct()).isEqualByComparingTo(bd("98.83"));
        assertThat(d.selfSufficiencyPct()).isEqualByComparingTo(bd("99.60"));
        assertThat(d.gridSource()).isEqualTo("net");
        assertThat(d.flags()).isEmpty();
    }

    @Test
    void theNetConsumptionMeterTotalIsPreferredForImportAndExport() {
        List<Reading> rs = new ArrayList<>(List.of(
                sys("g1", DAY + 6 * H, 1000.0, 500.0, 100.0),
                sys("g1", DAY + 18 * H, 9000.0, 4500.0, -900.0),
                meter("g1", DAY + 6 * H, "net-consumption", "total", 20_000.0, 30_000.0),
                meter("g1", DAY + 12 * H, "net-consumption", "total", 20_400.0, 33_000.0),
                meter("g1", DAY + 18 * H, "net-consumption", "total", 21_000.0, 35_000.0),
                // ignored: another meter type and a single phase
                meter("g1", DAY + 6 * H, "production", "total", 0.0, 0.0),
                meter("g1", DAY + 18 * H, "production", "total", 99_999.0, 0.0),
                meter("g1", DAY + 6 * H, "net-consumption", "L1", 0.0, 0.0),
                meter("g1", DAY + 18 * H, "net-consumption", "L1", 77_777.0, 0.0)));

        LedgerDay d = new DailyLedger(LedgerConfig.utc()).compute(rs).get(0);

        assertThat(d.gridSource()).isEqualTo("meter");
        assertThat(d.importedKwh()).isEqualByComparingTo(bd("1"));
        assertThat(d.exportedKwh()).isEqualByComparingTo(bd("5"));
        assertThat(d.producedKwh()).isEqualByComparingTo(bd("8"));
        assertThat(d.consumedKwh()).isEqualByComparingTo(bd("4"));
        assertThat(d.selfConsumptionPct()).isEqualByComparingTo(bd("37.50")); // (8 - 5) / 8
        assertThat(d.selfSufficiencyPct()).isEqualByComparingTo(bd("75.00")); // (4 - 1) / 4
    }

    @Test
    void aCounterResetStartsANewSegmentAndFlagsTheDay() {
        List<Reading> rs = List.of(
                sys("g1", DAY + 6 * H, 1000.0, 500.0, 0.0),
                sys("g1", DAY + 7 * H, 2000.0, 600.0, 10.0),
                sys("g1", DAY + 8 * H, 50.0, 5.0, -999_999.0), // gateway reset: all counters restart
                sys("g1", DAY + 9 * H, 150.0, 25.0, -1_000_009.0));

        LedgerDay d = new DailyLedger(LedgerConfig.utc()).compute(rs).get(0);

        assertThat(d.producedKwh()).isEqualByComparingTo(bd("1.1"));
        assertThat(d.consumedKwh()).isEqualByComparingTo(bd("0.12"));
        assertThat(d.importedKwh()).isEqualByComparingTo(bd("0.01"));
        assertThat(d.exportedKwh()).as("the net jump at the reset is not an export").isEqualByComparingTo(bd("0.01"));
        assertThat(d.flags()).containsExactly("reset");
        assertThat(d.producedKwh()).isPositive();
    }

    @Test
    void intervalsAcrossMidnightAreSplitByTimeAndLongGapsAreLeftOut() {
        List<Reading> rs = List.of(
                sys("g1", DAY - H, 0.0, 0.0, 0.0), // 2024-03-09 23:00
                sys("g1", DAY - H / 2, 10.0, 10.0, 0.0), // 23:30
                sys("g1", DAY + H / 2, 110.0, 110.0, 0.0), // 00:30 next day: 100 split 50/50
                sys("g1", DAY + H, 130.0, 130.0, 0.0), // 01:00
                sys("g1", DAY + 20 * H, 330.0, 330.0, 0.0), // 20:00 (same day: counted)
                sys("g1", DAY + 24 * H, 340.0, 340.0, 0.0), // 00:00 of 03-11 exactly: belongs to 03-10
                sys("g1", DAY + 32 * H, 1340.0, 1340.0, 0.0)); // 08:00 of 03-11 from 00:00: same day

        List<LedgerDay> days = new DailyLedger(LedgerConfig.utc()).compute(rs);

        assertThat(days).extracting(LedgerDay::day).containsExactly(D.minusDays(1), D, D.plusDays(1));
        assertThat(days.get(0).producedKwh()).isEqualByComparingTo(bd("0.06"));
        assertThat(days.get(1).producedKwh()).isEqualByComparingTo(bd("0.28"));
        assertThat(days.get(2).producedKwh()).isEqualByComparingTo(bd("1"));
        assertThat(days).allSatisfy(d -> assertThat(d.flags()).isEmpty());

        List<Reading> gap = List.of(sys("g2", DAY - 4 * H, 0.0, 0.0, 0.0), sys("g2", DAY - 3 * H, 5.0, 5.0, 0.0),
                sys("g2", DAY + 8 * H, 5000.0, 5000.0, 0.0), sys("g2", DAY + 9 * H, 5007.0, 5007.0, 0.0));
        List<LedgerDay> g = new DailyLedger(new LedgerConfig(null, Duration.ofHours(2))).compute(gap);
        assertThat(g).extracting(LedgerDay::producedKwh).containsExactly(bd("0.005000"), bd("0.007000"));
        assertThat(g).allSatisfy(d -> assertThat(d.flags()).containsExactly("gap"));
    }

    @Test
    void localDaysFollowTheConfiguredZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin"); // UTC+1 in March before DST
        List<Reading> rs = List.of(sys("g1", DAY - 2 * H, 0.0, 0.0, 0.0), sys("g1", DAY - 90 * 60, 10.0, 0.0, 0.0),
                sys("g1", DAY - 30 * 60, 30.0, 0.0, 0.0));

        List<LedgerDay> days = new DailyLedger(new LedgerConfig(berlin, null)).compute(rs);

        assertThat(days).extracting(LedgerDay::day).containsExactly(D.minusDays(1), D);
        // 22:00Z-22:30Z is 23:00-23:30 local (10 Wh); 22:30Z-23:30Z crosses local midnight at 23:00Z (20 Wh, 10/10)
        assertThat(days.get(0).producedKwh()).isEqualByComparingTo(bd("0.02"));
        assertThat(days.get(1).producedKwh()).isEqualByComparingTo(bd("0.01"));
        assertThat(days.get(1).zone()).isEqualTo("Europe/Berlin");
        assertThat(days.get(1).selfConsumptionPct()).as("flat net counter: nothing exported")
                .isEqualByComparingTo(bd("100"));
    }

    @Test
    void gatewaysAreSeparate() {
        List<Reading> rs = List.of(sys("a", DAY + H, 0.0, 0.0, 0.0), sys("b", DAY + H, 500.0, 0.0, 0.0),
                sys("a", DAY + 2 * H, 10.0, 0.0, 0.0), sys("b", DAY + 2 * H, 520.0, 0.0, 0.0));
        assertThat(new DailyLedger(LedgerConfig.utc()).compute(rs))
                .extracting(LedgerDay::gateway, LedgerDay::producedKwh)
                .containsExactly(Tuple.tuple("a", bd("0.010000")),
                        Tuple.tuple("b", bd("0.020000")));
    }
}
