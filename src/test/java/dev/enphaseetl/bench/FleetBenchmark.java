package dev.enphaseetl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fleet polling (issue #13): the packaged distribution, started by its own launcher with its default JVM settings and
 * default poll settings, polls N simulated gateways, each at a loopback address of its own (127.1.x.y) and each
 * answering after a set latency; the simulator runs in a process of its own ({@code enphase-etl simulate}). After a
 * warm-up (the first round of every endpoint at start), it reads the pipeline's own counters over a window and prints
 * per N: polls due and of them lost, polls answered in the window, p50/p99 lateness of a poll's start after its tick,
 * RSS and CPU of the pipeline and of the simulator.
 *
 * <p>
 * The pipeline delivers to line protocol files, InfluxDB (127.0.0.1:8086, a database of its own per run) and
 * PostgreSQL (127.0.0.1:5432, user postgres, a database of its own per run), as .ci/services.sh starts them; CSV files
 * and the ledger are off. Per sink it prints the readings confirmed in the window and the spool depth (entries
 * waiting) at the start and end of the window and at most: a flat backlog ends about where it started. Then, in the
 * same run, {@link DrainBenchmark} drains a backlog of 100,000 readings into each sink next to {@code curl} and
 * {@code psql \copy} of the same data ({@code fleet-bench-drain=N} readings, 0 skips it).
 *
 * <p>
 * Arguments: gateway counts (comma separated), latency in ms, warm-up seconds, window seconds, and optionally the
 * sinks: {@code all} (default) or {@code lineprotocol} (polling alone, as before). Needs {@code ./mvnw package
 * -DskipTests} first (it runs {@code target/enphase-etl-*.tar.gz}); {@code curl} and {@code psql} on the PATH.
 */
public final class FleetBenchmark {

    private FleetBenchmark() {}

    public static void main(String[] args) throws Exception {
        String counts = args.length > 0 ? args[0] : "1000,5000";
        long latency = args.length > 1 ? Long.parseLong(args[1]) : 500;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 150;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        boolean allSinks = args.length <= 4 || !"lineprotocol".equals(args[4]);
        Path work = Files.createTempDirectory("fleet-bench");
        Path home = BenchProcesses.unpackDistribution(work);
        List<String> rows = new ArrayList<>();
        for (String c : counts.split(",")) {
            rows.add(measure(home, work, Integer.parseInt(c.trim()), latency, warmup, window, allSinks));
        }
        System.out.println();
        // a fleet's polls are spread over the period: a tick counts every gateway's poll as due at once, and each
        // starts at its phase, so the polls answered in the window differ from those due in it by up to a period's
        // worth either way; a poll is lost only when its gateway's previous poll of that endpoint was still running
        System.out
                .println("| gateways | polls due, of them lost (achieved) | answered in the window | p50 / p99 lateness"
                        + " | pipeline CPU, RSS max (end) | simulator CPU, RSS max |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.println("(latency " + latency + " ms, warm-up " + warmup + " s, window " + window + " s; java "
                + System.getProperty("java.version") + "; sinks " + (allSinks
                        ? "lineprotocol, influxdb, jdbc (PostgreSQL)"
                        : "lineprotocol")
                + "; load average at end " + Files.readString(Path.of("/proc/loadavg")).trim() + ")");
        int drain = Integer.getInteger("fleet-bench-drain", 100_000);
        if (allSinks && drain > 0) {
            System.out.println();
            System.out.println("Drain of a backlog, same run:");
            DrainBenchmark.main(new String[]{Integer.toString(drain)});
        }
    }

    private static String measure(Path home, Path work, int gateways, long latency, int warmup, int window,
            boolean allSinks) throws Exception {
        String database = "fleet_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        if (allSinks) {
            DrainBenchmark.pgAdmin("CREATE DATABASE " + database);
        }
        try {
            return measure(home, work, gateways, latency, warmup, window, allSinks ? database : null);
        } finally {
            if (allSinks) {
                DrainBenchmark.influxQuery("DROP DATABASE " + database);
                DrainBenchmark.pgAdmin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private static String measure(Path home, Path work, int gateways, long latency, int warmup, int window,
            String database) throws Exception {
        Path dir = Files.createDirectories(work.resolve("n" + gateways));
        Path list = dir.resolve("gateways.csv");
        String launcher = home.resolve("bin/enphase-etl").toString();
        ProcessBuilder simPb = new ProcessBuilder(launcher, "simulate", "--gateways", Integer.toString(gateways),
                "--address-per-gateway", "--latency", Long.toString(latency), "--https-port", "0", "--http-port", "-1",
                "--write-gateways-file", list.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("simulator.log").toFile());
        // the simulator is load, not the subject: a heap that holds thousands of gateways' models
        simPb.environment().put("JAVA_OPTS", "-Xmx1g -XX:+UseSerialGC");
        // JAVA_OPTS_APPEND of the benchmark's environment is meant for the pipeline (a variant measured), not the load
        simPb.environment().remove("JAVA_OPTS_APPEND");
        Process sim = simPb.start();
        Process pipeline = null;
        try {
            BenchProcesses.waitFor(() -> Files.exists(list) && Files.readString(dir.resolve("simulator.log"))
                    .contains("Gateway list for"), Duration.ofMinutes(3), sim, "the simulator");
            int port = BenchProcesses.freePort();
            ProcessBuilder pb = new ProcessBuilder(launcher).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pipeline.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("ENPHASE_DATA_DIR", dir.resolve("data").toString());
            env.put("ENPHASE_HTTP_PORT", Integer.toString(port));
            env.put("ENPHASE_GATEWAYS_FILE", list.toString());
            env.put("ENPHASE_SINK_CSV_ENABLED", "false");
            if (database == null) {
                env.put("ENPHASE_SINK_JDBC_ENABLED", "false");
            } else {
                env.put("ENPHASE_SINK_INFLUXDB_URL", DrainBenchmark.INFLUX);
                env.put("ENPHASE_SINK_INFLUXDB_DATABASE", database);
                env.put("ENPHASE_SINK_JDBC_URL", DrainBenchmark.PG + database);
                env.put("ENPHASE_SINK_JDBC_USER", "postgres");
            }
            env.put("ENPHASE_LEDGER_ENABLED", "false");
            long started = System.nanoTime();
            pipeline = pb.start();
            Process p = pipeline;
            String metricsUrl = "http://127.0.0.1:" + port + "/q/metrics";
            BenchProcesses.waitFor(() -> BenchProcesses.metrics(metricsUrl) != null, Duration.ofMinutes(3), p,
                    "the pipeline");
            long rssMax = 0;
            long simRssMax = 0;
            long warmEnd = started + Duration.ofSeconds(warmup).toNanos();
            while (System.nanoTime() < warmEnd) {
                Thread.sleep(2000);
                rssMax = Math.max(rssMax, BenchProcesses.rssKb(p.pid()));
            }
            Map<String, Double> m0 = BenchProcesses.metrics(metricsUrl);
            long cpu0 = BenchProcesses.cpuTicks(p.pid());
            long simCpu0 = BenchProcesses.cpuTicks(sim.pid());
            long influxCpu0 = BenchProcesses.cpuTicksOf("influxd");
            long pgCpu0 = BenchProcesses.cpuTicksOf("postgres");
            List<String> sinks = database == null
                    ? List.of("lineprotocol")
                    : List.of("lineprotocol", "influxdb", "jdbc");
            Map<String, Double> depthMax = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            long end = t0 + Duration.ofSeconds(window).toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(5000);
                rssMax = Math.max(rssMax, BenchProcesses.rssKb(p.pid()));
                simRssMax = Math.max(simRssMax, BenchProcesses.rssKb(sim.pid()));
                Map<String, Double> m = BenchProcesses.metrics(metricsUrl);
                for (String sink : sinks) {
                    depthMax.merge(sink, depth(m, sink), Math::max);
                }
            }
            Map<String, Double> m1 = BenchProcesses.metrics(metricsUrl);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (BenchProcesses.cpuTicks(p.pid()) - cpu0) / 100.0 / wall;
            double simCpu = (BenchProcesses.cpuTicks(sim.pid()) - simCpu0) / 100.0 / wall;
            double influxCpu = (BenchProcesses.cpuTicksOf("influxd") - influxCpu0) / 100.0 / wall;
            double pgCpu = (BenchProcesses.cpuTicksOf("postgres") - pgCpu0) / 100.0 / wall;
            System.out.printf("N=%d: servers on the same machine: influxd CPU %.0f %%, postgres CPU %.0f %% (at least);"
                    + " load average %s%n", gateways, 100 * influxCpu, 100 * pgCpu,
                    Files.readString(Path.of("/proc/loadavg")).trim());
            long rssEnd = BenchProcesses.rssKb(p.pid());
            double due = BenchProcesses.sum(m1, "enphase_polls_due_total")
                    - BenchProcesses.sum(m0, "enphase_polls_due_total");
            double lost = BenchProcesses.sum(m1, "enphase_polls_lost_total")
                    - BenchProcesses.sum(m0, "enphase_polls_lost_total");
            double ok = 0;
            for (String outcome : List.of("ok", "rejected", "not_available")) {
                ok += BenchProcesses.sum(m1, "enphase_polls_total", "outcome=\"" + outcome + "\"")
                        - BenchProcesses.sum(m0, "enphase_polls_total", "outcome=\"" + outcome + "\"");
            }
            double failed = BenchProcesses.sum(m1, "enphase_polls_total", "outcome=\"failed\"")
                    - BenchProcesses.sum(m0, "enphase_polls_total", "outcome=\"failed\"");
            double fetches = BenchProcesses.sum(m1, "enphase_poll_duration_seconds_count")
                    - BenchProcesses.sum(m0, "enphase_poll_duration_seconds_count");
            double fetchTime = BenchProcesses.sum(m1, "enphase_poll_duration_seconds_sum")
                    - BenchProcesses.sum(m0, "enphase_poll_duration_seconds_sum");
            System.out.printf("N=%d: mean fetch %.2f s over %.0f fetches (answer latency %d ms)%n", gateways,
                    fetches == 0 ? 0 : fetchTime / fetches, fetches, latency);
            double p50 = BenchProcesses.sum(m1, "enphase_poll_lateness_seconds", "quantile=\"0.5\"");
            double p99 = BenchProcesses.sum(m1, "enphase_poll_lateness_seconds", "quantile=\"0.99\"");
            System.out.printf("N=%d: due %.0f, answered %.0f, failed %.0f, lost %.0f; lateness p50 %.2f s, p99 %.2f s;"
                    + " pipeline CPU %.0f %%, RSS max %d MB, end %d MB; simulator CPU %.0f %%, RSS max %d MB%n",
                    gateways, due, ok, failed, lost, p50, p99, 100 * cpu, rssMax / 1024, rssEnd / 1024, 100 * simCpu,
                    simRssMax / 1024);
            for (String sink : sinks) {
                String label = "sink=\"" + sink + "\"";
                double confirmed = BenchProcesses.sum(m1, "enphase_sink_points_total", label)
                        - BenchProcesses.sum(m0, "enphase_sink_points_total", label);
                System.out.printf("N=%d: sink %s: %,.0f readings confirmed in the window (%,.0f/s); spool depth %,.0f"
                        + " entries at the start, %,.0f at the end, %,.0f at most%n", gateways, sink, confirmed,
                        confirmed / wall, depth(m0, sink), depth(m1, sink),
                        Math.max(depthMax.getOrDefault(sink, 0.0), depth(m1, sink)));
            }
            return String.format(
                    "| %,d | %,.0f, %,.0f lost (%.1f %%) | %,.0f | %.2f s / %.2f s | %.0f %% of a core, %d MB"
                            + " (%d MB) | %.0f %% of a core, %d MB |",
                    gateways, due, lost,
                    due == 0 ? 0 : 100 * (due - lost) / due, ok, p50, p99, 100 * cpu, rssMax / 1024, rssEnd / 1024,
                    100 * simCpu, simRssMax / 1024);
        } finally {
            if (pipeline != null) {
                pipeline.destroy();
                pipeline.waitFor();
            }
            sim.destroy();
            sim.waitFor();
        }
    }

    private static double depth(Map<String, Double> metrics, String sink) {
        return metrics == null ? 0 : BenchProcesses.sum(metrics, "enphase_spool_depth", "sink=\"" + sink + "\"");
    }
}
