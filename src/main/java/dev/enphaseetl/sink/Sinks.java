package dev.enphaseetl.sink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.microprofile.config.Config;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.file.CsvFileSink;
import dev.enphaseetl.sink.file.FileSinkConfig;
import dev.enphaseetl.sink.file.LineProtocolFileSink;
import dev.enphaseetl.sink.influx.InfluxSink;
import dev.enphaseetl.sink.influx.InfluxSinkConfig;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;

/**
 * The sinks as route steps: {@code bean: {ref: sinks, method: influxdb}}. Each sink is built from its
 * {@code enphase.sink.<name>.*} keys on first use, so a sink that is off never connects anywhere.
 */
@ApplicationScoped
@Named("sinks")
public class Sinks {

    private final Path dataDir;
    private final Config config;
    private LineProtocolFileSink lineProtocol;
    private CsvFileSink csv;
    private InfluxSink influx;
    private JdbcSink jdbc;

    @Inject
    public Sinks(EnphaseConfig enphase, Config config) {
        this.dataDir = Path.of(enphase.dataDir());
        this.config = config;
    }

    public void lineprotocol(List<Reading> readings) {
        lineProtocolSink().deliver(readings);
    }

    public void csv(List<Reading> readings) {
        csvSink().deliver(readings);
    }

    public void influxdb(List<Reading> readings) {
        influxSink().deliver(readings);
    }

    public void jdbc(List<Reading> readings) {
        jdbcSink().deliver(readings);
    }

    synchronized LineProtocolFileSink lineProtocolSink() {
        if (lineProtocol == null) {
            FileSinkConfig d = FileSinkConfig.lineProtocol(dataDir);
            lineProtocol = new LineProtocolFileSink(new FileSinkConfig(
                    string("enphase.sink.lineprotocol.directory").map(Path::of).orElse(d.directory()),
                    string("enphase.sink.lineprotocol.pattern").orElse(d.pattern())));
        }
        return lineProtocol;
    }

    synchronized CsvFileSink csvSink() {
        if (csv == null) {
            FileSinkConfig d = FileSinkConfig.csv(dataDir);
            csv = new CsvFileSink(new FileSinkConfig(
                    string("enphase.sink.csv.directory").map(Path::of).orElse(d.directory()),
                    string("enphase.sink.csv.pattern").orElse(d.pattern())));
        }
        return csv;
    }

    public synchronized InfluxSink influxSink() {
        if (influx == null) {
            String url = string("enphase.sink.influxdb.url").orElseThrow(() -> new PermanentSinkException(
                    "InfluxDB sink has entries to deliver but enphase.sink.influxdb.url is not set", null));
            influx = new InfluxSink(new InfluxSinkConfig(url,
                    string("enphase.sink.influxdb.database").orElse("enphase"),
                    string("enphase.sink.influxdb.retention-policy").orElse(null),
                    string("enphase.sink.influxdb.username").orElse(null),
                    string("enphase.sink.influxdb.password").orElse(null),
                    string("enphase.sink.influxdb.token").orElse(null),
                    config.getOptionalValue("enphase.sink.influxdb.batch-size", Integer.class)
                            .orElse(InfluxSinkConfig.DEFAULT_BATCH_SIZE),
                    config.getOptionalValue("enphase.sink.influxdb.gzip", Boolean.class).orElse(true),
                    config.getOptionalValue("enphase.sink.influxdb.create-database", Boolean.class).orElse(true),
                    config.getOptionalValue("enphase.sink.influxdb.connect-timeout", Duration.class)
                            .orElse(Duration.ofSeconds(5)),
                    config.getOptionalValue("enphase.sink.influxdb.read-timeout", Duration.class)
                            .orElse(Duration.ofSeconds(30))));
        }
        return influx;
    }

    public synchronized JdbcSink jdbcSink() {
        if (jdbc == null) {
            JdbcSinkConfig c = string("enphase.sink.jdbc.url")
                    .map(url -> new JdbcSinkConfig(url, string("enphase.sink.jdbc.user").orElse(null),
                            string("enphase.sink.jdbc.password").orElse(null)))
                    .orElseGet(() -> JdbcSinkConfig.sqlite(dataDir));
            jdbc = new JdbcSink(c);
        }
        return jdbc;
    }

    private Optional<String> string(String key) {
        return config.getOptionalValue(key, String.class).filter(s -> !s.isBlank());
    }

    @PreDestroy
    synchronized void close() {
        if (influx != null) {
            influx.close();
        }
        if (jdbc != null) {
            jdbc.close();
        }
    }
}
