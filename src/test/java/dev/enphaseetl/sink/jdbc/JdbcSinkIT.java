package dev.enphaseetl.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.model.Schema;
import dev.enphaseetl.sink.TestReadings;

/** Against real PostgreSQL and MariaDB (see .ci/services.sh) and a SQLite file. */
class JdbcSinkIT {

    @TempDir
    Path tmp;

    private TestDatabases.TestDb db;
    private JdbcSink sink;

    @AfterEach
    void tearDown() {
        if (sink != null) {
            sink.close();
        }
        if (db != null) {
            db.drop().run();
        }
    }

    private void open(String vendor) throws Exception {
        db = TestDatabases.create(vendor, tmp);
        sink = new JdbcSink(db.config());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void deliversExactValuesAndRedeliveryDoesNotDuplicate(String vendor) throws Exception {
        open(vendor);
        List<Reading> batch = TestReadings.batch(TestReadings.T0, 5);

        sink.deliver(batch);
        Map<String, Long> counts = counts();
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(batch.size());
        for (Reading r : batch) {
            assertThat(fetch(r)).as(r.toString()).isEqualTo(r.fields());
        }

        sink.deliver(batch);
        assertThat(counts()).isEqualTo(counts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void readBackReturnsTheDeliveredReadings(String vendor) throws Exception {
        open(vendor);
        List<Reading> batch = TestReadings.batch(TestReadings.T0, 4);
        sink.deliver(batch);

        for (String m : List.of("system", "system_phase", "inverter", "meter")) {
            List<Reading> expected = batch.stream().filter(r -> r.measurement().equals(m)).toList();
            assertThat(sink.read(m, TestReadings.T0, TestReadings.T0 + 4 * 60)).as(m)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(sink.read("system", TestReadings.T0 + 60, TestReadings.T0 + 120)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void reconnectsAfterTheServerDroppedTheConnection(String vendor) throws Exception {
        open(vendor);
        sink.deliver(TestReadings.batch(TestReadings.T0, 1));
        String kill = vendor.equals("postgresql")
                ? "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND pid <> pg_backend_pid()"
                : null;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            if (kill != null) {
                s.execute(kill);
            } else {
                try (ResultSet rs = s.executeQuery("SELECT id FROM information_schema.processlist WHERE db = DATABASE()"
                        + " AND id <> CONNECTION_ID()")) {
                    List<Long> ids = new ArrayList<>();
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                    assertThat(ids).isNotEmpty();
                    for (long id : ids) {
                        s.execute("KILL " + id);
                    }
                }
            }
        }
        sink.deliver(TestReadings.batch(TestReadings.T0 + 3600, 1));
        assertThat(counts().get("system")).isEqualTo(2L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void upsertUpdatesValuesAndAbsentFieldsKeepTheirValue(String vendor) throws Exception {
        open(vendor);
        Reading first = Reading.of("system", TestReadings.T0).tag("gateway", "g1").field("production_w", 10.5)
                .field("net_w", -3.25).build();
        Reading second = Reading.of("system", TestReadings.T0).tag("gateway", "g1").field("production_w", 11.75)
                .build();
        sink.deliver(List.of(first));
        sink.deliver(List.of(second));

        assertThat(fetch(second)).isEqualTo(Map.of("production_w", 11.75, "net_w", -3.25));
        assertThat(counts().get("system")).isEqualTo(1L);
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT time_utc FROM system")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("2023-11-14T22:13:20Z");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void unknownMeasurementIsPermanentAndWritesNothing(String vendor) throws Exception {
        open(vendor);
        List<Reading> batch = List.of(TestReadings.batch(TestReadings.T0, 1).get(0),
                Reading.of("no_such_measurement", TestReadings.T0).field("x", 1.0).build());
        assertThatThrownBy(() -> sink.deliver(batch)).isInstanceOf(PermanentSinkException.class)
                .hasMessageContaining("no_such_measurement");
        sink.migrate();
        assertThat(counts().values()).containsOnly(0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void unreachableServerIsTransientWithoutSecret(String vendor) throws Exception {
        String url = vendor.equals("postgresql")
                ? "jdbc:postgresql://127.0.0.1:9/x?connectTimeout=2"
                : "jdbc:mariadb://127.0.0.1:9/x?connectTimeout=2000";
        try (JdbcSink down = new JdbcSink(new JdbcSinkConfig(url, "u", "top-secret-pw"))) {
            assertThatThrownBy(() -> down.deliver(TestReadings.batch(TestReadings.T0, 1)))
                    .isInstanceOf(TransientSinkException.class).hasMessageNotContaining("top-secret-pw");
        }
    }

    private Connection connect() throws Exception {
        JdbcSinkConfig c = db.config();
        SqlDialect.fromUrl(c.url()).loadDriver();
        return DriverManager.getConnection(c.url(), c.user(), c.password());
    }

    private Map<String, Long> counts() throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (Schema.Measurement m : Schema.all()) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + m.name())) {
                    rs.next();
                    out.put(m.name(), rs.getLong(1));
                }
            }
        }
        return out;
    }

    private Map<String, Double> fetch(Reading r) throws Exception {
        SqlTable t = SqlTable.of(Schema.find(r.measurement()).orElseThrow());
        StringBuilder where = new StringBuilder("time = ?");
        t.tagColumns().forEach(tag -> where.append(" AND ").append(tag).append(" = ?"));
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM " + t.name() + " WHERE " + where)) {
            int i = 1;
            ps.setLong(i++, r.time());
            for (String tag : t.tagColumns()) {
                ps.setString(i++, r.tag(tag) == null ? "" : r.tag(tag));
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("row for " + r).isTrue();
                Map<String, Double> fields = new TreeMap<>();
                for (String f : t.fieldColumns()) {
                    double v = rs.getDouble(f);
                    if (!rs.wasNull()) {
                        fields.put(f, v);
                    }
                }
                assertThat(rs.next()).isFalse();
                return fields;
            }
        }
    }
}
