package dev.enphaseetl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.DefaultPayloadParser;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.parse.GatewayState;
import dev.enphaseetl.render.LineProtocol;
import dev.enphaseetl.simulator.SimulatedGateway;
import dev.enphaseetl.sink.file.CsvFileSink;
import dev.enphaseetl.sink.file.FileSinkConfig;
import dev.enphaseetl.sink.file.LineProtocolFileSink;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;
import dev.enphaseetl.spool.DurableFiles;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;
import dev.enphaseetl.spool.SpoolCodec;

/**
 * How fast a backlog drains compared with how fast it builds up. It simulates one gateway at the default poll periods
 * for {@code hours} hours (the backlog of an outage), writes each poll's readings as a durable spool entry, then
 * drains the spool into line protocol, CSV and SQLite the way the sink routes do (batches of 5,000 readings: read
 * and decode the entries, deliver, delete them). Figures are printed as ratios to baselines measured in the same run: the ingest rate (readings a gateway
 * produces per second of wall clock at the default periods) and the raw rate of writing the same entries.
 *
 * <p>
 * Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.enphaseetl.bench.ThroughputBenchmark -Dexec.args=6}
 */
public final class ThroughputBenchmark {

    private static final List<Endpoint> MINUTELY = List.of(Endpoint.PRODUCTION_JSON, Endpoint.API_V1_PRODUCTION,
            Endpoint.IVP_METERS_READINGS, Endpoint.IVP_PDM_ENERGY, Endpoint.IVP_LIVEDATA_STATUS,
            Endpoint.IVP_METERS_REPORTS_CONSUMPTION, Endpoint.IVP_ENSEMBLE_SECCTRL);
    private static final List<Endpoint> FIVE_MINUTELY = List.of(Endpoint.API_V1_PRODUCTION_INVERTERS,
            Endpoint.IVP_PDM_DEVICE_DATA, Endpoint.IVP_ENSEMBLE_INVENTORY);

    private ThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        int hours = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        Path dir = Files.createTempDirectory("enphase-bench");
        try {
            run(hours, dir);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void run(int hours, Path dir) throws Exception {
        // 1. the backlog: one gateway, default periods, `hours` hours of polls
        SimulatedGateway gw = new SimulatedGateway("202400000001", 7, 20, 2);
        DefaultPayloadParser parser = new DefaultPayloadParser();
        GatewayState state = new GatewayState();
        Instant start = Instant.parse("2024-06-21T06:00:00Z");
        for (Endpoint e : List.of(Endpoint.INFO, Endpoint.IVP_METERS)) {
            parser.parse("202400000001", e, 200, gw.body(e, start), state);
        }
        List<List<Reading>> polls = new ArrayList<>();
        long parseNanos = 0;
        for (int minute = 0; minute < hours * 60; minute++) {
            Instant now = start.plus(Duration.ofMinutes(minute));
            List<Endpoint> due = new ArrayList<>(MINUTELY);
            if (minute % 5 == 0) {
                due.addAll(FIVE_MINUTELY);
            }
            for (Endpoint e : due) {
                String body = gw.body(e, now);
                long t0 = System.nanoTime();
                try {
                    polls.add(parser.parse("202400000001", e, 200, body, state));
                } catch (Exception notAvailable) {
                    // endpoints the simulated firmware does not fill
                }
                parseNanos += System.nanoTime() - t0;
            }
        }
        long readings = polls.stream().mapToLong(List::size).sum();
        double ingestPerSecond = readings / (hours * 3600.0);

        // 2. baseline: raw durable writes of the same entries
        Path spool = dir.resolve("spool");
        List<byte[]> entries = polls.stream().filter(p -> !p.isEmpty()).map(SpoolCodec::encode).toList();
        long t0 = System.nanoTime();
        int n = 0;
        for (byte[] e : entries) {
            DurableFiles.writeAtomically(dir.resolve(".tmp"), spool.resolve(String.format("%09d.jsonl", n++)), e);
        }
        double spoolSeconds = (System.nanoTime() - t0) / 1e9;

        // 2b. the pipeline's offer for the four built-in sinks (one durable write, four hard links), next to four
        // separate durable writes per entry (how the spool wrote before)
        List<String> four = List.of("lineprotocol", "csv", "influxdb", "jdbc");
        Spool offers = new Spool(dir.resolve("spool-offer"), SinkSwitches.of(four));
        t0 = System.nanoTime();
        for (List<Reading> poll : polls) {
            offers.offer(poll);
        }
        double offerSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        n = 0;
        for (byte[] e : entries) {
            String name = String.format("%09d.jsonl", n++);
            for (String sink : four) {
                DurableFiles.writeAtomically(dir.resolve(".tmp"), dir.resolve("spool-copies").resolve(sink)
                        .resolve(name), e);
            }
        }
        double copiesSeconds = (System.nanoTime() - t0) / 1e9;

        // 3. the catch-up: drain the spool into line protocol, CSV and SQLite like the sink routes
        LineProtocolFileSink lp = new LineProtocolFileSink(FileSinkConfig.lineProtocol(dir));
        CsvFileSink csv = new CsvFileSink(FileSinkConfig.csv(dir));
        double lpSeconds = drain(spool, dir.resolve("spool-lp"), lp::deliver);
        double csvSeconds = drain(spool, dir.resolve("spool-csv"), csv::deliver);
        double sqlSeconds;
        try (JdbcSink sql = new JdbcSink(JdbcSinkConfig.sqlite(dir))) {
            sql.migrate();
            sqlSeconds = drain(spool, dir.resolve("spool-sql"), sql::deliver);
        }
        long lineBytes = polls.stream().flatMap(List::stream).mapToLong(r -> LineProtocol.render(r).length() + 1)
                .sum();

        System.out.printf("backlog: %d h of one gateway at default periods = %d polls, %d readings (%.2f readings/s"
                + " ingest), %.1f MB of line protocol%n", hours, polls.size(), readings, ingestPerSecond,
                lineBytes / 1e6);
        System.out.printf("%-38s %12s %14s %16s%n", "stage", "readings/s", "x ingest rate", "x raw spool write");
        double rawRate = readings / spoolSeconds;
        row("parse (payload -> readings)", readings / (parseNanos / 1e9), ingestPerSecond, rawRate);
        row("spool write (fsync + rename)", rawRate, ingestPerSecond, rawRate);
        row("spool offer, 4 sinks (write + links)", readings / offerSeconds, ingestPerSecond, rawRate);
        row("4 separate writes per entry (before)", readings / copiesSeconds, ingestPerSecond, rawRate);
        row("drain -> line protocol files", readings / lpSeconds, ingestPerSecond, rawRate);
        row("drain -> CSV files", readings / csvSeconds, ingestPerSecond, rawRate);
        row("drain -> SQLite (upserts)", readings / sqlSeconds, ingestPerSecond, rawRate);
        System.out.println("Catching up needs every drain row at 5x ingest or more.");
    }

    private static void row(String stage, double rate, double ingest, double raw) {
        System.out.printf("%-38s %12.0f %14.0f %16.2f%n", stage, rate, rate / ingest, rate / raw);
    }

    /**
     * Copies the spool, then drains it as the sink routes do (batches of 5,000 readings: read and decode the entries,
     * deliver, delete them; {@link DrainBenchmark#drain}); returns the seconds taken.
     */
    private static double drain(Path spool, Path copy, Consumer<List<Reading>> sink)
            throws Exception {
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(spool)) {
            for (Path p : files.toList()) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        return DrainBenchmark.drain(copy.getParent(), copy.getFileName().toString(), sink);
    }

}
