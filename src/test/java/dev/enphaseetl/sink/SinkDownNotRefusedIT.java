package dev.enphaseetl.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.influxdb.dto.Query;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.SinkFailures;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.influx.InfluxSink;
import dev.enphaseetl.sink.influx.InfluxSinkConfig;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;
import dev.enphaseetl.sink.jdbc.SqlTable;

/**
 * A destination that is misconfigured or not ready is a sink that is down, not data it refuses (issue #12): wrong
 * PostgreSQL role, missing database, missing privileges, wrong MariaDB password, missing InfluxDB database or
 * retention policy all keep the readings for retry ({@link TransientSinkException}), and once the cause is fixed the
 * same sink object delivers every reading. Only content the server refuses is {@link PermanentSinkException}. Against
 * the real servers on 127.0.0.1.
 */
class SinkDownNotRefusedIT {

    private static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String MARIA_ADMIN = "jdbc:mariadb://127.0.0.1:3306/";

    private final List<Runnable> cleanups = new ArrayList<>();
    private final List<Reading> batch = TestReadings.batch(TestReadings.T0, 3);

    @AfterEach
    void cleanUp() {
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            try {
                cleanups.get(i).run();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }

    private static void sql(String url, String user, String statement) {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    private static long rows(String url, String user, String password, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private JdbcSink jdbc(JdbcSinkConfig config) {
        JdbcSink sink = new JdbcSink(config);
        cleanups.add(sink::close);
        return sink;
    }

    private static Throwable down(Runnable delivery, String... reasonContains) {
        Throwable e = catchThrowable(delivery::run);
        assertThat(e).as("a misconfigured destination is down, not refusing data")
                .isInstanceOf(TransientSinkException.class).isNotInstanceOf(PermanentSinkException.class);
        for (String r : reasonContains) {
            assertThat(e.getMessage()).containsIgnoringCase(r);
        }
        return e;
    }

    private long inFirstTable() {
        return batch.stream().filter(r -> r.measurement().equals(batch.get(0).measurement())).count();
    }

    private String measurementTable() {
        return SqlTable.of(dev.enphaseetl.model.Schema.find(batch.get(0).measurement()).orElseThrow()).name();
    }

    @Test
    void postgresUnknownRoleMissingDatabaseAndMissingPrivilegesAreDownUntilFixed() throws Exception {
        ItSupport.requireServer("PostgreSQL", 5432);
        String db = ItSupport.uniqueDatabaseName();
        String role = "ts_" + db.substring("enphase_it_".length());
        String url = "jdbc:postgresql://127.0.0.1:5432/" + db;

        // a role that does not exist (trust authentication still rejects it): SQLState 28000
        down(() -> jdbc(new JdbcSinkConfig(url, role, null)).deliver(batch), "28000");
        // the database does not exist: 3D000; the same sink delivers once it is created
        JdbcSink missingDb = jdbc(new JdbcSinkConfig(url, "postgres", null));
        down(() -> missingDb.deliver(batch), "3D000");
        sql(PG_ADMIN, "postgres", "CREATE DATABASE " + db);
        cleanups.add(() -> sql(PG_ADMIN, "postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)"));
        missingDb.deliver(batch);
        assertThat(rows(url, "postgres", "", measurementTable())).isEqualTo(inFirstTable());

        // a role that may log in but not create or write tables in a fresh database: 42501
        String db2 = db + "_np";
        String url2 = "jdbc:postgresql://127.0.0.1:5432/" + db2;
        sql(PG_ADMIN, "postgres", "CREATE DATABASE " + db2);
        cleanups.add(() -> sql(PG_ADMIN, "postgres", "DROP DATABASE IF EXISTS " + db2 + " WITH (FORCE)"));
        sql(PG_ADMIN, "postgres", "CREATE ROLE " + role + " LOGIN");
        cleanups.add(() -> sql(PG_ADMIN, "postgres", "DROP ROLE IF EXISTS " + role));
        sql(url2, "postgres", "REVOKE ALL ON SCHEMA public FROM PUBLIC");
        JdbcSink noPrivileges = jdbc(new JdbcSinkConfig(url2, role, null));
        down(() -> noPrivileges.deliver(batch), "permission denied");
        down(() -> noPrivileges.deliver(batch), "permission denied"); // retried, still down, still nothing parked
        sql(url2, "postgres", "GRANT ALL ON SCHEMA public TO " + role);
        noPrivileges.deliver(batch);
        assertThat(rows(url2, "postgres", "", measurementTable())).isEqualTo(inFirstTable());
        cleanups.add(() -> sql(url2, "postgres", "DROP OWNED BY " + role));
    }

    @Test
    void mariadbWrongPasswordAndUnknownDatabaseAreDownUntilFixed() throws Exception {
        ItSupport.requireServer("MariaDB", 3306);
        String db = ItSupport.uniqueDatabaseName();
        String user = "ts_" + db.substring("enphase_it_".length());
        String url = "jdbc:mariadb://127.0.0.1:3306/" + db;
        sql(MARIA_ADMIN, "root", "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'right-pw-4'");
        cleanups.add(() -> sql(MARIA_ADMIN, "root", "DROP USER IF EXISTS '" + user + "'@'%'"));
        sql(MARIA_ADMIN, "root", "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'right-pw-4'");
        cleanups.add(() -> sql(MARIA_ADMIN, "root", "DROP USER IF EXISTS '" + user + "'@'localhost'"));

        // wrong password: 28000 (1045); the message does not carry the password
        Throwable e = down(() -> jdbc(new JdbcSinkConfig(url, user, "wrong-pw-7")).deliver(batch), "28000");
        assertThat(e.getMessage()).doesNotContain("wrong-pw-7");
        // right password, but the database does not exist (or is not granted): 42000 (1049 / 1044)
        JdbcSink sink = jdbc(new JdbcSinkConfig(url, user, "right-pw-4"));
        down(() -> sink.deliver(batch));
        sql(MARIA_ADMIN, "root", "CREATE DATABASE " + db);
        cleanups.add(() -> sql(MARIA_ADMIN, "root", "DROP DATABASE IF EXISTS " + db));
        down(() -> sink.deliver(batch)); // exists now, but the user has no rights on it yet
        sql(MARIA_ADMIN, "root", "GRANT ALL ON " + db + ".* TO '" + user + "'@'%'");
        sql(MARIA_ADMIN, "root", "GRANT ALL ON " + db + ".* TO '" + user + "'@'localhost'");
        sink.deliver(batch);
        assertThat(rows(url, "root", "", measurementTable())).isEqualTo(inFirstTable());
    }

    @Test
    void aTooLongTagIsStillRefusedDataOnBothServers() throws Exception {
        Reading tooLong = Reading.of(batch.get(0).measurement(), TestReadings.T0)
                .tag("gateway", "g".repeat(SqlTable.TAG_LENGTH + 10)).field("w", 1.0).build();
        for (String vendor : List.of("postgresql", "mariadb")) {
            var db = dev.enphaseetl.sink.jdbc.TestDatabases.create(vendor, java.nio.file.Path.of("target"));
            cleanups.add(db.drop());
            JdbcSink sink = jdbc(db.config());
            sink.deliver(batch);
            assertThat(catchThrowable(() -> sink.deliver(List.of(tooLong)))).as(vendor)
                    .isInstanceOf(PermanentSinkException.class).hasMessageContaining("22001");
        }
    }

    @Test
    void influxMissingDatabaseAndMissingRetentionPolicyAreDownUntilCreated() {
        ItSupport.requireServer("InfluxDB", 8086);
        String db = ItSupport.uniqueDatabaseName();
        InfluxSink admin = new InfluxSink(InfluxSinkConfig.of("http://127.0.0.1:8086", db));
        cleanups.add(admin::close);
        cleanups.add(() -> admin.client().query(new Query("DROP DATABASE \"" + db + "\"")));

        InfluxSink sink = new InfluxSink(InfluxSinkConfig.of("http://127.0.0.1:8086", db));
        cleanups.add(sink::close);
        down(() -> sink.deliver(batch), "database not found");
        admin.client().query(new Query("CREATE DATABASE \"" + db + "\""));
        sink.deliver(batch);

        InfluxSinkConfig base = InfluxSinkConfig.of("http://127.0.0.1:8086", db);
        InfluxSink withRp = new InfluxSink(new InfluxSinkConfig(base.url(), db, "ts_rp", null, null, null,
                base.batchSize(), base.gzip(), false, null, null));
        cleanups.add(withRp::close);
        down(() -> withRp.deliver(batch), "retention policy not found");
        admin.client().query(new Query("CREATE RETENTION POLICY ts_rp ON \"" + db + "\" DURATION 0s REPLICATION 1"));
        withRp.deliver(batch);
        var series = admin.client().query(new Query("SELECT * FROM \"" + db + "\".ts_rp./.*/")).getResults().get(0)
                .getSeries();
        assertThat(series).as("points written into the retention policy once it exists").isNotEmpty();
        assertThat(series.stream().mapToInt(s -> s.getValues().size()).sum()).isEqualTo(batch.size());
    }

    @Test
    void theRuleInOnePlace() {
        // hostile look-alikes: a 400 naming a missing database is configuration, a 500 is never the data's fault
        assertThat(SinkFailures.influx(400, "database not found: \"x\"")).isEqualTo(SinkFailures.Verdict.DOWN);
        assertThat(SinkFailures.influx(400, "partial write: field type conflict"))
                .isEqualTo(SinkFailures.Verdict.REFUSED);
        assertThat(SinkFailures.influx(404, "partial write")).isEqualTo(SinkFailures.Verdict.DOWN);
        assertThat(SinkFailures.influx(500, "retention policy not found: x")).isEqualTo(SinkFailures.Verdict.DOWN);
        assertThat(SinkFailures.sql("57P03", 0, false)).isEqualTo(SinkFailures.Verdict.DOWN);
        assertThat(SinkFailures.sql("42501", 0, false)).isEqualTo(SinkFailures.Verdict.DOWN);
        assertThat(SinkFailures.sql("3D000", 0, false)).isEqualTo(SinkFailures.Verdict.DOWN);
        assertThat(SinkFailures.sql("42000", 1049, false)).isEqualTo(SinkFailures.Verdict.DOWN);
        assertThat(SinkFailures.sql("23505", 0, false)).isEqualTo(SinkFailures.Verdict.REFUSED);
        assertThat(SinkFailures.sql("22003", 0, false)).isEqualTo(SinkFailures.Verdict.REFUSED);
        assertThat(SinkFailures.sql(null, 5, true)).as("SQLITE_BUSY").isEqualTo(SinkFailures.Verdict.DOWN);
        assertThat(SinkFailures.sql(null, 19, true)).as("SQLITE_CONSTRAINT").isEqualTo(SinkFailures.Verdict.REFUSED);
    }
}
