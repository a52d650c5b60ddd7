package dev.enphaseetl.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.BatchSplitter;

/**
 * A batch of many spool entries as one transaction, on the real PostgreSQL (COPY into a temporary table, then one
 * INSERT ... ON CONFLICT), MariaDB and a SQLite file; and the V7 migration filling the native time columns of rows
 * stored before it.
 */
class JdbcBatchTest {

    static final long T0 = 1_700_000_000L;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb", "sqlite"})
    void aBatchIsOneTransactionAndRepeatedKeysMergeAsSuccessiveUpsertsWould(String vendor) throws Exception {
        TestDatabases.TestDb db = TestDatabases.create(vendor, tmp);
        try (JdbcSink sink = new JdbcSink(db.config())) {
            List<Reading> batch = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                batch.add(Reading.of("system", T0 + i).tag("gateway", "g\t\\1").field("production_w", (double) i)
                        .field("consumption_w", -0.5 * i).build());
            }
            // the same key again later in the batch, with one field only: the other keeps the earlier value
            batch.add(Reading.of("system", T0 + 7).tag("gateway", "g\t\\1").field("production_w", 7e10).build());
            sink.deliver(batch);
            try (Connection c = connect(db.config()); Statement st = c.createStatement()) {
                assertThat(one(st, "SELECT count(*) FROM system")).isEqualTo("3000");
                assertThat(Double.parseDouble(one(st, "SELECT production_w FROM system WHERE time = " + (T0 + 7))))
                        .isEqualTo(7e10);
                assertThat(Double.parseDouble(one(st, "SELECT consumption_w FROM system WHERE time = " + (T0 + 7))))
                        .isEqualTo(-3.5);
                assertThat(one(st, "SELECT gateway FROM system WHERE time = " + T0)).isEqualTo("g\t\\1");
                assertThat(one(st, "SELECT time_utc FROM system WHERE time = " + T0)).isEqualTo("2023-11-14T22:13:20Z");
                assertTs(vendor, st, "SELECT ts FROM system WHERE time = " + T0, T0);
                if (vendor.equals("postgresql")) {
                    // every row written by the same transaction
                    assertThat(one(st, "SELECT count(DISTINCT xmin::text) FROM system")).isEqualTo("1");
                }
            }
        } finally {
            db.drop().run();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb", "sqlite"})
    void aRefusedReadingInABatchOfManyIsTheOnlyOneLeftOver(String vendor) throws Exception {
        TestDatabases.TestDb db = TestDatabases.create(vendor, tmp);
        try (JdbcSink sink = new JdbcSink(db.config())) {
            List<Reading> batch = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                // a tag longer than the column (64) is refused by PostgreSQL and MariaDB (SQLite stores it)
                String gateway = i == 1234 ? "x".repeat(100) : "g";
                batch.add(Reading.of("system", T0 + i).tag("gateway", gateway).field("production_w", 1.0).build());
            }
            if (vendor.equals("sqlite")) {
                sink.deliver(batch);
                return;
            }
            PermanentSinkException refused = (PermanentSinkException) catchRefusal(() -> sink.deliver(batch));
            // nothing of the refused batch was stored: it was one transaction
            try (Connection c = connect(db.config()); Statement st = c.createStatement()) {
                assertThat(one(st, "SELECT count(*) FROM system")).isEqualTo("0");
            }
            List<BatchSplitter.Rejected> rejected = BatchSplitter.isolate(batch, sink::deliver, refused.getMessage());
            assertThat(rejected).hasSize(1);
            assertThat(rejected.get(0).reading().time()).isEqualTo(T0 + 1234);
            try (Connection c = connect(db.config()); Statement st = c.createStatement()) {
                assertThat(one(st, "SELECT count(*) FROM system")).isEqualTo("1999");
            }
        } finally {
            db.drop().run();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb", "sqlite"})
    void migrationSevenFillsTheNativeTimeColumnsOfExistingRows(String vendor) throws Exception {
        TestDatabases.TestDb db = TestDatabases.create(vendor, tmp);
        try {
            JdbcSinkConfig cfg = db.config();
            java.nio.file.Files.createDirectories(tmp.resolve("data"));
            ClassLoader loader = getClass().getClassLoader();
            Flyway.configure(loader).dataSource(cfg.url(), cfg.user(), cfg.password())
                    .locations(SchemaMigrator.LOCATION).resourceProvider(new IndexedMigrations(loader))
                    .javaMigrationClassProvider(List::of).placeholders(cfg.dialect().placeholders()).target("5")
                    .load().migrate();
            try (Connection c = connect(cfg); Statement st = c.createStatement()) {
                st.execute("INSERT INTO inverter (gateway, serial, time, time_utc, watts) VALUES ('g', 's', " + T0
                        + ", '2023-11-14T22:13:20Z', 5)");
                st.execute("INSERT INTO daily_ledger (gateway, day, zone, grid_source, flags) VALUES ('g', "
                        + "'2024-02-29', 'UTC', '', '')");
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
            SchemaMigrator.migrate(cfg);
            try (Connection c = connect(cfg); Statement st = c.createStatement()) {
                assertTs(vendor, st, "SELECT ts FROM inverter WHERE time = " + T0, T0);
                try (ResultSet rs = st.executeQuery("SELECT day_date FROM daily_ledger")) {
                    assertThat(rs.next()).isTrue();
                    Object day = vendor.equals("sqlite") ? rs.getString(1) : rs.getObject(1, LocalDate.class);
                    assertThat(day.toString()).isEqualTo("2024-02-29");
                }
            }
        } finally {
            db.drop().run();
        }
    }

    private static void assertTs(String vendor, Statement st, String sql, long epoch) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            Instant expected = Instant.ofEpochSecond(epoch);
            switch (vendor) {
                case "postgresql" -> assertThat(rs.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(expected);
                case "mariadb" -> assertThat(rs.getObject(1, java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC))
                        .isEqualTo(expected);
                default -> assertThat(rs.getString(1)).isEqualTo(expected.toString());
            }
        }
    }

    private static Throwable catchRefusal(Runnable r) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                caught[0] = e;
                throw e;
            }
        }).isInstanceOf(PermanentSinkException.class);
        return caught[0];
    }

    private static Connection connect(JdbcSinkConfig cfg) throws SQLException {
        cfg.dialect().loadDriver();
        return DriverManager.getConnection(cfg.url(), cfg.user(), cfg.password() == null ? "" : cfg.password());
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
