package dev.enphaseetl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.model.Schema;
import dev.enphaseetl.render.LineProtocol;
import dev.enphaseetl.sink.influx.InfluxSink;
import dev.enphaseetl.sink.influx.InfluxSinkConfig;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;
import dev.enphaseetl.sink.jdbc.SqlTable;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;
import dev.enphaseetl.spool.SpoolEntries;

/**
 * Drain rate of a spool backlog into InfluxDB, PostgreSQL and SQLite, each next to its baseline measured in the same
 * run on the same data: {@code curl} of the same lines in 5,000-line batches to InfluxDB, {@code psql \copy} of the
 * same rows into identical tables (migrated by the pipeline's own Flyway migrations). The backlog is written by the
 * real {@link Spool} (one entry of 10 readings per poll, as one gateway's poll gives), and drained by the steps the
 * sink routes run ({@code spoolEntries.take}, the sink's delivery, {@code spoolEntries.remove}: batches of
 * {@code enphase.sink.batch.max-points} / InfluxDB's batch-size, 5,000 readings, one write or transaction each).
 * The Camel route around those steps adds one exchange per batch, not per entry.
 *
 * <p>
 * Run (InfluxDB on 127.0.0.1:8086 and PostgreSQL on 127.0.0.1:5432, user postgres, as .ci/services.sh starts them;
 * {@code curl} and {@code psql} on the PATH): {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.enphaseetl.bench.DrainBenchmark -Dexec.args=100000} (the argument: readings in the backlog).
 */
public final class DrainBenchmark {

    static final String INFLUX = "http://127.0.0.1:8086";
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final int BATCH = 5000;

    private DrainBenchmark() {}

    public static void main(String[] args) throws Exception {
        int readings = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("enphase-drain");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String influxDb = "drain_" + suffix;
        String curlDb = "drain_curl_" + suffix;
        String pgDb = "drain_" + suffix;
        String copyDb = "drain_copy_" + suffix;
        try {
            run(readings, dir, influxDb, curlDb, pgDb, copyDb);
        } finally {
            influxQuery("DROP DATABASE " + influxDb);
            influxQuery("DROP DATABASE " + influxDb + "_plain");
            influxQuery("DROP DATABASE " + influxDb + "_warmup");
            influxQuery("DROP DATABASE " + curlDb);
            pgAdmin("DROP DATABASE IF EXISTS " + pgDb + " WITH (FORCE)");
            pgAdmin("DROP DATABASE IF EXISTS " + copyDb + " WITH (FORCE)");
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void run(int readings, Path dir, String influxDb, String curlDb, String pgDb, String copyDb)
            throws Exception {
        List<List<Reading>> entries = backlog(readings);
        int total = entries.stream().mapToInt(List::size).sum();
        List<String> sinks = List.of("influxdb", "influxdb-plain", "postgresql", "sqlite");
        Spool spool = new Spool(dir.resolve("spool"), SinkSwitches.of(sinks));
        long t0 = System.nanoTime();
        for (List<Reading> e : entries) {
            spool.offer(e);
        }
        double spoolSeconds = seconds(t0);
        System.out.printf("backlog: %,d readings in %,d spool entries for %s, spooled at %,.0f readings/s%n", total,
                entries.size(), sinks, total / spoolSeconds);

        // warm-up (not measured): the JIT compiles reading, decoding and rendering before the first figure, as in a
        // pipeline that has been running; otherwise the first sink drained pays for it
        System.out.println("warm-up, not measured:");
        Spool warmup = new Spool(dir.resolve("warmup"), SinkSwitches.of(List.of("influxdb")));
        for (List<Reading> e : backlog(Math.min(20_000, readings))) {
            warmup.offer(e);
        }
        try (InfluxSink sink = new InfluxSink(new InfluxSinkConfig(INFLUX, influxDb + "_warmup", null, null, null,
                null, BATCH, true, true, Duration.ofSeconds(5), Duration.ofSeconds(60)))) {
            drain(warmup.root(), "influxdb", sink::deliver);
        }

        // InfluxDB: the pipeline with gzip=true, then without, then curl of the same lines in 5,000-line batches
        // into a database of its own
        double influx;
        try (InfluxSink sink = new InfluxSink(new InfluxSinkConfig(INFLUX, influxDb, null, null, null, null, BATCH,
                true, true, Duration.ofSeconds(5), Duration.ofSeconds(60)))) {
            influx = drain(spool.root(), "influxdb", sink::deliver);
        }
        // the same without gzip (enphase.sink.influxdb.gzip=false, the default), into a database of its own
        double influxPlain;
        try (InfluxSink sink = new InfluxSink(new InfluxSinkConfig(INFLUX, influxDb + "_plain", null, null, null,
                null, BATCH, false, true, Duration.ofSeconds(5), Duration.ofSeconds(60)))) {
            influxPlain = drain(spool.root(), "influxdb-plain", sink::deliver);
        }
        influxQuery("CREATE DATABASE " + curlDb);
        List<Path> files = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        entries.forEach(e -> e.forEach(r -> lines.add(LineProtocol.render(r))));
        for (int from = 0; from < lines.size(); from += BATCH) {
            Path f = dir.resolve("lines-" + from + ".lp");
            Files.write(f, lines.subList(from, Math.min(lines.size(), from + BATCH)), StandardCharsets.UTF_8);
            files.add(f);
        }
        t0 = System.nanoTime();
        for (Path f : files) {
            exec("curl", "-sf", "-XPOST", INFLUX + "/write?db=" + curlDb + "&precision=s", "--data-binary",
                    "@" + f);
        }
        double curl = seconds(t0);

        // PostgreSQL: the pipeline, then psql \copy of the same rows into identical tables of another database
        pgAdmin("CREATE DATABASE " + pgDb);
        pgAdmin("CREATE DATABASE " + copyDb);
        double pg;
        try (JdbcSink sink = new JdbcSink(new JdbcSinkConfig(PG + pgDb, "postgres", null))) {
            sink.migrate();
            pg = drain(spool.root(), "postgresql", sink::deliver);
        }
        try (JdbcSink copy = new JdbcSink(new JdbcSinkConfig(PG + copyDb, "postgres", null))) {
            copy.migrate();
        }
        Map<String, Path> copyFiles = copyFiles(entries, dir);
        t0 = System.nanoTime();
        for (Map.Entry<String, Path> f : copyFiles.entrySet()) {
            SqlTable table = SqlTable.of(Schema.find(f.getKey()).orElseThrow());
            exec("psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", copyDb, "-v", "ON_ERROR_STOP=1", "-c",
                    "\\copy " + table.name() + " (" + String.join(", ", table.columns()) + ") FROM '" + f.getValue()
                            + "'");
        }
        double psql = seconds(t0);
        long pgRows = count(PG + pgDb);
        long copyRows = count(PG + copyDb);

        // SQLite: the pipeline (no baseline: the target is absolute)
        double sqlite;
        try (JdbcSink sink = new JdbcSink(JdbcSinkConfig.sqlite(dir.resolve("sqlite")))) {
            sink.migrate();
            sqlite = drain(spool.root(), "sqlite", sink::deliver);
        }

        System.out.printf("%nDrain of %,d readings (rows: PostgreSQL %,d, \\copy %,d), batches of %,d readings%n",
                total, pgRows, copyRows, BATCH);
        System.out.printf("%-11s %14s %-28s %14s %7s %s%n", "sink", "readings/s", "baseline (same run)",
                "baseline/s", "ratio", "target");
        System.out.printf("%-11s %,14.0f %-28s %,14.0f %7.2f %s%n", "InfluxDB", total / influxPlain,
                "curl, 5,000-line batches", total / curl, curl / influxPlain, ">= 0.5");
        System.out.printf("%-11s %,14.0f %-28s %,14.0f %7.2f %s%n", "  gzip=true", total / influx,
                "curl, 5,000-line batches", total / curl, curl / influx, "(not the default)");
        System.out.printf("%-11s %,14.0f %-28s %,14.0f %7.2f %s%n", "PostgreSQL", pgRows / pg, "psql \\copy",
                copyRows / psql, (pgRows / pg) / (copyRows / psql), ">= 0.3");
        System.out.printf("%-11s %,14.0f %-28s %14s %7s %s%n", "SQLite", total / sqlite, "-", "-", "-",
                ">= 10,000 readings/s");
    }

    /**
     * Drains one sink's spool directory as routes/30 does: take a batch, deliver it, delete its entries, until none
     * waits. Returns the seconds taken.
     */
    static double drain(Path spoolRoot, String sink, Consumer<List<Reading>> deliver) throws Exception {
        SpoolEntries spoolEntries = new SpoolEntries(spoolRoot);
        try (DefaultCamelContext camel = new DefaultCamelContext(); AutoCloseable deleter = spoolEntries::close) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getIn().setHeader("sink", sink);
            exchange.setProperty(SpoolEntries.BATCH_POINTS, BATCH);
            long t0 = System.nanoTime();
            long[] phases = new long[3];
            long t = System.nanoTime();
            List<Reading> batch = spoolEntries.take(exchange);
            phases[0] += System.nanoTime() - t;
            while (spoolEntries.waiting(exchange)) {
                t = System.nanoTime();
                deliver.accept(batch);
                phases[1] += System.nanoTime() - t;
                t = System.nanoTime();
                spoolEntries.remove(exchange);
                phases[2] += System.nanoTime() - t;
                t = System.nanoTime();
                batch = spoolEntries.take(exchange);
                phases[0] += System.nanoTime() - t;
            }
            double total = seconds(t0);
            System.out.printf("  %s: %.2f s = read and decode entries %.2f s, deliver %.2f s, delete entries %.2f s%n",
                    sink, total, phases[0] / 1e9, phases[1] / 1e9, phases[2] / 1e9);
            return total;
        }
    }

    /**
     * Entries as one gateway's polls give them, 10 readings each (system, a meter, 8 inverters), every key distinct.
     */
    static List<List<Reading>> backlog(int readings) {
        List<List<Reading>> entries = new ArrayList<>();
        long start = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond();
        for (int e = 0; e * 10 < readings; e++) {
            long t = start + e;
            List<Reading> entry = new ArrayList<>();
            entry.add(Reading.of("system", t).tag("gateway", "122300000001").field("production_w", 1000.0 + e % 97)
                    .field("consumption_w", 400.0 + e % 13).field("net_w", -600.0 + e % 7).build());
            entry.add(Reading.of("meter", t).tag("gateway", "122300000001").tag("eid", "704643328")
                    .tag("type", "production").tag("phase", "total").field("active_power_w", 1000.0 + e % 97)
                    .field("voltage_v", 230.1).field("current_a", 4.35).field("energy_delivered_wh", 1.0e6 + e)
                    .build());
            for (int i = 0; i < 8; i++) {
                entry.add(Reading.of("inverter", t).tag("gateway", "122300000001").tag("serial", "48210000000" + i)
                        .tag("dev_type", "1").field("watts", 120.0 + (e + i) % 50).field("max_watts", 295.0)
                        .build());
            }
            entries.add(entry);
        }
        return entries;
    }

    /** The rows of each table in COPY text format, the columns the pipeline writes. */
    static Map<String, Path> copyFiles(List<List<Reading>> entries, Path dir) throws IOException {
        Map<String, StringBuilder> byTable = new LinkedHashMap<>();
        for (List<Reading> entry : entries) {
            for (Reading r : entry) {
                SqlTable table = SqlTable.of(Schema.find(r.measurement()).orElseThrow());
                StringBuilder sb = byTable.computeIfAbsent(table.name(), k -> new StringBuilder());
                for (String tag : table.tagColumns()) {
                    sb.append(r.tag(tag) == null ? "" : r.tag(tag)).append('\t');
                }
                String iso = Instant.ofEpochSecond(r.time()).toString();
                sb.append(r.time()).append('\t').append(iso).append('\t').append(iso);
                for (String field : table.fieldColumns()) {
                    Double v = r.field(field);
                    sb.append('\t').append(v == null ? "\\N" : v.toString());
                }
                sb.append('\n');
            }
        }
        Map<String, Path> out = new LinkedHashMap<>();
        for (Map.Entry<String, StringBuilder> e : byTable.entrySet()) {
            Path f = dir.resolve("copy-" + e.getKey() + ".tsv");
            Files.writeString(f, e.getValue());
            out.put(e.getKey(), f);
        }
        return out;
    }

    static long count(String url) throws Exception {
        long rows = 0;
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            for (String t : List.of("system", "meter", "inverter")) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
        }
        return rows;
    }

    static void pgAdmin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "");
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static void influxQuery(String q) throws Exception {
        exec("curl", "-sf", "-XPOST", INFLUX + "/query", "--data-urlencode", "q=" + q);
    }

    static void exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command).substring(0, 80) + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
