package dev.enphaseetl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A single home with the shipped settings (issue #13): the packaged distribution started by its own launcher
 * ({@code bin/enphase-etl}, default JVM options, default configuration but for its one gateway), once per Java given.
 * The gateway is the simulator in a process of its own ({@code enphase-etl simulate}, started once), configured in the
 * working folder's {@code config/application.yaml} with its token and certificate, as a home configures its gateway on
 * the LAN; with {@code -Dsingle-home-bench.builtin=true} the home runs the built-in simulator instead (nothing
 * configured), whose own memory (its TLS server, certificates, models) then counts as the home's. Per Java it prints
 * the time from launch to the first log line and to the first reading on disk (the first line of the line-protocol
 * file), and RSS over the run (at 1 min, at the end, the most, and the growth
 * over the second half, in MB per hour). Baseline in the same run: {@code bin/enphase-etl --version} with the same
 * launcher and Java (the JVM and Quarkus starting, no pipeline).
 *
 * <p>
 * Arguments: seconds to run (default 180; the issue asks about an hour: 3600), then the Java homes to use (default:
 * the Java running the benchmark). Needs {@code ./mvnw package -DskipTests} first.
 */
public final class SingleHomeBenchmark {

    private SingleHomeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 180;
        List<String> javas = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            javas.add(args[i]);
        }
        if (javas.isEmpty()) {
            javas.add(System.getProperty("java.home"));
        }
        Path work = Files.createTempDirectory("single-home-bench");
        Path home = BenchProcesses.unpackDistribution(work);
        boolean builtin = Boolean.getBoolean("single-home-bench.builtin");
        Process simulator = null;
        List<String> rows = new ArrayList<>();
        try {
            String gateway = null;
            if (!builtin) {
                Path list = work.resolve("gateway.csv");
                ProcessBuilder sim = new ProcessBuilder(home.resolve("bin/enphase-etl").toString(), "simulate",
                        "--gateways", "1", "--https-port", "0", "--http-port", "-1", "--write-gateways-file",
                        list.toString()).directory(work.toFile()).redirectErrorStream(true)
                        .redirectOutput(work.resolve("simulator.log").toFile());
                sim.environment().put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
                sim.environment().remove("JAVA_OPTS_APPEND");
                simulator = sim.start();
                Process s = simulator;
                BenchProcesses.waitFor(() -> Files.exists(list) && Files.readString(work.resolve("simulator.log"))
                        .contains("Gateway list for"), Duration.ofMinutes(2), s, "the simulator");
                gateway = gatewayYaml(Files.readAllLines(list));
            }
            for (String java : javas) {
                rows.add(measure(home, work, Path.of(java), seconds, gateway));
            }
        } finally {
            if (simulator != null) {
                simulator.destroy();
                simulator.waitFor();
            }
        }
        System.out.println();
        System.out
                .println("| Java | `--version` (baseline) | launch to first log line | launch to first reading on disk"
                        + " | RSS at 1 min / end / max | RSS growth, second half |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.println("(" + seconds + " s per Java; gateway: " + (builtin
                ? "the built-in simulator"
                : "a simulated gateway in a process of its own") + "; load average at end "
                + Files.readString(Path.of("/proc/loadavg")).trim() + ")");
    }

    /** The configuration of a home's one gateway, from the simulator's gateway list (a header and one row). */
    static String gatewayYaml(List<String> csv) {
        String[] header = csv.get(0).split(",");
        String[] row = csv.get(1).split(",");
        StringBuilder yaml = new StringBuilder("enphase:\n  gateways:\n");
        for (int i = 0; i < header.length; i++) {
            yaml.append(i == 0 ? "    - " : "      ").append(header[i]).append(": \"").append(row[i]).append("\"\n");
        }
        return yaml.toString();
    }

    private static String measure(Path home, Path work, Path javaHome, int seconds, String gateway)
            throws Exception {
        String name = javaHome.getFileName().toString();
        String launcher = home.resolve("bin/enphase-etl").toString();
        Path dir = Files.createDirectories(work.resolve("run-" + name));

        // the baseline: the same launcher and Java doing nothing but start and print the version
        ProcessBuilder version = new ProcessBuilder(launcher, "--version").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("version.log").toFile());
        version.environment().put("JAVA_HOME", javaHome.toString());
        long v0 = System.nanoTime();
        int code = version.start().waitFor();
        double versionSeconds = (System.nanoTime() - v0) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("--version with " + javaHome + " ended with " + code);
        }

        // twice: the first start writes the class data sharing archive on Java 19+ (as a first start after an update
        // does); the second is the everyday start, measured
        Result first = start(launcher, dir.resolve("first"), javaHome, 30, gateway);
        // the everyday start finds the archive where the first start left it (<data dir>/cache)
        Path cache = dir.resolve("first/data/cache");
        if (Files.isDirectory(cache)) {
            Path to = Files.createDirectories(dir.resolve("second/data/cache"));
            try (var files = Files.list(cache)) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        Result r = start(launcher, dir.resolve("second"), javaHome, seconds, gateway);
        System.out.printf("%s: --version %.2f s; first start: first log line %.2f s, first reading %.2f s; second: %.2f"
                + " s, %.2f s; RSS 1 min %d MB, end %d MB, max %d MB, growth %.1f MB/h%n", name, versionSeconds,
                first.firstLog, first.firstReading, r.firstLog, r.firstReading, r.rssMinute / 1024, r.rssEnd / 1024,
                r.rssMax / 1024, r.growthMbPerHour);
        return String.format("| %s | %.2f s | %.2f s (%.1fx) | %.2f s (%.1fx) | %d / %d / %d MB | %+.1f MB/h |", name,
                versionSeconds, r.firstLog, r.firstLog / versionSeconds, r.firstReading,
                r.firstReading / versionSeconds, r.rssMinute / 1024, r.rssEnd / 1024, r.rssMax / 1024,
                r.growthMbPerHour);
    }

    private record Result(double firstLog, double firstReading, long rssMinute, long rssEnd, long rssMax,
            double growthMbPerHour) {}

    private static Result start(String launcher, Path dir, Path javaHome, int seconds, String gateway)
            throws Exception {
        Files.createDirectories(dir);
        if (gateway != null) {
            Files.writeString(Files.createDirectories(dir.resolve("config")).resolve("application.yaml"), gateway);
        }
        Path log = dir.resolve("pipeline.log");
        ProcessBuilder pb = new ProcessBuilder(launcher).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("ENPHASE_DATA_DIR", dir.resolve("data").toString());
        env.put("ENPHASE_HTTP_PORT", Integer.toString(BenchProcesses.freePort()));
        Path lineProtocol = dir.resolve("data/lineprotocol");
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            double firstLog = -1;
            double firstReading = -1;
            long rssMinute = 0;
            long rssMax = 0;
            List<long[]> samples = new ArrayList<>(); // {nanos since start, rss kB}
            long end = t0 + Duration.ofSeconds(seconds).toNanos();
            long nextSample = t0;
            while (System.nanoTime() < end) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the pipeline ended with " + p.exitValue() + ", see " + log);
                }
                long now = System.nanoTime();
                if (firstLog < 0 && Files.size(log) > 0) {
                    firstLog = (now - t0) / 1e9;
                }
                if (firstReading < 0 && hasLine(lineProtocol)) {
                    firstReading = (now - t0) / 1e9;
                }
                if (now >= nextSample) {
                    long rss = BenchProcesses.rssKb(p.pid());
                    samples.add(new long[]{now - t0, rss});
                    rssMax = Math.max(rssMax, rss);
                    if (rssMinute == 0 && now - t0 >= Duration.ofMinutes(1).toNanos()) {
                        rssMinute = rss;
                    }
                    if (samples.size() % 12 == 0) {
                        // one line a minute, so that a run cut short still tells
                        System.out.printf("  %s: %d s after launch, RSS %d MB%n", dir.getFileName(),
                                (now - t0) / 1_000_000_000L, rss / 1024);
                    }
                    nextSample = now + Duration.ofSeconds(5).toNanos();
                }
                Thread.sleep(firstReading < 0 ? 20 : 1000);
            }
            long rssEnd = BenchProcesses.rssKb(p.pid());
            return new Result(firstLog, firstReading, rssMinute, rssEnd, rssMax, growth(samples));
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    /** The least-squares slope of RSS over the second half of the samples, in MB per hour. */
    private static double growth(List<long[]> samples) {
        List<long[]> half = samples.subList(samples.size() / 2, samples.size());
        if (half.size() < 2) {
            return 0;
        }
        double n = half.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (long[] s : half) {
            double x = s[0] / 3.6e12; // hours
            double y = s[1] / 1024.0; // MB
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }

    private static boolean hasLine(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.getFileName().toString().endsWith(".lp")).toList()) {
                if (Files.size(f) > 0 && Files.readString(f).contains("\n")) {
                    return true;
                }
            }
        } catch (java.io.IOException e) {
            return false; // rolled over meanwhile
        }
        return false;
    }
}
