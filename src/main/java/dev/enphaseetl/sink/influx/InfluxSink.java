package dev.enphaseetl.sink.influx;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.jboss.logging.Logger;

import dev.enphaseetl.delivery.Redactor;
import dev.enphaseetl.delivery.SinkException;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.render.LineProtocol;

import okhttp3.OkHttpClient;

/**
 * Writes readings to InfluxDB as line protocol with second precision, in batches of {@code batchSize} lines, gzip
 * compressed. Thread-safe; one instance per target. Writing the same readings again is harmless: InfluxDB keeps one
 * point per series and timestamp and overwrites its fields.
 *
 * <p>
 * A failed batch throws {@link dev.enphaseetl.delivery.TransientSinkException} or
 * {@link dev.enphaseetl.delivery.PermanentSinkException}; batches before it have been written. On InfluxDB 1.x a
 * {@code partial write} has stored the good lines of the failed batch too.
 */
public class InfluxSink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InfluxSink.class);

    private final InfluxSinkConfig config;
    private final InfluxDB influx;
    private final HttpStatusRecorder status = new HttpStatusRecorder();
    private final Redactor redactor;
    private volatile boolean databaseEnsured;

    public InfluxSink(InfluxSinkConfig config) {
        this.config = config;
        this.redactor = new Redactor(config.password(), config.token());
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .socketFactory(new NoDelaySockets())
                .addInterceptor(status);
        if (config.hasToken()) {
            http.addInterceptor(new TokenAuthInterceptor(config.token()));
        }
        this.influx = !config.hasToken() && config.hasUser()
                ? InfluxDBFactory.connect(config.url(), config.username(), config.password(), http)
                : InfluxDBFactory.connect(config.url(), http);
        influx.setLogLevel(InfluxDB.LogLevel.NONE);
        if (config.gzip()) {
            influx.enableGzip();
        }
    }

    /** The underlying client, e.g. to register as the {@code connectionBean} of a Camel {@code influxdb:} endpoint. */
    public InfluxDB client() {
        return influx;
    }

    public InfluxSinkConfig config() {
        return config;
    }

    /**
     * Delivers a batch. Returns nothing on purpose: as a Camel bean step it leaves the message body (the readings)
     * untouched, so several sinks can follow each other in one route.
     */
    public void deliver(List<Reading> readings) {
        if (readings.isEmpty()) {
            return;
        }
        ensureDatabase();
        for (int from = 0; from < readings.size(); from += config.batchSize()) {
            List<Reading> chunk = readings.subList(from, Math.min(readings.size(), from + config.batchSize()));
            // one body per request, rendered in one go: no string per line, no joining (the lines of a refused batch
            // are rendered again, one by one, only to name them)
            write(LineProtocol.render(chunk), () -> chunk.stream().map(LineProtocol::render).toList());
        }
    }

    /**
     * Writes ready-made line protocol lines (second precision), e.g. replayed from a line protocol file; returns the
     * number of lines written.
     */
    public int deliverLines(List<String> lines) {
        if (lines.isEmpty()) {
            return 0;
        }
        ensureDatabase();
        for (int from = 0; from < lines.size(); from += config.batchSize()) {
            List<String> chunk = lines.subList(from, Math.min(lines.size(), from + config.batchSize()));
            write(String.join("\n", chunk), () -> chunk);
        }
        return lines.size();
    }

    private void write(String body, Supplier<List<String>> lines) {
        status.reset();
        try {
            influx.write(config.database(), emptyToNull(config.retentionPolicy()), InfluxDB.ConsistencyLevel.ONE,
                    TimeUnit.SECONDS, body);
        } catch (RuntimeException e) {
            SinkException classified = InfluxErrors.classify(e, status.lastStatus(), lines.get(), redactor);
            // the caller reports it (the pipeline once per problem, not once per failed batch)
            LOG.debugf("InfluxDB write to %s failed: %s", config.database(), classified.getMessage());
            throw classified;
        }
    }

    private void ensureDatabase() {
        if (!config.createDatabase() || databaseEnsured) {
            return;
        }
        status.reset();
        try {
            influx.query(new Query("CREATE DATABASE \"" + config.database().replace("\"", "\\\"") + "\""));
            databaseEnsured = true;
            // CREATE DATABASE of InfluxDB 1.x succeeds whether or not the database was there
            LOG.infof("InfluxDB database %s created at %s (or already there)", config.database(),
                    redactor.redact(config.url()));
        } catch (RuntimeException e) {
            throw InfluxErrors.classify(e, status.lastStatus(), List.of(), redactor);
        }
    }

    /**
     * Asks the server whether it answers, accepts the credentials and has the database ({@code enphase-etl
     * doctor}): the sink's own client, credentials and error classification, nothing written. Returns a description
     * of what was found; throws the {@link SinkException} a write would have met.
     */
    public String check() {
        status.reset();
        QueryResult result;
        try {
            result = influx.query(new Query("SHOW DATABASES"));
        } catch (RuntimeException e) {
            throw InfluxErrors.classify(e, status.lastStatus(), List.of(), redactor);
        }
        if (result.hasError()) {
            throw new TransientSinkException("InfluxDB at " + redactor.redact(config.url()) + " answered: "
                    + redactor.redact(result.getError()), null);
        }
        boolean present = result.getResults() != null && result.getResults().stream()
                .filter(r -> r.getSeries() != null).flatMap(r -> r.getSeries().stream())
                .filter(s -> s.getValues() != null).flatMap(s -> s.getValues().stream())
                .anyMatch(row -> !row.isEmpty() && config.database().equals(row.get(0)));
        String where = "InfluxDB at " + redactor.redact(config.url()) + ", database " + config.database();
        if (!present && !config.createDatabase()) {
            throw new TransientSinkException(where + " does not exist (or the user may not see it), and"
                    + " enphase.sink.influxdb.create-database is off: create it", null);
        }
        return where + (present ? "" : " (not there yet: created by the first write)");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public void close() {
        influx.close();
    }

    @Override
    public String toString() {
        return "InfluxSink[" + config + "]";
    }
}
