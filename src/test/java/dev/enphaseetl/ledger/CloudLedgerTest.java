package dev.enphaseetl.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.model.Reading;

/** The ledger counts cloud energy only where no local counter interval does, and says so in its flags. */
class CloudLedgerTest {

    static final long DAY = 1_710_028_800L; // 2024-03-10T00:00:00Z
    static final long H = 3600;
    static final LocalDate D = LocalDate.of(2024, 3, 10);
    final DailyLedger ledger = new DailyLedger(new LedgerConfig(ZoneOffset.UTC, null));

    static Reading sys(long t, double prod, double cons) {
        return Reading.of("system", t).tag("gateway", "g").field("production_wh_lifetime", prod)
                .field("consumption_wh_lifetime", cons).field("production_w", 5000.0).build();
    }

    static Reading cloud(String kind, long end, double wh) {
        return Reading.of("cloud_interval", end).tag("gateway", "g").tag("source", "cloud").tag("kind", kind)
                .field("energy_wh", wh).field("duration_s", 900.0).build();
    }

    /** Cloud intervals of 100 Wh consumption each, every 15 minutes of {@code fromH..toH}. */
    static List<Reading> cloudConsumption(int fromH, int toH) {
        List<Reading> out = new ArrayList<>();
        for (long e = DAY + fromH * H + 900; e <= DAY + toH * H; e += 900) {
            out.add(cloud("consumption", e, 100));
        }
        return out;
    }

    @Test
    void cloudIntervalsFillOnlyTheSecondsNoLocalCounterCovers() {
        List<Reading> rs = new ArrayList<>();
        // local counters from 02:10 to 24:00: 400 Wh/h consumption
        for (long t = DAY + 2 * H + 600; t <= DAY + 24 * H; t += 600) {
            rs.add(sys(t, 0, (t - DAY) / 9.0));
        }
        rs.addAll(cloudConsumption(0, 4)); // 00:00..04:00 from the cloud: 02:10..04:00 is covered locally
        LedgerDay d = ledger.compute(rs).get(0);
        double local = (24 * H - (2 * H + 600)) / 9.0;
        double cloud = 8 * 100 + 100 * (600 / 900.0); // 00:00..02:00 whole, 10 of the 15 minutes of 02:00..02:15
        assertThat(d.consumedKwh().doubleValue()).isCloseTo((local + cloud) / 1000, org.assertj.core.data.Offset
                .offset(1e-6));
        assertThat(d.flags()).containsExactly("cloud");
    }

    @Test
    void aResetIsCoveredByTheCloudAndBothFlagsAreKept() {
        List<Reading> rs = new ArrayList<>();
        rs.add(sys(DAY, 0, 1000));
        rs.add(sys(DAY + 12 * H, 0, 5800)); // 4800 Wh in 12 h
        rs.add(sys(DAY + 13 * H, 0, 10)); // reset: 12:00..13:00 not counted locally
        rs.add(sys(DAY + 24 * H, 0, 4410)); // 4400 Wh in 11 h
        rs.addAll(cloudConsumption(11, 14));
        LedgerDay d = ledger.compute(rs).stream().filter(x -> x.day().equals(D)).findFirst().orElseThrow();
        assertThat(d.consumedKwh()).isEqualByComparingTo(new BigDecimal("9.6")); // 4800 + 4 x 100 + 4400
        assertThat(d.flags()).containsExactlyInAnyOrder("reset", "cloud");
    }

    @Test
    void cloudDaysStandInForDaysWithoutAnyOtherDataOnly() {
        List<Reading> rs = new ArrayList<>();
        rs.add(Reading.of("cloud_day", DAY - 86_400).tag("gateway", "g").tag("source", "cloud")
                .field("production_wh", 20_000.0).field("consumption_wh", 9_000.0).build());
        rs.add(Reading.of("cloud_day", DAY).tag("gateway", "g").tag("source", "cloud")
                .field("production_wh", 99_999.0).field("consumption_wh", 99_999.0).build());
        rs.add(sys(DAY + H, 1000, 1000));
        rs.add(sys(DAY + 2 * H, 1500, 1200));
        List<LedgerDay> days = ledger.compute(rs);
        LedgerDay before = days.stream().filter(x -> x.day().equals(D.minusDays(1))).findFirst().orElseThrow();
        LedgerDay day = days.stream().filter(x -> x.day().equals(D)).findFirst().orElseThrow();
        assertThat(before.producedKwh()).isEqualByComparingTo("20");
        assertThat(before.consumedKwh()).isEqualByComparingTo("9");
        assertThat(before.flags()).containsExactly("cloud-day");
        assertThat(day.producedKwh()).as("local counters win").isEqualByComparingTo("0.5");
        assertThat(day.flags()).isEmpty();
    }
}
