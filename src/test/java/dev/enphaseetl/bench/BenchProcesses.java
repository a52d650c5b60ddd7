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
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmarks that run the packaged distribution share: unpacking {@code target/enphase-etl-*.tar.gz},
 * waiting for a process, reading its Prometheus metrics, its RSS and CPU from {@code /proc}.
 */
final class BenchProcesses {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BenchProcesses() {}

    /** Unpacks the distribution built by {@code ./mvnw package} into {@code work}; returns its home folder. */
    static Path unpackDistribution(Path work) throws Exception {
        Path tarball;
        try (var s = Files.list(Path.of("target"))) {
            tarball = s.filter(p -> p.getFileName().toString().matches("enphase-etl-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/enphase-etl-*.tar.gz: run ./mvnw package"
                            + " -DskipTests first"));
        }
        run(work, "tar", "xzf", tarball.toAbsolutePath().toString(), "-C", work.toString());
        try (var s = Files.list(work)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("enphase-etl"))
                    .findFirst().orElseThrow();
        }
    }

    /** A free TCP port on loopback. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check check, Duration atMost, Process p, String what) throws Exception {
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

    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

    /** The Prometheus samples, keyed by name and labels; null while the endpoint does not answer. */
    static Map<String, Double> metrics(String url) {
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
    static double sum(Map<String, Double> m, String name, String... labels) {
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

    static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }

    /** utime + stime from /proc, in clock ticks (1/100 s on Linux). */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU ticks of every process whose command name ({@code /proc/<pid>/comm}) is {@code name}, e.g. all of
     * PostgreSQL's backends: the servers' share of the machine next to the pipeline's. Processes that end between two
     * readings drop out of the sum, so a difference is a lower bound.
     */
    static long cpuTicksOf(String name) {
        long ticks = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(p.resolve("comm")).trim().equals(name)) {
                        ticks += cpuTicks(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks;
    }

    static long rssKb(long pid) {
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
