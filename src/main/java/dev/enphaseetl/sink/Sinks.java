package dev.enphaseetl.sink;

import java.nio.file.Path;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.health.SinkStatus;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.pipeline.ProblemLog;
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
    private final EnphaseConfig.Sink config;
    private final SinkStatus status;
    private final PipelineMetrics metrics;
    private final ProblemLog problems = new ProblemLog(Logger.getLogger("dev.enphaseetl.sink"));
    private LineProtocolFileSink lineProtocol;
    private CsvFileSink csv;
    private InfluxSink influx;
    private JdbcSink jdbc;

    @Inject
    public Sinks(EnphaseConfig enphase, SinkStatus status, PipelineMetrics metrics) {
        this.status = status;
        this.metrics = metrics;
        this.dataDir = Path.of(enphase.dataDir());
        this.config = enphase.sink();
    }

    public void lineprotocol(List<Reading> readings) {
        tracked("lineprotocol", readings, () -> lineProtocolSink().deliver(readings));
    }

    public void csv(List<Reading> readings) {
        tracked("csv", readings, () -> csvSink().deliver(readings));
    }

    public void influxdb(List<Reading> readings) {
        tracked("influxdb", readings, () -> influxSink().deliver(readings));
    }

    public void jdbc(List<Reading> readings) {
        tracked("jdbc", readings, () -> jdbcSink().deliver(readings));
    }

    private void tracked(String sink, List<Reading> readings, Runnable delivery) {
        try {
            delivery.run();
            status.delivered(sink, readings.size());
            metrics.delivered(sink, readings.size());
            problems.ok(sink, "Sink " + sink + " delivers again");
        } catch (RuntimeException e) {
            status.failed(sink, e.getMessage());
            metrics.deliveryFailed(sink, readings.size());
            if (e instanceof TransientSinkException) {
                problems.problem(sink, e.getClass().getSimpleName(), Logger.Level.WARN, "Sink " + sink
                        + " is failing: " + e.getMessage() + "; readings wait in its spool and are retried"
                        + " (logged once until it recovers)");
            }
            throw e;
        }
    }

    synchronized LineProtocolFileSink lineProtocolSink() {
        if (lineProtocol == null) {
            lineProtocol = new LineProtocolFileSink(files(config.lineprotocol(), FileSinkConfig.lineProtocol(dataDir)));
        }
        return lineProtocol;
    }

    synchronized CsvFileSink csvSink() {
        if (csv == null) {
            csv = new CsvFileSink(files(config.csv(), FileSinkConfig.csv(dataDir)));
        }
        return csv;
    }

    private static FileSinkConfig files(EnphaseConfig.FileSink c, FileSinkConfig defaults) {
        return new FileSinkConfig(c.directory().map(Path::of).orElse(defaults.directory()),
                c.pattern().orElse(defaults.pattern()));
    }

    public synchronized InfluxSink influxSink() {
        if (influx == null) {
            EnphaseConfig.Influx c = config.influxdb();
            String url = c.url().filter(u -> !u.isBlank()).orElseThrow(() -> new PermanentSinkException(
                    "InfluxDB sink has entries to deliver but enphase.sink.influxdb.url is not set", null));
            influx = new InfluxSink(new InfluxSinkConfig(url, c.database(), c.retentionPolicy().orElse(null),
                    c.username().orElse(null), c.password().orElse(null), c.token().orElse(null), c.batchSize(),
                    c.gzip(), c.createDatabase(), c.connectTimeout(), c.readTimeout()));
        }
        return influx;
    }

    public synchronized JdbcSink jdbcSink() {
        if (jdbc == null) {
            EnphaseConfig.Jdbc c = config.jdbc();
            jdbc = new JdbcSink(c.url().filter(u -> !u.isBlank())
                    .map(url -> new JdbcSinkConfig(url, c.user().orElse(null), c.password().orElse(null)))
                    .orElseGet(() -> JdbcSinkConfig.sqlite(dataDir)));
        }
        return jdbc;
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
