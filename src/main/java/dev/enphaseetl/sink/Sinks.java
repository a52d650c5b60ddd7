package dev.enphaseetl.sink;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.jboss.logging.Logger;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.Redactor;
import dev.enphaseetl.delivery.SinkFailures;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.health.ProblemLog;
import dev.enphaseetl.health.SinkStatus;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.spool.SpoolEntries;

/**
 * What every sink has in common, as steps of the {@code spool-to-sink} route template and its {@code sink-errors}
 * configuration (routes/30-sinks.camel.yaml): {@link #confirmed} after a delivery, {@link #failed} when it failed.
 * The deliveries themselves are beans of their own ({@code lineProtocolDelivery}, {@code csvDelivery},
 * {@code influxDelivery}, {@code jdbcDelivery}); a sink wired in YAML alone uses the same two steps.
 */
@ApplicationScoped
@Named("sinks")
public class Sinks {

    private final SinkStatus status;
    private final PipelineMetrics metrics;
    private final Map<String, SinkDelivery> deliveries;
    private static final Redactor REDACT = new Redactor();
    private final ProblemLog problems = new ProblemLog(Logger.getLogger("dev.enphaseetl.sink"));

    @Inject
    public Sinks(SinkStatus status, PipelineMetrics metrics, LineProtocolDelivery lineProtocol, CsvDelivery csv,
            InfluxDelivery influx, JdbcDelivery jdbc) {
        this.status = status;
        this.metrics = metrics;
        this.deliveries = Map.of("lineprotocol", lineProtocol, "csv", csv, "influxdb", influx, "jdbc", jdbc);
    }

    /**
     * Route step after a sink's delivery: the readings of the entry (exchange property {@code readings}, set by
     * {@code spoolEntries.take}) count as delivered to the sink in header {@code sink}.
     */
    public void confirmed(Exchange exchange) {
        delivered(sinkName(exchange), readings(exchange).size());
    }

    /**
     * Error step of every sink ({@code sink-errors}): counted, shown in health and, unless the destination refused
     * the data (then the readings are parked and logged there), logged once until it recovers.
     */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof PermanentSinkException && exchange.getProperty(SpoolEntries.READINGS) == null) {
            return; // the spool entry itself is unreadable, not the sink: parked and logged by sinkDeadLetters
        }
        failed(sinkName(exchange), e, readings(exchange).size());
    }

    /**
     * A built-in sink's delivery counted like the route steps count it: used to deliver the parts of a refused
     * batch one by one before the refused readings are parked.
     */
    public void deliverCounted(String sink, List<Reading> readings) {
        SinkDelivery delivery = deliveries.get(sink);
        if (delivery == null) {
            throw new IllegalArgumentException("unknown sink " + sink);
        }
        deliverCounted(sink, readings, delivery);
    }

    /** The same with the delivery given, e.g. an output wired in YAML sent to again through its endpoint. */
    public void deliverCounted(String sink, List<Reading> readings, SinkDelivery delivery) {
        try {
            delivery.deliver(readings);
        } catch (RuntimeException e) {
            failed(sink, e, readings.size());
            throw e;
        }
        delivered(sink, readings.size());
    }

    private void delivered(String sink, int n) {
        status.delivered(sink, n);
        metrics.delivered(sink, n);
        problems.ok(sink, "Sink " + sink + " delivers again");
    }

    private void failed(String sink, Exception e, int readings) {
        String reason = reason(e);
        status.failed(sink, reason);
        metrics.deliveryFailed(sink, readings);
        if (e instanceof PermanentSinkException || e instanceof HttpOperationFailedException h && refusesData(h)) {
            return; // refused data: parked by sinkDeadLetters, which logs it
        }
        problems.problem(sink, e == null ? "failure" : e.getClass().getSimpleName(), Logger.Level.WARN, "Sink "
                + sink + " is failing: " + reason + "; readings wait in its spool and are retried"
                + " (logged once until it recovers)");
    }

    /**
     * Predicate of {@code sink-errors} for outputs wired in YAML ({@code http:}): whether the server refused the data
     * itself ({@link SinkFailures#http}), so that the entry is parked rather than retried.
     */
    public boolean refusedData(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e == null) {
            e = exchange.getException();
        }
        return e instanceof HttpOperationFailedException h && refusesData(h);
    }

    static boolean refusesData(HttpOperationFailedException h) {
        return SinkFailures.http(h.getStatusCode(), h.getResponseBody()) == SinkFailures.Verdict.REFUSED;
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

}
