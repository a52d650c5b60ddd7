package dev.enphaseetl.pipeline;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.health.ProblemLog;

/**
 * Gateways shared among pollers ({@code enphase.kafka.share-gateways.enabled}, docs/kafka.md): every gateway falls in
 * one of {@code slots} slots (Kafka's own murmur2 hash of its id, as the default partitioner places a key), and slot
 * {@code n} is partition {@code n} of the assignment topic. The pollers are one consumer group of that topic, so
 * Kafka's group membership decides which poller owns which slots: the rebalance listener keeps the set this poller
 * polls. A poller that dies stops heartbeating; after the session timeout its slots are assigned to the others. The
 * topic carries no records: only its partitions are used.
 * <p>
 * Off (the default), every gateway is this poller's.
 */
@ApplicationScoped
public class GatewayShares {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.pipeline");
    private final ProblemLog problems = new ProblemLog(LOG);

    private final Optional<EnphaseConfig.ShareGateways> share;
    private final String servers;
    private final Duration sessionTimeout;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean running;
    private Thread member;

    @Inject
    public GatewayShares(EnphaseConfig config) {
        this(config.kafka().shareGateways().enabled() && config.role() != EnphaseConfig.Role.CENTRAL
                ? Optional.of(config.kafka().shareGateways())
                : Optional.empty(), config.kafka().bootstrapServers().orElse(""),
                Duration.ofMillis(config.kafka().sessionTimeoutMs()));
    }

    /** Sharing as {@code share} says (empty: every gateway is this poller's), with these brokers. */
    public GatewayShares(Optional<EnphaseConfig.ShareGateways> share, String servers, Duration sessionTimeout) {
        this.share = share;
        this.servers = servers;
        this.sessionTimeout = sessionTimeout;
    }

    GatewayShares() {
        this.share = Optional.empty();
        this.servers = "";
        this.sessionTimeout = Duration.ZERO;
    }

    /** Every gateway is this poller's (no sharing). */
    public static GatewayShares all() {
        return new GatewayShares();
    }

    /** Whether this poller polls the gateway now. */
    public boolean owns(String gatewayId) {
        if (share.isEmpty()) {
            return true;
        }
        join();
        return owned.contains(slot(gatewayId, share.get().slots()));
    }

    /** The slot of a gateway: Kafka's murmur2 of its id modulo the slots, as the default partitioner does for keys. */
    public static int slot(String gatewayId, int slots) {
        return Utils.toPositive(Utils.murmur2(gatewayId.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % slots;
    }

    /** The slots this poller owns now. */
    public Set<Integer> ownedSlots() {
        return Set.copyOf(owned);
    }

    /** Starts the group membership in a thread of its own: never blocks a poll, owns nothing until assigned. */
    private synchronized void join() {
        if (running) {
            return;
        }
        running = true;
        member = new Thread(this::stayMember, "gateway-shares");
        member.setDaemon(true);
        member.start();
    }

    private KafkaConsumer<byte[], byte[]> subscribe(EnphaseConfig.ShareGateways s) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "enphase-etl-poller");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                String.valueOf(Math.max(500, sessionTimeout.toMillis() / 3)));
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        c.subscribe(List.of(s.topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                partitions.forEach(tp -> owned.remove(tp.partition()));
                if (!partitions.isEmpty()) {
                    LOG.infof("Gateway slots %s moved to other pollers; this poller owns %d of %d",
                            numbers(partitions), owned.size(), s.slots());
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                partitions.forEach(tp -> owned.add(tp.partition()));
                if (!partitions.isEmpty()) {
                    LOG.infof("Gateway slots %s assigned to this poller; it owns %d of %d", numbers(partitions),
                            owned.size(), s.slots());
                }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                onPartitionsRevoked(partitions);
            }
        });
        return c;
    }

    /** Polls the (empty) topic: group membership, heartbeats and rebalances happen inside poll. */
    private void stayMember() {
        EnphaseConfig.ShareGateways s = share.orElseThrow();
        while (running && !createTopic(s)) {
            sleep();
        }
        consumer = subscribe(s);
        try {
            while (running) {
                try {
                    consumer.poll(Duration.ofMillis(500));
                    problems.ok("poll", "Gateway sharing works again");
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    problems.problem("poll", e.getClass().getSimpleName(), Logger.Level.WARN, "Gateway sharing: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + " (logged once)");
                    sleep();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Whether the member thread runs (sharing on and started). */
    public boolean started() {
        return running;
    }

    /** Creates the assignment topic unless it exists; false when Kafka cannot be asked (tried again). */
    private boolean createTopic(EnphaseConfig.ShareGateways s) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p)) {
            int brokers = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
            short rf = (short) Math.min(3, Math.max(1, brokers));
            admin.createTopics(List.of(new NewTopic(s.topic(), s.slots(), rf))).all().get(10, TimeUnit.SECONDS);
            LOG.infof("Created the gateway assignment topic %s with %d slots", s.topic(), s.slots());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return true;
            }
            problems.problem("topic", "topic", Logger.Level.WARN, "Gateway sharing: cannot create the assignment"
                    + " topic " + s.topic() + " at " + servers + ": " + e.getCause() + " (this poller polls no"
                    + " gateway until it can; logged once)");
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            problems.problem("topic", "topic", Logger.Level.WARN, "Gateway sharing: Kafka at " + servers
                    + " does not answer (this poller polls no gateway until it does; logged once)");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList().toString();
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Leaves the group (at shutdown): the others take this poller's slots at once. */
    @PreDestroy
    public synchronized void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
