package dev.enphaseetl.sink;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.jboss.logging.Logger;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.Redactor;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.health.ProblemLog;
import dev.enphaseetl.health.SinkStatus;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.file.CsvFileSink;
import dev.enphaseetl.sink.file.FileSinkConfig;
import dev.enphaseetl.sink.file.LineProtocolFileSink;
import dev.enphaseetl.sink.influx.InfluxSink;
import dev.enphaseetl.sink.influx.InfluxSinkConfig;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.SpoolEntries;

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
    private static final Redactor REDACT = new Redactor();
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

    /**
     * Route step after the delivery of a sink wired in YAML alone: the readings of the entry (exchange property
     * {@code readings}, set by {@code spoolEntries.read}) count as delivered to the sink in header {@code sink}.
     */
    public void confirmed(Exchange exchange) {
        String sink = sinkName(exchange);
        int n = readings(exchange).size();
        status.delivered(sink, n);
        metrics.delivered(sink, n);
        problems.ok(sink, "Sink " + sink + " delivers again");
    }

    /** Error step of a sink wired in YAML alone: counted, shown in health and logged once until it recovers. */
    public void failed(Exchange exchange) {
        String sink = sinkName(exchange);
        if (SinkSwitches.builtIn(sink)) {
            return; // the built-in sinks track their own failures
        }
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = reason(e);
        status.failed(sink, reason);
        metrics.deliveryFailed(sink, readings(exchange).size());
        problems.problem(sink, e == null ? "failure" : e.getClass().getSimpleName(), Logger.Level.WARN, "Sink "
                + sink + " is failing: " + reason + "; readings wait in its spool and are retried"
                + " (logged once until it recovers)");
    }

    /** The sink of a spool entry: header {@code sink}, else the name of the spool directory it came from. */
    public static String sinkName(Exchange exchange) {
        String sink = exchange.getIn().getHeader("sink", String.class);
        if (sink != null && !sink.isBlank()) {
            return sink;
        }
        String parent = exchange.getIn().getHeader(Exchange.FILE_PARENT, String.class);
        return parent == null ? "unknown" : Path.of(parent).getFileName().toString();
    }

    /** An exception as one line without secrets; an HTTP error gives its status and the server's answer. */
    public static String reason(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String text = e instanceof HttpOperationFailedException h
                ? "HTTP " + h.getStatusCode() + " from " + h.getUri() + ": " + Objects.toString(h.getResponseBody(),
                        "").strip()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return REDACT.redact(text.replace('\n', ' ').replace('\r', ' '));
    }

    @SuppressWarnings("unchecked")
    private static List<Reading> readings(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof Reading)) {
            return (List<Reading>) list;
        }
        List<Reading> kept = exchange.getProperty(SpoolEntries.READINGS, List.class);
        return kept == null ? List.of() : kept;
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
