package dev.enphaseetl.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;

/** Archive (SQLite) -> ledger -> CSV and table, for whole days only. */
class LedgerRecomputeTest {

    @TempDir
    Path data;

    @Test
    void recomputesOnlyTheRequestedDaysFromTheArchive() throws Exception {
        long day = DailyLedgerTest.DAY;
        List<Reading> rs = new ArrayList<>();
        // every 10 minutes from 2024-03-09 12:00 to 2024-03-11 12:00, 6 Wh per interval
        for (long t = day - 12 * 3600, i = 0; t <= day + 36 * 3600; t += 600, i++) {
            rs.add(DailyLedgerTest.sys("g1", t, 6.0 * i, 3.0 * i, 1.0 * i));
        }
        try (JdbcSink sink = new JdbcSink(JdbcSinkConfig.sqlite(data))) {
            sink.deliver(rs);
            LedgerCsvStore csv = LedgerCsvStore.inDataDir(data);
            List<LedgerDay> days = new LedgerRecompute(sink, LedgerConfig.utc(), csv, new LedgerJdbcStore(sink))
                    .recompute(DailyLedgerTest.D, DailyLedgerTest.D);

            assertThat(days).hasSize(1);
            // 144 ten-minute intervals in the day
            assertThat(days.get(0).producedKwh()).isEqualByComparingTo(new BigDecimal("0.864"));
            assertThat(days.get(0).consumedKwh()).isEqualByComparingTo(new BigDecimal("0.432"));
            assertThat(days.get(0).importedKwh()).isEqualByComparingTo(new BigDecimal("0.144"));
            assertThat(days.get(0).exportedKwh()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(days.get(0).selfSufficiencyPct()).isEqualByComparingTo(new BigDecimal("66.67"));
            assertThat(days.get(0).flags()).isEmpty();
            assertThat(csv.read(csv.file(2024))).containsExactlyElementsOf(days);
        }
    }
}
