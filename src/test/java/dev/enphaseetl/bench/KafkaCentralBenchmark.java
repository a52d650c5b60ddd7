package dev.enphaseetl.bench;

import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.enphaseetl.kafka.KafkaCluster;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.DefaultPayloadParser;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.parse.GatewayState;
import dev.enphaseetl.simulator.SimulatedGateway;
import dev.enphaseetl.sink.ReadingRecords;
import dev.enphaseetl.sink.influx.InfluxSink;
import dev.enphaseetl.sink.influx.InfluxSinkConfig;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;

/**
 * Central throughput with 1, 2 and 3 central instances (packaged application, {@code enphase.role=central}) on a
 * 3-broker Kafka cluster: a backlog of parsed simulator polls of {@code gateways} gateways over {@code hours} hours
 * is put on a topic of 6 partitions; each run starts {@code k} central instances in a fresh consumer group with fresh
 * InfluxDB and PostgreSQL databases and measures readings/s from the first commit to the last. Baseline, in the same
 * run: the same readings written straight into InfluxDB and PostgreSQL by the sink classes in one thread, in batches of
 * 500 records (what one central instance does, without Kafka). Reported, not asserted.
 * <p>
 * Run (after {@code ./mvnw package}): {@code ./mvnw -q -o test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.enphaseetl.bench.KafkaCentralBenchmark -Dexec.args="20 2" -Dservices.skip=true}
 */
public final class KafkaCentralBenchmark {

    static final String INFLUX = "http://127.0.0.1:8086";
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    static final String TOPIC = "enphase.readings";

    public static void main(String[] args) throws Exception {
        int gateways = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<List<Reading>> polls = polls(gateways, hours);
        long readings = polls.stream().mapToLong(List::size).sum();
        System.out.printf("backlog: %d gateways x %d h = %d polls, %d readings%n", gateways, hours, polls.size(),
                readings);
        String run = Long.toString(System.nanoTime(), 36);

        // baseline: straight into InfluxDB and PostgreSQL, one thread, 500 polls per batch
        double baseline = baseline(polls, "kbench" + run + "base");
        System.out.printf("baseline (sink classes, no Kafka): %.0f readings/s%n", baseline);

        try (KafkaCluster kafka = new KafkaCluster(3)) {
            kafka.startAll();
            try (Admin admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 3))).all().get(30, TimeUnit.SECONDS);
            }
            long t0 = System.nanoTime();
            long records = produce(kafka.bootstrapServers(), polls);
            double produceS = (System.nanoTime() - t0) / 1e9;
            System.out.printf("produced %d records (%d readings) in %.1f s: %.0f readings/s%n", records, readings,
                    produceS, readings / produceS);
            System.out.println("| central instances | readings/s | x baseline | x one instance |");
            System.out.println("|---:|---:|---:|---:|");
            double one = 0;
            for (int k = 1; k <= 3; k++) {
                String db = "kbench" + run + "c" + k;
                double rate = central(kafka, k, db, records, readings);
                if (k == 1) {
                    one = rate;
                }
                System.out.printf("| %d | %,.0f | %.2f | %.2f |%n", k, rate, rate / baseline, rate / one);
            }
        }
    }

    static List<List<Reading>> polls(int gateways, int hours) throws Exception {
        List<List<Reading>> polls = new ArrayList<>();
        Instant start = Instant.parse("2024-06-21T06:00:00Z");
        List<Endpoint> minutely = List.of(Endpoint.PRODUCTION_JSON, Endpoint.API_V1_PRODUCTION,
                Endpoint.IVP_METERS_READINGS, Endpoint.IVP_PDM_ENERGY);
        for (int g = 0; g < gateways; g++) {
            String serial = String.format("2024%08d", g + 1);
            SimulatedGateway gw = new SimulatedGateway(serial, 7 + g, 20, 2);
            DefaultPayloadParser parser = new DefaultPayloadParser();
            GatewayState state = new GatewayState();
            for (Endpoint e : List.of(Endpoint.INFO, Endpoint.IVP_METERS)) {
                parser.parse(serial, e, 200, gw.body(e, start), state);
            }
            for (int minute = 0; minute < hours * 60; minute++) {
                Instant now = start.plus(Duration.ofMinutes(minute));
                List<Endpoint> due = new ArrayList<>(minutely);
                if (minute % 5 == 0) {
                    due.add(Endpoint.API_V1_PRODUCTION_INVERTERS);
                }
                for (Endpoint e : due) {
                    try {
                        List<Reading> r = parser.parse(serial, e, 200, gw.body(e, now), state);
                        if (!r.isEmpty()) {
                            polls.add(r);
                        }
                    } catch (Exception notAvailable) {
                        // endpoints the simulated firmware does not fill
                    }
                }
            }
        }
        return polls;
    }

    static double baseline(List<List<Reading>> polls, String db) throws Exception {
        createPg(db);
        long readings = 0;
        long t0 = System.nanoTime();
        try (InfluxSink influx = new InfluxSink(InfluxSinkConfig.of(INFLUX, db).withCreateDatabase(true));
                JdbcSink jdbc = new JdbcSink(new JdbcSinkConfig(PG + db, "postgres", null))) {
            for (int i = 0; i < polls.size(); i += 500) {
                List<Reading> batch = new ArrayList<>();
                polls.subList(i, Math.min(polls.size(), i + 500)).forEach(batch::addAll);
                influx.deliver(batch);
                jdbc.deliver(batch);
                readings += batch.size();
            }
        }
        return readings / ((System.nanoTime() - t0) / 1e9);
    }

    static long produce(String servers, List<List<Reading>> polls) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long n = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (List<Reading> poll : polls) {
                for (ReadingRecords.Record r : ReadingRecords.records(poll)) {
                    ProducerRecord<String, byte[]> rec = new ProducerRecord<>(TOPIC, r.key(), r.value());
                    rec.headers().add(new RecordHeader(ReadingRecords.SCHEMA_HEADER,
                            ReadingRecords.SCHEMA_VERSION.getBytes()));
                    sent.add(producer.send(rec));
                    n++;
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }
        return n;
    }

    static double central(KafkaCluster kafka, int instances, String db, long records, long readings)
            throws Exception {
        createPg(db);
        String group = "bench-" + db;
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kbench-");
        List<Process> started = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                Map<String, String> m = new TreeMap<>();
                m.put("enphase.role", "central");
                m.put("enphase.data-dir", dir.resolve("c" + i).toString());
                m.put("enphase.kafka.bootstrap-servers", kafka.bootstrapServers());
                m.put("enphase.kafka.group-id", group);
                m.put("enphase.sink.influxdb.url", INFLUX);
                m.put("enphase.sink.influxdb.database", db);
                m.put("enphase.sink.jdbc.url", PG + db);
                m.put("enphase.sink.jdbc.user", "postgres");
                m.put("enphase.sink.lineprotocol.enabled", "false");
                m.put("enphase.sink.csv.enabled", "false");
                m.put("enphase.ledger.enabled", "false");
                m.put("quarkus.http.port", "0");
                m.put("quarkus.http.host", "127.0.0.1");
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx384m"));
                m.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
                cmd.add("-jar");
                cmd.add(JAR.toString());
                Files.createDirectories(dir.resolve("c" + i));
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.resolve("c" + i).toFile())
                        .redirectErrorStream(true).redirectOutput(Redirect.appendTo(dir.resolve("c" + i + ".log")
                                .toFile()));
                pb.environment().keySet().removeIf(k -> k.startsWith("ENPHASE_"));
                pb.environment().put("ENPHASE_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
                started.add(pb.start());
            }
            long first = 0;
            long firstAt = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
            while (System.nanoTime() < deadline) {
                long c = committed(kafka, group);
                if (firstAt == 0 && c > 0) {
                    first = c;
                    firstAt = System.nanoTime();
                }
                if (c >= records) {
                    double s = (System.nanoTime() - firstAt) / 1e9;
                    return readings * ((double) (records - first) / records) / s;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("central instances did not finish; logs in " + dir);
        } finally {
            for (Process p : started) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static long committed(KafkaCluster kafka, String group) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return m.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    static void createPg(String db) throws Exception {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
    }

    static {
        OffsetSpec.latest(); // keep the admin API classes on the benchmark's class path
    }
}
