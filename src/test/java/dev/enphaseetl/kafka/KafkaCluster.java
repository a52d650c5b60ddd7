package dev.enphaseetl.kafka;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka 4 cluster for tests: three brokers in KRaft mode (each broker also a controller, a quorum of three) on
 * loopback, each a JVM of its own started from Apache Kafka's jars ({@code org.apache.kafka:kafka_2.13} from Maven
 * Central, put into {@code target/kafka/libs} by {@code .ci/kafka.sh}). No Docker. Topics get replication factor 3
 * and {@code min.insync.replicas=2}, so one broker may die without a write being refused. A broker can be killed
 * with SIGKILL ({@link #kill}) and started again on its data ({@link #start(int)}).
 * <p>
 * {@link #shared()} is one cluster for every test class of the JVM, stopped when the JVM ends.
 */
public final class KafkaCluster implements AutoCloseable {

    static final Path LIBS = Path.of("target/kafka/libs").toAbsolutePath();
    private static KafkaCluster shared;

    private final Path dir;
    private final int[] brokerPorts;
    private final int[] controllerPorts;
    private final Process[] brokers;
    private final String clusterId = Uuid.randomUuid().toString();

    /** The cluster of this JVM, started on first use. */
    public static synchronized KafkaCluster shared() throws Exception {
        if (shared == null) {
            KafkaCluster c = new KafkaCluster(3);
            c.startAll();
            Runtime.getRuntime().addShutdownHook(new Thread(c::close));
            shared = c;
        }
        return shared;
    }

    public KafkaCluster(int size) throws IOException {
        this.dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka-cluster-");
        this.brokerPorts = new int[size];
        this.controllerPorts = new int[size];
        this.brokers = new Process[size];
        for (int i = 0; i < size; i++) {
            brokerPorts[i] = freePort();
            controllerPorts[i] = freePort();
        }
    }

    /** Formats every broker's storage and starts the brokers; returns when all three are in the cluster. */
    public void startAll() throws Exception {
        ensureLibs();
        for (int i = 0; i < brokers.length; i++) {
            Path props = writeProperties(i);
            run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString()),
                    dir.resolve("format-" + i + ".log"));
        }
        for (int i = 0; i < brokers.length; i++) {
            start(i);
        }
        awaitBrokers(brokers.length, Duration.ofSeconds(90));
    }

    /** Starts broker {@code i} (again) on its data directory. */
    public void start(int i) throws IOException {
        List<String> cmd = javaCommand(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.add("kafka.Kafka");
        cmd.add(dir.resolve("broker-" + i + ".properties").toString());
        brokers[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(dir.resolve("broker-" + i + ".log").toFile())).start();
    }

    /** SIGKILL of broker {@code i}: no shutdown, no flush. */
    public void kill(int i) throws InterruptedException {
        Process p = brokers[i];
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    public long pid(int i) {
        return brokers[i].pid();
    }

    /** Waits until {@code n} brokers are in the cluster. */
    public void awaitBrokers(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                int size = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                if (size >= n) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            for (int i = 0; i < brokers.length; i++) {
                if (brokers[i] != null && !brokers[i].isAlive() && brokers[i].exitValue() != 137) {
                    throw new IllegalStateException("Kafka broker " + i + " exited with " + brokers[i].exitValue()
                            + "; see " + dir.resolve("broker-" + i + ".log"));
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Kafka: fewer than " + n + " brokers after " + timeout + " (logs in " + dir
                + ")", last);
    }

    public String bootstrapServers() {
        List<String> s = new ArrayList<>();
        for (int port : brokerPorts) {
            s.add("127.0.0.1:" + port);
        }
        return String.join(",", s);
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    public Path directory() {
        return dir;
    }

    private Path writeProperties(int i) throws IOException {
        int replicas = Math.min(3, brokers.length); // a one-broker cluster for short tests
        String voters = java.util.stream.IntStream.range(0, brokers.length)
                .mapToObj(j -> (j + 1) + "@127.0.0.1:" + controllerPorts[j]).collect(Collectors.joining(","));
        String text = String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + (i + 1),
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPorts[i] + ",CONTROLLER://127.0.0.1:" + controllerPorts[i],
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPorts[i],
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data-" + i),
                "num.partitions=6",
                "default.replication.factor=" + replicas,
                "min.insync.replicas=" + Math.min(2, replicas),
                "offsets.topic.replication.factor=" + replicas,
                "offsets.topic.num.partitions=6",
                "transaction.state.log.replication.factor=" + replicas,
                "transaction.state.log.min.isr=" + Math.min(2, replicas),
                "share.coordinator.state.topic.replication.factor=" + replicas,
                "share.coordinator.state.topic.min.isr=" + Math.min(2, replicas),
                "group.initial.rebalance.delay.ms=0",
                "group.min.session.timeout.ms=2000",
                "auto.create.topics.enable=true",
                "num.network.threads=2",
                "num.io.threads=2",
                "log.flush.interval.messages=1",
                "") + "\n";
        Path file = dir.resolve("broker-" + i + ".properties");
        Files.writeString(file, text);
        return file;
    }

    private void run(List<String> mainAndArgs, Path log) throws Exception {
        List<String> cmd = javaCommand(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(mainAndArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("Kafka " + mainAndArgs + " failed: " + Files.readString(log));
        }
    }

    private static List<String> javaCommand(List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-Dlog4j2.level=WARN");
        cmd.add("-cp");
        cmd.add(LIBS + "/*");
        return cmd;
    }

    /** The broker jars; prepared by .ci/kafka.sh (which .ci/services.sh runs), or now when that was skipped. */
    static synchronized void ensureLibs() throws Exception {
        if (Files.exists(LIBS.resolve(".complete"))) {
            return;
        }
        Process p = new ProcessBuilder("bash", ".ci/kafka.sh").inheritIO().start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(".ci/kafka.sh could not provide the Kafka broker jars in " + LIBS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : brokers) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }
}
