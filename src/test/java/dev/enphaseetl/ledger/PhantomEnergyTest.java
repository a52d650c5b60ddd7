package dev.enphaseetl.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.model.Reading;

/**
 * No phantom energy: what other tools show as a day of megawatt-hours after a power cut, a counter reset or a silent
 * change of the production source is detected, flagged and never counted.
 */
class PhantomEnergyTest {

    static final long DAY = 1_710_028_800L; // 2024-03-10T00:00:00Z
    static final long M5 = 300;
    static final LocalDate D = LocalDate.of(2024, 3, 10);

    static Reading prod(String gw, long t, double whLifetime, double w, Integer source) {
        Reading.Builder b = Reading.of("system", t).tag("gateway", gw).field("production_wh_lifetime", whLifetime)
                .field("production_w", w);
        if (source != null) {
            b.field("production_source", source.doubleValue());
        }
        return b.build();
    }

    static LedgerDay only(List<LedgerDay> days, String gw) {
        List<LedgerDay> of = days.stream().filter(d -> d.gateway().equals(gw)).toList();
        assertThat(of).hasSize(1);
        return of.get(0);
    }

    @Test
    void aCounterResetToZeroIsFlaggedAndTheRestoredCounterIsNoEnergy() {
        long t = DAY + 10 * 3600;
        List<Reading> rs = List.of(
                prod("g", t, 1_000_000, 3000, 1),
                prod("g", t + M5, 1_000_250, 3000, 1),
                // power cut: the gateway comes back reporting zero, then its counter again
                prod("g", t + 2 * M5, 0, 0, 1),
                prod("g", t + 3 * M5, 1_000_500, 3000, 1),
                prod("g", t + 4 * M5, 1_000_750, 3000, 1),
                // a real reset (gateway restored): the counter starts from zero and grows
                prod("g", t + 5 * M5, 0, 3000, 1),
                prod("g", t + 6 * M5, 250, 3000, 1));

        LedgerDay d = only(new DailyLedger(LedgerConfig.utc()).compute(rs), "g");

        // counted: 250 (before the cut) + 250 (after it) + 250 (after the reset); never the 1,000,500 Wh back from 0
        assertThat(d.producedKwh()).isEqualByComparingTo(new BigDecimal("0.75"));
        assertThat(d.flags()).contains("reset", "jump");
    }

    @Test
    void aSwitchFromTheProductionCtToTheInvertersAndBackIsNoEnergy() {
        long t = DAY + 9 * 3600;
        // the inverters' counter lags the CT's by 100 Wh: a difference well within what the system can produce in
        // five minutes, so only the source tells the switch apart from energy
        List<Reading> rs = List.of(
                prod("g", t, 5_000_000, 3000, 1),
                prod("g", t + M5, 5_000_200, 3000, 1),
                prod("g", t + 2 * M5, 5_000_150, 3000, 3),
                prod("g", t + 3 * M5, 5_000_350, 3000, 3),
                prod("g", t + 4 * M5, 5_000_700, 3000, 1),
                prod("g", t + 5 * M5, 5_000_900, 3000, 1));

        LedgerDay d = only(new DailyLedger(LedgerConfig.utc()).compute(rs), "g");

        assertThat(d.producedKwh()).isEqualByComparingTo(new BigDecimal("0.6")); // 200 + 200 + 200
        assertThat(d.flags()).containsExactly("source-switch");
    }

    @Test
    void aGatewayReplacedByOneWithANewSerialKeepsItsOwnCounters() {
        long t = DAY + 11 * 3600;
        // the same configured name, a new serial: the gateway tag is the serial, so the counters never mix
        List<Reading> rs = List.of(
                prod("122300000001", t, 7_000_000, 3000, 1),
                prod("122300000001", t + M5, 7_000_200, 3000, 1),
                prod("122399999999", t + 2 * M5, 1_000, 3000, 1),
                prod("122399999999", t + 3 * M5, 1_250, 3000, 1));

        List<LedgerDay> days = new DailyLedger(LedgerConfig.utc()).compute(rs);

        assertThat(only(days, "122300000001").producedKwh()).isEqualByComparingTo(new BigDecimal("0.2"));
        assertThat(only(days, "122399999999").producedKwh()).isEqualByComparingTo(new BigDecimal("0.25"));
        assertThat(days).allMatch(d -> d.flags().isEmpty());
        // the same readings under one name (the gateway tag a configured name used to give) would mix two counters:
        // the drop is a reset and never energy, whatever the tag
        List<Reading> mixed = rs.stream().map(r -> Reading.of("system", r.time()).tag("gateway", "roof")
                .field("production_wh_lifetime", r.field("production_wh_lifetime"))
                .field("production_w", r.field("production_w")).build()).toList();
        LedgerDay m = only(new DailyLedger(LedgerConfig.utc()).compute(mixed), "roof");
        assertThat(m.producedKwh()).isEqualByComparingTo(new BigDecimal("0.45"));
        assertThat(m.flags()).containsExactly("reset");
    }

    @Test
    void anImplausibleJumpIsFlaggedWhileSlowCountersAndMissedPollsStillCount() {
        long t = DAY + 8 * 3600;
        List<Reading> rs = new ArrayList<>(List.of(
                prod("g", t, 2_000_000, 3600, 1),
                prod("g", t + M5, 2_000_300, 3600, 1),
                // more than twice 3600 W over 5 minutes (+ 15 minutes of slack): 50 kWh cannot be produced
                prod("g", t + 2 * M5, 2_050_300, 3600, 1),
                prod("g", t + 3 * M5, 2_050_600, 3600, 1),
                // a counter that moves only every 15 minutes: flat, then three intervals' worth at once
                prod("g", t + 4 * M5, 2_050_600, 3600, 1),
                prod("g", t + 5 * M5, 2_050_600, 3600, 1),
                prod("g", t + 6 * M5, 2_051_500, 3600, 1),
                // two hours of missed polls at up to 3600 W
                prod("g", t + 6 * M5 + 7200, 2_058_000, 3600, 1)));

        LedgerDay d = only(new DailyLedger(LedgerConfig.utc()).compute(rs), "g");

        // 300 + 300 + 900 + 6500; the 50,000 Wh jump is left out
        assertThat(d.producedKwh()).isEqualByComparingTo(new BigDecimal("8.0"));
        assertThat(d.flags()).containsExactly("jump");
        // the bound documented on CounterIntervals: twice the largest power over the interval plus 15 minutes
        assertThat(CounterIntervals.bound(new BigDecimal("3600"), M5)).isEqualByComparingTo(new BigDecimal("2400"));
    }
}
