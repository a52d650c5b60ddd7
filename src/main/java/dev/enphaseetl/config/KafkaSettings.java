package dev.enphaseetl.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Kafka settings in the units the clients take, for routes/35 ({@code {{bean:kafkaSettings.sessionTimeoutMs}}}). */
@ApplicationScoped
@Named("kafkaSettings")
public class KafkaSettings {

    private final EnphaseConfig.Kafka kafka;

    @Inject
    public KafkaSettings(EnphaseConfig config) {
        this.kafka = config.kafka();
    }

    /** {@code enphase.kafka.session-timeout} in milliseconds. */
    public int sessionTimeoutMs() {
        return (int) kafka.sessionTimeout().toMillis();
    }

    /** A third of the session timeout, as Kafka advises. */
    public int heartbeatIntervalMs() {
        return Math.max(500, sessionTimeoutMs() / 3);
    }
}
