package dev.enphaseetl.central;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.health.ProblemLog;

/**
 * Whether the Kafka consumer of a central instance (routes/35, client id {@value #CLIENT_ID}) is in its group and
 * polling, read from the Kafka client's own metrics (JMX, {@code kafka.consumer}): the seconds since its last
 * heartbeat to the group coordinator and since its last poll. Camel's Kafka consumer health check does not fit: it
 * stays UP while no broker answers (it only sees the consumer thread). A problem is reported after
 * {@code enphase.status.stale-after}, in readiness and the status line, and logged once (ProblemLog).
 */
@ApplicationScoped
public class CentralConsumer {

    static final String CLIENT_ID = "enphase-etl-central";

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.central");
    private final ProblemLog problems = new ProblemLog(LOG);
    private volatile Instant lastGood = Instant.now();
    private final boolean central;
    private final Duration threshold;
    private final String servers;
    private final String group;

    @Inject
    public CentralConsumer(EnphaseConfig config) {
        this.central = config.role() == EnphaseConfig.Role.CENTRAL;
        this.threshold = config.status().staleAfter();
        this.servers = config.kafka().bootstrapServers().orElse("");
        this.group = config.kafka().groupId();
    }

    /** The consumer's problem, empty when it is fine or this is not a central instance. */
    public Optional<String> problem() {
        if (!central) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        OptionalDouble heartbeat = metric("consumer-coordinator-metrics", "last-heartbeat-seconds-ago");
        Optional<String> p = problem(heartbeat, metric("consumer-metrics", "last-poll-seconds-ago"),
                Duration.between(lastGood, now), threshold, servers, group);
        if (p.isEmpty() && heartbeat.isPresent() && heartbeat.getAsDouble() >= 0) {
            lastGood = now; // in the group: a later "no heartbeat yet" counts from here
        }
        if (p.isPresent()) {
            problems.problem("consumer", p.get().replaceAll("[0-9]+ s", "N s"), Logger.Level.WARN,
                    "Kafka consumer of the central tier: " + p.get() + " (logged once until it recovers)");
        } else {
            problems.ok("consumer", "Kafka consumer of the central tier is in group " + group + " again");
        }
        return p;
    }

    /**
     * The problem from the metrics: {@code heartbeatAgo} negative (no heartbeat yet: the consumer is new or started
     * again after a failed batch) or absent (no consumer) is a problem once it lasted the threshold ({@code since}:
     * the time since the consumer was last seen fine, or since the start); a heartbeat or poll older than the
     * threshold is one at once.
     */
    static Optional<String> problem(OptionalDouble heartbeatAgo, OptionalDouble pollAgo, Duration since,
            Duration threshold, String servers, String group) {
        long limit = threshold.toSeconds();
        String rule = " (enphase.status.stale-after=" + limit + " s)";
        if (heartbeatAgo.isEmpty()) {
            return since.compareTo(threshold) > 0
                    ? Optional.of("Kafka consumer of routes/35 not running for " + since.toSeconds() + " s" + rule)
                    : Optional.empty();
        }
        double hb = heartbeatAgo.getAsDouble();
        if (hb < 0 || hb > 1e9) {
            return since.compareTo(threshold) > 0
                    ? Optional.of("Kafka: not in consumer group " + group + " for " + since.toSeconds()
                            + " s: no broker of " + servers + " answers, the group coordinator is away, or the"
                            + " consumer keeps starting again after failed batches" + rule)
                    : Optional.empty();
        }
        if (hb > limit) {
            return Optional.of("Kafka: no heartbeat to the coordinator of group " + group + " for " + (long) hb
                    + " s: brokers " + servers + " unreachable?" + rule);
        }
        if (pollAgo.isPresent() && pollAgo.getAsDouble() > limit) {
            return Optional.of("Kafka: the consumer has not polled for " + (long) pollAgo.getAsDouble()
                    + " s (a batch stuck in delivery?)" + rule);
        }
        return Optional.empty();
    }

    private static OptionalDouble metric(String type, String attribute) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName name : server.queryNames(new ObjectName("kafka.consumer:type=" + type + ",client-id=*"),
                    null)) {
                if (name.getKeyProperty("client-id").startsWith(CLIENT_ID)) {
                    Object v = server.getAttribute(name, attribute);
                    if (v instanceof Number n) {
                        return OptionalDouble.of(n.doubleValue());
                    }
                }
            }
        } catch (Exception e) {
            LOG.debugf("Kafka metric %s %s unreadable: %s", type, attribute, e);
        }
        return OptionalDouble.empty();
    }
}
