package dev.enphaseetl.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.spool.DurableFiles;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.SpoolCodec;
import dev.enphaseetl.spool.SpoolEntries;

/**
 * Parks what a sink refuses for good. The failing spool entry is split (see {@link BatchSplitter}) so that the good
 * readings are delivered and only the refused ones land in {@code <data-dir>/dead-letter/<sink>/} as a spool entry
 * ({@code .jsonl}, replayable) plus a metadata file with the sink, the reason and the attempt times.
 */
@ApplicationScoped
@Named("sinkDeadLetters")
public class SinkDeadLetters {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.sink");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Exchange property: the endpoint of the sink's delivery (route template parameter delivery). */
    public static final String DELIVERY = "sinkDelivery";

    private final Path root;
    private final Sinks sinks;
    private final PipelineMetrics metrics;
    private final AtomicLong sequence = new AtomicLong();

    @Inject
    public SinkDeadLetters(EnphaseConfig config, Sinks sinks, PipelineMetrics metrics) {
        this.metrics = metrics;
        this.root = Path.of(config.dataDir(), "dead-letter");
        this.sinks = sinks;
    }

    /** Route step of a sink's error handling: header {@code sink} names the sink, the body holds the readings. */
    @SuppressWarnings("unchecked")
    public void park(Exchange exchange) throws IOException {
        String sink = Sinks.sinkName(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Instant first = Instant.ofEpochMilli(exchange.getClock().getCreated());
        int attempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        List<BatchSplitter.Rejected> rejected;
        List<Reading> readings;
        if (!(exchange.getIn().getBody() instanceof List) && exchange.getProperty(SpoolEntries.READINGS) == null) {
            // the spool entry itself could not be read as readings: kept as it is, with the reason
            String reason = Sinks.reason(e);
            byte[] raw = exchange.getIn().getBody(byte[].class);
            Path file = write(sink, raw == null ? new byte[0] : raw, null, reason, first, attempts);
            metrics.deadLettered(sink, 1);
            LOG.warnf("Sink %s: spool entry %s is unreadable: %s; parked in %s", sink,
                    exchange.getIn().getHeader(Exchange.FILE_NAME), reason, file);
            return;
        }
        if (SinkSwitches.builtIn(sink)) {
            readings = exchange.getIn().getBody(List.class);
            rejected = BatchSplitter.isolate(readings, deliverer(sink), e.getMessage());
        } else {
            // a sink wired in YAML: the parts are sent again to its delivery endpoint (template parameter delivery)
            readings = exchange.getProperty(SpoolEntries.READINGS, List.class);
            if (readings == null) {
                throw new IllegalStateException("sink " + sink + " failed before its spool entry was read: "
                        + Sinks.reason(e), e);
            }
            String delivery = exchange.getProperty(DELIVERY, String.class);
            String reason = Sinks.reason(e);
            if (delivery == null) {
                rejected = readings.stream().map(r -> new BatchSplitter.Rejected(r, reason)).toList();
            } else {
                ProducerTemplate producer = exchange.getContext().createProducerTemplate();
                try {
                    rejected = BatchSplitter.isolate(readings, part -> sinks.deliverCounted(sink, part,
                            p -> resend(producer, delivery, sink, p)), reason);
                } finally {
                    producer.stop();
                }
            }
        }
        if (rejected.isEmpty()) {
            LOG.infof("Sink %s: the batch refused before was accepted in parts; nothing to park", sink);
            return;
        }
        Map<String, List<Reading>> byReason = new LinkedHashMap<>();
        rejected.forEach(r -> byReason.computeIfAbsent(r.reason(), k -> new ArrayList<>()).add(r.reading()));
        for (Map.Entry<String, List<Reading>> group : byReason.entrySet()) {
            Path file = write(sink, group.getValue(), group.getKey(), first, attempts);
            metrics.deadLettered(sink, group.getValue().size());
            LOG.warnf("Sink %s refused %d of %d readings: %s; parked in %s", sink, group.getValue().size(),
                    readings.size(), group.getKey(), file);
        }
    }

    Path write(String sink, List<Reading> readings, String reason, Instant firstAttempt, int attempts)
            throws IOException {
        return write(sink, SpoolCodec.encode(readings), readings.size(), reason, firstAttempt, attempts);
    }

    private Path write(String sink, byte[] content, Integer readings, String reason, Instant firstAttempt,
            int attempts) throws IOException {
        Instant now = Instant.now();
        String base = STAMP.format(now) + "-" + sequence.incrementAndGet();
        Path dir = root.resolve(sink);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("sink", sink);
        meta.put("error", reason);
        meta.put("readings", readings);
        meta.put("firstAttempt", firstAttempt.toString());
        meta.put("lastAttempt", now.toString());
        meta.put("attempts", attempts);
        meta.put("entryFile", base + ".jsonl");
        Path tmp = root.resolve(".tmp");
        DurableFiles.writeAtomically(tmp, dir.resolve(base + ".jsonl"), content);
        DurableFiles.writeAtomically(tmp, dir.resolve(base + ".json"), JSON.writeValueAsBytes(meta));
        return dir.resolve(base + ".jsonl");
    }

    /**
     * One part of a refused batch sent again to an output wired in YAML: refused data (as {@code sinks.refusedData}
     * decides it) comes back as {@link PermanentSinkException}, anything else as "down".
     */
    private static void resend(ProducerTemplate producer, String uri, String sink, List<Reading> part) {
        Exchange sent = producer.send(uri, x -> {
            x.getIn().setHeader("sink", sink);
            x.getIn().setBody(new ArrayList<>(part));
            x.setProperty(SpoolEntries.READINGS, part);
        });
        Exception failure = sent.getException();
        if (failure == null) {
            return;
        }
        if (failure instanceof PermanentSinkException p) {
            throw p;
        }
        if (failure instanceof HttpOperationFailedException h && Sinks.refusesData(h)) {
            throw new PermanentSinkException(Sinks.reason(h), h);
        }
        throw new TransientSinkException(Sinks.reason(failure), failure);
    }

    private Consumer<List<Reading>> deliverer(String sink) {
        return readings -> sinks.deliverCounted(sink, readings);
    }

    public Path root() {
        return root;
    }
}
