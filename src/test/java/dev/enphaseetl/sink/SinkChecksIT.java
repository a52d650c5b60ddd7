package dev.enphaseetl.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.influxdb.dto.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.sink.file.FileSinkConfig;
import dev.enphaseetl.sink.influx.InfluxSink;
import dev.enphaseetl.sink.influx.InfluxSinkConfig;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;

/**
 * The sinks' own checks that {@code enphase-etl doctor} reports: against the real InfluxDB, PostgreSQL and MariaDB
 * on 127.0.0.1, a port nobody listens on, and a file where a folder should be. A check writes nothing.
 */
class SinkChecksIT {

    @TempDir
    Path tmp;

    private static InfluxSinkConfig influx(String url, String db, boolean create) {
        return new InfluxSinkConfig(url, db, null, null, null, null, 0, true, create, Duration.ofSeconds(2),
                Duration.ofSeconds(10));
    }

    private static Throwable down(Runnable check) {
        Throwable e = catchThrowable(check::run);
        assertThat(e).isInstanceOf(TransientSinkException.class).isNotInstanceOf(PermanentSinkException.class);
        return e;
    }

    @Test
    void influxCheckFindsTheDatabaseWithoutCreatingIt() {
        ItSupport.requireServer("InfluxDB", 8086);
        String db = ItSupport.uniqueDatabaseName();
        try (InfluxSink sink = new InfluxSink(influx("http://127.0.0.1:8086", db, true));
                InfluxSink strict = new InfluxSink(influx("http://127.0.0.1:8086", db, false))) {
            assertThat(sink.check()).isEqualTo("InfluxDB at http://127.0.0.1:8086, database " + db
                    + " (not there yet: created by the first write)");
            assertThat(down(strict::check)).hasMessageContaining("database " + db + " does not exist")
                    .hasMessageContaining("enphase.sink.influxdb.create-database");
            assertThat(sink.client().query(new Query("SHOW DATABASES")).toString()).as("nothing created")
                    .doesNotContain(db);
            sink.deliver(TestReadings.batch(TestReadings.T0, 1));
            assertThat(strict.check()).isEqualTo("InfluxDB at http://127.0.0.1:8086, database " + db);
        } finally {
            try (InfluxSink admin = new InfluxSink(InfluxSinkConfig.of("http://127.0.0.1:8086", db))) {
                admin.client().query(new Query("DROP DATABASE \"" + db + "\""));
            }
        }
    }

    @Test
    void aStoppedInfluxIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (InfluxSink sink = new InfluxSink(influx("http://127.0.0.1:" + port, "enphase", true))) {
            assertThat(down(sink::check)).hasMessageStartingWith("InfluxDB unreachable: ConnectException");
        }
    }

    @Test
    void sqlChecksOpenTheSinksConnectionAndNameTheCauseWithoutThePassword() {
        try (JdbcSink sqlite = new JdbcSink(JdbcSinkConfig.sqlite(tmp))) {
            assertThat(sqlite.check()).startsWith("SQLITE database jdbc:sqlite:" + tmp.resolve("enphase.db")
                    + " answers (SQLite ");
        }
        ItSupport.requireServer("PostgreSQL", 5432);
        String missing = ItSupport.uniqueDatabaseName();
        try (JdbcSink pg = new JdbcSink(new JdbcSinkConfig("jdbc:postgresql://127.0.0.1:5432/" + missing,
                "postgres", null))) {
            assertThat(down(pg::check)).hasMessageContaining(missing);
        }
        ItSupport.requireServer("MariaDB", 3306);
        try (JdbcSink maria = new JdbcSink(new JdbcSinkConfig("jdbc:mariadb://127.0.0.1:3306/", "root",
                "Wr0ng-s3cret"))) {
            assertThat(down(maria::check)).hasMessageContaining("MARIADB").hasMessageNotContaining("Wr0ng-s3cret");
        }
    }

    @Test
    void aFileWhereTheFolderShouldBeIsAProblemAndNothingIsCreated() throws Exception {
        Path file = Files.writeString(tmp.resolve("csv"), "not a folder");
        assertThat(new FileSinkConfig(file.resolve("day"), FileSinkConfig.CSV_PATTERN).problem()).hasValueSatisfying(
                p -> assertThat(p).isEqualTo(file + " is not a directory"));
        Path fresh = tmp.resolve("new/lineprotocol");
        assertThat(FileSinkConfig.lineProtocol(fresh).problem()).isEmpty();
        assertThat(fresh).doesNotExist();
    }
}
