package dev.enphaseetl.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.model.Schema;

/**
 * Drift guard: every measurement in {@link Schema} must have a table with all its tag, time and field columns and the
 * natural primary key, created by the Flyway migrations. When a measurement or field is added to the schema this test
 * fails and prints the DDL to put into a new migration under src/main/resources/db/migration/common.
 */
class SchemaTablesTest {

    @TempDir
    Path tmp;

    @Test
    void everySchemaMeasurementHasATableWithAllColumnsAndTheNaturalKey() throws Exception {
        JdbcSinkConfig cfg = JdbcSinkConfig.sqlite(tmp);
        new JdbcSink(cfg).migrate();

        List<String> problems = new ArrayList<>();
        cfg.dialect().loadDriver();
        try (Connection c = DriverManager.getConnection(cfg.url())) {
            DatabaseMetaData md = c.getMetaData();
            for (Schema.Measurement m : Schema.all()) {
                SqlTable t = SqlTable.of(m);
                List<String> columns = new ArrayList<>();
                try (ResultSet rs = md.getColumns(null, null, t.name(), null)) {
                    while (rs.next()) {
                        columns.add(rs.getString("COLUMN_NAME"));
                    }
                }
                if (columns.isEmpty()) {
                    problems.add("no table for measurement '" + m.name() + "'; add a migration with:\n"
                            + t.createTableDdl());
                    continue;
                }
                List<String> missing = new ArrayList<>(t.columns());
                missing.removeAll(columns);
                if (!missing.isEmpty()) {
                    problems.add("table '" + m.name() + "' lacks columns " + missing + "; add a migration with "
                            + "ALTER TABLE " + m.name() + " ADD COLUMN <name> DOUBLE PRECISION (fields) for each");
                }
                Map<Integer, String> pk = new TreeMap<>();
                try (ResultSet rs = md.getPrimaryKeys(null, null, t.name())) {
                    while (rs.next()) {
                        pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                    }
                }
                if (!List.copyOf(pk.values()).equals(t.keyColumns())) {
                    problems.add("table '" + m.name() + "' has primary key " + pk.values() + ", expected "
                            + t.keyColumns());
                }
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void migrationIndexListsExactlyTheSqlFilesOfTheFolder() throws Exception {
        Path folder = Path.of("src/main/resources", IndexedMigrations.FOLDER);
        List<String> onDisk;
        try (var files = Files.list(folder)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
        assertThat(IndexedMigrations.readIndex(getClass().getClassLoader())).as(
                "add every migration file to " + IndexedMigrations.INDEX).containsExactlyInAnyOrderElementsOf(onDisk);
    }

    @Test
    void upsertSqlPerDialect() {
        SqlTable t = new SqlTable("m", List.of("gateway"), List.of("v"));
        assertThat(SqlDialect.POSTGRESQL.upsert(t.name(), t.columns(), t.keyColumns(), t.updateColumns(), true))
                .isEqualTo("INSERT INTO m (gateway, time, time_utc, ts, v) VALUES (?, ?, ?, ?, ?) ON CONFLICT (gateway,"
                        + " time) DO UPDATE SET time_utc = COALESCE(excluded.time_utc, m.time_utc), ts = COALESCE("
                        + "excluded.ts, m.ts), v = COALESCE(excluded.v, m.v)");
        assertThat(SqlDialect.MARIADB.upsert(t.name(), t.columns(), t.keyColumns(), t.updateColumns(), false))
                .isEqualTo("INSERT INTO m (gateway, time, time_utc, ts, v) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY"
                        + " UPDATE time_utc = VALUES(time_utc), ts = VALUES(ts), v = VALUES(v)");
        assertThat(SqlDialect.fromUrl("jdbc:sqlite:/x/enphase.db")).isEqualTo(SqlDialect.SQLITE);
        assertThat(SqlDialect.fromUrl("jdbc:mysql://h/db")).isEqualTo(SqlDialect.MARIADB);
    }

    @Test
    void configNeverPrintsThePassword() {
        assertThat(new JdbcSinkConfig("jdbc:postgresql://h/db?password=hunter2", "u", "hunter2").toString())
                .doesNotContain("hunter2");
    }
}
