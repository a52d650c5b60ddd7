package dev.enphaseetl.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fleet polling (issue #13): the packaged distribution, started by its own launcher with its default JVM settings and
 * default poll settings, polls N simulated gateways, each at a loopback address of its own (127.1.x.y) and each
 * answering after a set latency; the simulator runs in a process of its own ({@code enphase-etl simulate}). After a
 * warm-up (the first round of every endpoint at start), it reads the pipeline's own counters over a window and prints
 * per N: polls achieved / polls due, p50/p99 lateness of a poll's start after its tick, RSS and CPU of the pipeline
 * and of the simulator.
 *
 * <p>
 * Arguments: gateway counts (comma separated), latency in ms, warm-up seconds, window seconds. Needs
 * {@code ./mvnw package -DskipTests} first (it runs {@code target/enphase-etl-*.tar.gz}). The sinks are the line
 * protocol files only (CSV and SQL off): this measures polling; delivery has a benchmark of its own.
 */
public final class FleetBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FleetBenchmark() {}

    public static void main(String[] args) throws Exception {
        String counts = args.length > 0 ? args[0] : "1000,5000";
        long latency = args.length > 1 ? Long.parseLong(args[1]) : 500;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 150;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        Path tarball;
        try (var s = Files.list(Path.of("target"))) {
            tarball = s.filter(p -> p.getFileName().toString().matches("enphase-etl-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/enphase-etl-*.tar.gz: run ./mvnw package"
                            + " -DskipTests first"));
        }
        Path work = Files.createTempDirectory("fleet-bench");
        run(work, "tar", "xzf", tarball.toAbsolutePath().toString(), "-C", work.toString());
        Path home;
        try (var s = Files.list(work)) {
            home = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        List<String> rows = new ArrayList<>();
        for (String c : counts.split(",")) {
            rows.add(measure(home, work, Integer.parseInt(c.trim()), latency, warmup, window));
        }
        System.out.println();
        System.out.println("| gateways | polls achieved / due | p50 / p99 lateness | pipeline CPU, RSS max (end)"
                + " | simulator CPU, RSS max |");
        System.out.println("|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.println("(latency " + latency + " ms, warm-up " + warmup + " s, window " + window + " s; java "
                + System.getProperty("java.version") + "; load average at end " + Files.readString(
                        Path.of("/proc/loadavg")).trim()
                + ")");
    }

    private static String measure(Path home, Path work, int gateways, long latency, int warmup, int window)
            throws Exception {
        Path dir = Files.createDirectories(work.resolve("n" + gateways));
        Path list = dir.resolve("gateways.csv");
        String launcher = home.resolve("bin/enphase-etl").toString();
        ProcessBuilder simPb = new ProcessBuilder(launcher, "simulate", "--gateways", Integer.toString(gateways),
                "--address-per-gateway", "--latency", Long.toString(latency), "--https-port", "0", "--http-port", "-1",
                "--write-gateways-file", list.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("simulator.log").toFile());
        // the simulator is load, not the subject: a heap that holds thousands of gateways' models
        simPb.environment().put("JAVA_OPTS", "-Xmx1g -XX:+UseSerialGC");
        Process sim = simPb.start();
        Process pipeline = null;
        try {
            waitFor(() -> Files.exists(list) && Files.readString(dir.resolve("simulator.log"))
                    .contains("Gateway list for"), Duration.ofMinutes(3), sim, "the simulator");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(launcher).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pipeline.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("ENPHASE_DATA_DIR", dir.resolve("data").toString());
            env.put("ENPHASE_HTTP_PORT", Integer.toString(port));
            env.put("ENPHASE_GATEWAYS_FILE", list.toString());
            env.put("ENPHASE_SINK_CSV_ENABLED", "false");
            env.put("ENPHASE_SINK_JDBC_ENABLED", "false");
            env.put("ENPHASE_LEDGER_ENABLED", "false");
            long started = System.nanoTime();
            pipeline = pb.start();
            Process p = pipeline;
            String metricsUrl = "http://127.0.0.1:" + port + "/q/metrics";
            waitFor(() -> metrics(metricsUrl) != null, Duration.ofMinutes(3), p, "the pipeline");
            long rssMax = 0;
            long simRssMax = 0;
            long warmEnd = started + Duration.ofSeconds(warmup).toNanos();
            while (System.nanoTime() < warmEnd) {
                Thread.sleep(2000);
                rssMax = Math.max(rssMax, rssKb(p.pid()));
            }
            Map<String, Double> m0 = metrics(metricsUrl);
            long cpu0 = cpuTicks(p.pid());
            long simCpu0 = cpuTicks(sim.pid());
            long t0 = System.nanoTime();
            long end = t0 + Duration.ofSeconds(window).toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(5000);
                rssMax = Math.max(rssMax, rssKb(p.pid()));
                simRssMax = Math.max(simRssMax, rssKb(sim.pid()));
            }
            Map<String, Double> m1 = metrics(metricsUrl);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuTicks(p.pid()) - cpu0) / 100.0 / wall;
            double simCpu = (cpuTicks(sim.pid()) - simCpu0) / 100.0 / wall;
            long rssEnd = rssKb(p.pid());
            double due = sum(m1, "enphase_polls_due_total") - sum(m0, "enphase_polls_due_total");
            double lost = sum(m1, "enphase_polls_lost_total") - sum(m0, "enphase_polls_lost_total");
            double ok = 0;
            for (String outcome : List.of("ok", "rejected", "not_available")) {
                ok += sum(m1, "enphase_polls_total", "outcome=\"" + outcome + "\"")
                        - sum(m0, "enphase_polls_total", "outcome=\"" + outcome + "\"");
            }
            double failed = sum(m1, "enphase_polls_total", "outcome=\"failed\"")
                    - sum(m0, "enphase_polls_total", "outcome=\"failed\"");
            double fetches = sum(m1, "enphase_poll_duration_seconds_count")
                    - sum(m0, "enphase_poll_duration_seconds_count");
            double fetchTime = sum(m1, "enphase_poll_duration_seconds_sum")
                    - sum(m0, "enphase_poll_duration_seconds_sum");
            System.out.printf("N=%d: mean fetch %.2f s over %.0f fetches (answer latency %d ms)%n", gateways,
                    fetches == 0 ? 0 : fetchTime / fetches, fetches, latency);
            double p50 = sum(m1, "enphase_poll_lateness_seconds", "quantile=\"0.5\"");
            double p99 = sum(m1, "enphase_poll_lateness_seconds", "quantile=\"0.99\"");
            System.out.printf("N=%d: due %.0f, answered %.0f, failed %.0f, lost %.0f; lateness p50 %.2f s, p99 %.2f s;"
                    + " pipeline CPU %.0f %%, RSS max %d MB, end %d MB; simulator CPU %.0f %%, RSS max %d MB%n",
                    gateways, due, ok, failed, lost, p50, p99, 100 * cpu, rssMax / 1024, rssEnd / 1024, 100 * simCpu,
                    simRssMax / 1024);
            return String.format("| %,d | %,.0f / %,.0f (%.1f %%) | %.2f s / %.2f s | %.0f %% of a core, %d MB (%d MB)"
                    + " | %.0f %% of a core, %d MB |", gateways, ok, due, due == 0 ? 0 : 100 * ok / due, p50, p99,
                    100 * cpu, rssMax / 1024, rssEnd / 1024, 100 * simCpu, simRssMax / 1024);
        } finally {
            if (pipeline != null) {
                pipeline.destroy();
                pipeline.waitFor();
            }
            sim.destroy();
            sim.waitFor();
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, Duration atMost, Process p, String what) throws Exception {
        long end = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException(what + " ended with " + p.exitValue());
            }
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(what + " was not ready within " + atMost);
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

    /** The Prometheus samples, keyed by name and labels; null while the endpoint does not answer. */
    private static Map<String, Double> metrics(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(
                    30)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            Map<String, Double> m = new TreeMap<>();
            for (String line : r.body().split("\n")) {
                Matcher x = SAMPLE.matcher(line);
                if (!line.startsWith("#") && x.find()) {
                    try {
                        m.put(x.group(1) + (x.group(2) == null ? "" : x.group(2)), Double.parseDouble(x.group(3)));
                    } catch (NumberFormatException e) {
                        // NaN and the like
                    }
                }
            }
            return m;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The sum of the samples named {@code name} whose labels hold every one of {@code labels}. */
    private static double sum(Map<String, Double> m, String name, String... labels) {
        double s = 0;
        for (Map.Entry<String, Double> e : m.entrySet()) {
            String k = e.getKey();
            if (!k.equals(name) && !k.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= k.contains(l);
            }
            if (all && !e.getValue().isNaN()) {
                s += e.getValue();
            }
        }
        return s;
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }

    /** utime + stime from /proc, in clock ticks (1/100 s on Linux). */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

}
