package dev.enphaseetl.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;
import dev.enphaseetl.sink.jdbc.TestDatabases;

/** Ledger CSV files (no server) and the daily_ledger table on SQLite, PostgreSQL and MariaDB. */
class LedgerStoresIT {

    @TempDir
    Path tmp;

    static LedgerDay day(String gw, String date, String produced, String flags) {
        return new LedgerDay(gw, LocalDate.parse(date), "Z", new BigDecimal(produced), new BigDecimal("2.5005"), null,
                new BigDecimal("0.07"), new BigDecimal("98.83"), null, "net",
                flags.isEmpty() ? Set.of() : Set.of(flags.split(";")));
    }

    @Test
    void csvUpsertReplacesRowsPerYearFileAtomically() throws Exception {
        LedgerCsvStore store = LedgerCsvStore.inDataDir(tmp);
        store.upsert(List.of(day("g1", "2024-03-10", "6.00075", ""), day("g1", "2024-12-31", "1", "gap"),
                day("g1", "2025-01-01", "2", "reset;gap")));
        store.upsert(List.of(day("g1", "2024-03-10", "7.5", "reset"), day("=g2", "2024-03-10", "3", "")));

        List<LedgerDay> y2024 = store.read(store.file(2024));
        assertThat(y2024).extracting(LedgerDay::gateway, d -> d.day().toString())
                .containsExactly(Tuple.tuple("=g2", "2024-03-10"),
                        Tuple.tuple("g1", "2024-03-10"),
                        Tuple.tuple("g1", "2024-12-31"));
        assertThat(y2024.get(1).producedKwh()).isEqualByComparingTo("7.5");
        assertThat(y2024.get(1).flags()).containsExactly("reset");
        assertThat(y2024.get(1).importedKwh()).isNull();
        assertThat(y2024.get(2)).isEqualTo(day("g1", "2024-12-31", "1", "gap"));
        assertThat(store.read(store.file(2025)).get(0).flags()).containsExactlyInAnyOrder("reset", "gap");
        assertThat(Files.readString(store.file(2024))).startsWith(
                "gateway,day,day_start_utc,day_start_local,zone,produced_kwh,consumed_kwh,imported_kwh,"
                        + "exported_kwh,self_consumption_pct,self_sufficiency_pct,grid_source,flags\r\n")
                .contains("'=g2")
                .contains("g1,2024-03-10,2024-03-10T00:00:00Z,2024-03-10 00:00:00,Z,7.5,");
        try (Stream<Path> files = Files.list(tmp.resolve("ledger"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ledger-2024.csv",
                    "ledger-2025.csv");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void tableUpsertReplacesTheDay(String vendor) throws Exception {
        TestDatabases.TestDb db = TestDatabases.create(vendor, tmp);
        try (JdbcSink sink = new JdbcSink(db.config())) {
            LedgerJdbcStore store = new LedgerJdbcStore(sink);
            store.upsert(List.of(day("g1", "2024-03-10", "6.00075", ""), day("g1", "2024-03-11", "1", "gap")));
            store.upsert(List.of(day("g1", "2024-03-10", "7.5", "reset")));

            JdbcSinkConfig c = db.config();
            c.dialect().loadDriver();
            try (Connection con = DriverManager.getConnection(c.url(), c.user(), c.password());
                    Statement s = con.createStatement();
                    ResultSet rs = s.executeQuery("SELECT day, produced_kwh, imported_kwh, flags, grid_source "
                            + "FROM daily_ledger ORDER BY day")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("2024-03-10");
                assertThat(rs.getDouble(2)).isEqualTo(7.5);
                rs.getDouble(3);
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getString(4)).isEqualTo("reset");
                assertThat(rs.getString(5)).isEqualTo("net");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(4)).isEqualTo("gap");
                assertThat(rs.next()).isFalse();
            }
        } finally {
            db.drop().run();
        }
    }
}
