package dev.enphaseetl.sink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.model.Reading;

/**
 * The Kafka sink of an edge ({@code enphase.role=edge}; routes/30 {@code sink-kafka}): a batch of spooled readings
 * becomes one record per gateway ({@link ReadingRecords}), sent with an idempotent producer and {@code acks=all};
 * {@link #deliver} returns only when Kafka acknowledged every record, so the spool entry is deleted only then.
 * Kafka away (no broker, too few in-sync replicas, no answer within {@code enphase.kafka.delivery-timeout}) is a
 * {@link TransientSinkException}: the entry stays in the spool. A record Kafka refuses for itself (too large) is a
 * {@link PermanentSinkException}: parked as a dead letter.
 */
@ApplicationScoped
@Named("kafkaDelivery")
public class KafkaDelivery implements SinkDelivery {

    private final EnphaseConfig.Kafka config;
    private KafkaProducer<String, byte[]> producer;

    @Inject
    public KafkaDelivery(EnphaseConfig enphase) {
        this.config = enphase.kafka();
    }

    @Override
    public void deliver(List<Reading> readings) {
        send(config.topic(), ReadingRecords.records(readings), null);
    }

    /**
     * Sends records and waits until Kafka acknowledged each; {@code reason}, when set, goes into header
     * {@code enphase-reason} (the dead-letter topic).
     */
    public void send(String topic, List<ReadingRecords.Record> records, String reason) {
        send(topic, records, reason, true);
    }

    /** A record as it came (not readable as readings), with the reason, to the dead-letter topic. */
    public void sendRaw(String topic, String key, byte[] value, String reason) {
        send(topic, List.of(new ReadingRecords.Record(key, value == null ? new byte[0] : value)), reason, false);
    }

    private void send(String topic, List<ReadingRecords.Record> records, String reason, boolean readings) {
        KafkaProducer<String, byte[]> p = producer();
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try {
            for (ReadingRecords.Record r : records) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, r.key(), r.value());
                if (readings) {
                    record.headers().add(new RecordHeader(ReadingRecords.SCHEMA_HEADER,
                            ReadingRecords.SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8)));
                }
                if (reason != null) {
                    record.headers().add(new RecordHeader("enphase-reason", reason.getBytes(StandardCharsets.UTF_8)));
                }
                sent.add(p.send(record));
            }
            long waitMs = config.deliveryTimeout().toMillis() + 5_000;
            for (Future<RecordMetadata> f : sent) {
                f.get(waitMs, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw failure(e.getCause() == null ? e : e.getCause(), topic);
        } catch (KafkaException e) {
            throw failure(e, topic);
        } catch (TimeoutException e) {
            throw new TransientSinkException("Kafka " + servers() + " did not acknowledge within "
                    + config.deliveryTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientSinkException("interrupted while waiting for Kafka", e);
        }
    }

    private RuntimeException failure(Throwable e, String topic) {
        if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidTopicException) {
            return new PermanentSinkException("Kafka refused the record for topic " + topic + ": " + e.getMessage(),
                    e);
        }
        return new TransientSinkException("Kafka " + servers() + " did not take the records for topic " + topic
                + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    private String servers() {
        return config.bootstrapServers().orElse("(enphase.kafka.bootstrap-servers not set)");
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            String servers = config.bootstrapServers().filter(s -> !s.isBlank())
                    .orElseThrow(() -> new TransientSinkException("the Kafka sink has entries to deliver but"
                            + " enphase.kafka.bootstrap-servers is not set", null));
            producer = new KafkaProducer<>(producerProperties(servers, config.deliveryTimeout()),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** The producer's settings: idempotent, every in-sync replica acknowledges, bounded waits. */
    static Properties producerProperties(String servers, Duration deliveryTimeout) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "enphase-etl");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        int timeout = (int) Math.max(deliveryTimeout.toMillis(), 2_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(timeout, 30_000)));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout,
                Math.min(timeout, 30_000) + 5)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Math.min(timeout, 10_000)));
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        return p;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
