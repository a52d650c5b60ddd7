package dev.enphaseetl.central;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.jboss.logging.Logger;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.BatchSplitter;
import dev.enphaseetl.sink.KafkaDelivery;
import dev.enphaseetl.sink.ReadingRecords;
import dev.enphaseetl.sink.Sinks;
import dev.enphaseetl.spool.SinkSwitches;

/**
 * The central tier's step (routes/35-central.camel.yaml): a batch of Kafka records ({@code batching=true}: the body
 * is the list of record exchanges) is delivered to every enabled built-in sink through the same delivery beans the
 * spool routes use, and only when each sink confirmed are the offsets committed (one commit per partition, at the
 * batch's last record). A failing sink throws: nothing is committed, the route retries, and after that the consumer
 * reconnects from the committed offsets (at-least-once; the idempotent sinks absorb the repeats).
 * <p>
 * Records refused for their content go to the dead-letter topic ({@code enphase.kafka.dead-letter-topic}) with
 * header {@code enphase-reason}, then count as done: a record that cannot be read at all (another schema, not JSON
 * Lines) as it came; readings a sink refuses (found by {@link BatchSplitter}) as readings, with header
 * {@code enphase-sink}.
 */
@ApplicationScoped
@Named("centralDelivery")
public class CentralDelivery {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.central");

    private final Sinks sinks;
    private final SinkSwitches switches;
    private final KafkaDelivery kafka;
    private final PipelineMetrics metrics;
    private final String deadLetterTopic;
    private final CentralErrors errors;

    @Inject
    public CentralDelivery(EnphaseConfig config, Sinks sinks, SinkSwitches switches, KafkaDelivery kafka,
            PipelineMetrics metrics, CentralErrors errors) {
        this.errors = errors;
        this.sinks = sinks;
        this.switches = switches;
        this.kafka = kafka;
        this.metrics = metrics;
        this.deadLetterTopic = config.kafka().deadLetterTopic();
    }

    /** Route step: delivers the batch in the body to every sink, then commits its offsets. */
    public void deliver(Exchange batch) {
        List<Exchange> records = records(batch);
        List<Reading> readings = new ArrayList<>();
        for (Exchange record : records) {
            Message m = record.getMessage();
            byte[] value = m.getBody(byte[].class);
            try {
                readings.addAll(ReadingRecords.readings(value, text(m.getHeader(ReadingRecords.SCHEMA_HEADER))));
            } catch (PermanentSinkException e) {
                String key = text(m.getHeader(KafkaConstants.KEY));
                String reason = "partition " + m.getHeader(KafkaConstants.PARTITION) + " offset "
                        + m.getHeader(KafkaConstants.OFFSET) + ": " + e.getMessage();
                kafka.sendRaw(deadLetterTopic, key, value, reason);
                metrics.deadLettered("kafka", 1);
                LOG.warnf("Record with key %s is not readable (%s); put on %s", key, reason, deadLetterTopic);
            }
        }
        if (!readings.isEmpty()) {
            for (String sink : switches.enabled()) {
                if (SinkSwitches.builtIn(sink)) {
                    deliver(sink, readings);
                }
            }
        }
        commit(records);
        errors.delivered();
    }

    private void deliver(String sink, List<Reading> readings) {
        try {
            sinks.deliverCounted(sink, readings);
        } catch (PermanentSinkException e) {
            List<BatchSplitter.Rejected> rejected = BatchSplitter.isolate(readings,
                    part -> sinks.deliverCounted(sink, part), e.getMessage());
            Map<String, List<Reading>> byReason = new LinkedHashMap<>();
            rejected.forEach(r -> byReason.computeIfAbsent(r.reason(), k -> new ArrayList<>()).add(r.reading()));
            for (Map.Entry<String, List<Reading>> group : byReason.entrySet()) {
                String reason = "sink " + sink + ": " + group.getKey();
                kafka.send(deadLetterTopic, ReadingRecords.records(group.getValue()), reason);
                metrics.deadLettered(sink, group.getValue().size());
                LOG.warnf("Sink %s refused %d of %d readings: %s; put on %s", sink, group.getValue().size(),
                        readings.size(), group.getKey(), deadLetterTopic);
            }
        }
    }

    /** One commit per partition, at the highest offset of the batch (the consumer commits that offset + 1). */
    private static void commit(List<Exchange> records) {
        Map<Object, Exchange> last = new LinkedHashMap<>();
        for (Exchange r : records) {
            Object partition = r.getMessage().getHeader(KafkaConstants.PARTITION);
            Exchange seen = last.get(partition);
            if (seen == null || offset(r) > offset(seen)) {
                last.put(partition, r);
            }
        }
        for (Exchange r : last.values()) {
            KafkaManualCommit commit = r.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit == null) {
                throw new IllegalStateException("the Kafka consumer of routes/35 must run with allowManualCommit=true");
            }
            commit.commit();
        }
    }

    private static long offset(Exchange r) {
        Long offset = r.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
        return offset == null ? -1 : offset;
    }

    @SuppressWarnings("unchecked")
    private static List<Exchange> records(Exchange batch) {
        Object body = batch.getMessage().getBody();
        if (body instanceof List<?> list) {
            return (List<Exchange>) list;
        }
        return List.of(batch); // batching off: one record per exchange
    }

    private static String text(Object header) {
        if (header == null) {
            return null;
        }
        return header instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : header.toString();
    }
}
