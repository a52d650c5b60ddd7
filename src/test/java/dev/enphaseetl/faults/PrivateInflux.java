package dev.enphaseetl.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A private InfluxDB 1.x ({@code /usr/bin/influxd}) in a temporary directory on free loopback ports, so that fault
 * tests can stop, kill and start it without touching the shared server on 8086. Data survives stop/start.
 */
public final class PrivateInflux implements AutoCloseable {

    private static final Path BINARY = Path.of(System.getProperty("enphase.it.influxd", "/usr/bin/influxd"));

    private final Path dir;
    private final int httpPort;
    private final int bindPort;
    private Process process;

    public PrivateInflux() throws IOException {
        this(freePort());
    }

    /** On a given HTTP port (chosen earlier, e.g. to configure an application before the server runs). */
    public PrivateInflux(int httpPort) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("influxd not found at " + BINARY + " (set -Denphase.it.influxd)");
        }
        this.dir = Files.createTempDirectory("private-influx-");
        this.httpPort = httpPort;
        this.bindPort = freePort();
        String conf = """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [http]
                  enabled = true
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                [monitor]
                  store-enabled = false
                [continuous_queries]
                  enabled = false
                """.formatted(bindPort, dir, dir, dir, httpPort);
        Files.writeString(dir.resolve("influxdb.conf"), conf);
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public Path directory() {
        return dir;
    }

    /** Starts influxd and waits (at most 30 s) until /ping answers. */
    public synchronized PrivateInflux start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return this;
        }
        process = new ProcessBuilder(BINARY.toString(), "-config", dir.resolve("influxdb.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("influxd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("private influxd exited with " + process.exitValue() + "; log: "
                        + Files.readString(dir.resolve("influxd.log")));
            }
            if (ping()) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("private influxd did not answer /ping on " + url() + " within 30 s; log: "
                + Files.readString(dir.resolve("influxd.log")));
    }

    /** Stops influxd gracefully (SIGTERM), waiting at most 15 s, then kills it. */
    public synchronized void stop() throws InterruptedException {
        halt(false);
    }

    /** Kills influxd (SIGKILL). */
    public synchronized void kill() throws InterruptedException {
        halt(true);
    }

    private void halt(boolean force) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("private influxd (pid " + process.pid() + ") did not end");
            }
        }
    }

    public boolean ping() {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 204;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs an InfluxQL statement (POST /query); returns the JSON answer. */
    public String query(String db, String q) throws IOException, InterruptedException {
        String uri = url() + "/query?epoch=s" + (db == null ? "" : "&db=" + db);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("query " + q + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Writes line protocol with second precision; returns the HTTP status. */
    public int write(String db, String lines) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/write?precision=s&db=" + db))
                .POST(HttpRequest.BodyPublishers.ofString(lines)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Override
    public void close() throws Exception {
        kill();
        FaultFiles.deleteTree(dir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
