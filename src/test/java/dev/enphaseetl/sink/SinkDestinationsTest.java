package dev.enphaseetl.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.enphaseetl.config.EnphaseConfig;

/** The start lines that tell where each sink writes name folders, URLs and databases, and never a password. */
class SinkDestinationsTest {

    private static EnphaseConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(EnphaseConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(EnphaseConfig.class);
    }

    @Test
    void defaultsNameTheFoldersAndTheSqliteFileUnderTheDataDir() {
        var lines = SinkDestinations.describe(config(Map.of("enphase.data-dir", "/srv/enphase")));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("lineprotocol").contains(Path.of("/srv/enphase/lineprotocol").toString());
        assertThat(lines.get(1)).contains("csv").contains(Path.of("/srv/enphase/csv").toString());
        assertThat(lines.get(2)).contains("jdbc:sqlite:/srv/enphase/enphase.db");
    }

    @Test
    void influxAndJdbcAreNamedWithoutTheirPasswords() {
        var lines = SinkDestinations.describe(config(Map.of("enphase.sink.influxdb.url",
                "http://admin:hunter2@127.0.0.1:8086", "enphase.sink.influxdb.database", "solar",
                "enphase.sink.influxdb.password", "hunter3", "enphase.sink.jdbc.url",
                "jdbc:postgresql://127.0.0.1:5432/enphase?user=etl&password=hunter4", "enphase.sink.jdbc.user", "etl",
                "enphase.sink.csv.enabled", "false")));
        assertThat(lines).hasSize(3).noneMatch(l -> l.contains("hunter"));
        assertThat(lines).anyMatch(l -> l.startsWith("sink influxdb writes to http://admin:***@127.0.0.1:8086")
                && l.contains("database solar"));
        assertThat(lines).anyMatch(l -> l.contains("jdbc:postgresql://127.0.0.1:5432/enphase?user=etl&password=***")
                && l.endsWith("as user etl"));
        assertThat(lines).noneMatch(l -> l.startsWith("sink csv"));
    }
}
