package dev.enphaseetl.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.enphaseetl.sink.jdbc.SqlDialect;

/**
 * A private PostgreSQL cluster in a temporary directory owned by {@code postgres}, on a free port, trust auth, its
 * socket in that directory. Tests run as root, so initdb and pg_ctl run as {@code postgres} via {@code runuser}.
 * The shared server on 5432 is never touched.
 */
public final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;

    public PrivatePostgres() throws IOException, InterruptedException {
        this.bin = findBin();
        this.dir = Files.createTempDirectory("private-pg-");
        this.data = dir.resolve("data");
        this.port = PrivateInflux.freePort();
        run(60, "chown", "postgres:postgres", dir.toString());
        runAsPostgres(120, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--no-sync");
    }

    private PrivatePostgres(Path dir, int port) {
        this.bin = findBin();
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** A handle on a cluster created earlier (e.g. by a test profile in another class loader). */
    public static PrivatePostgres attach(Path dir, int port) {
        return new PrivatePostgres(dir, port);
    }

    public Path directory() {
        return dir;
    }

    private static Path findBin() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Path::compareTo).orElseThrow(() -> new IllegalStateException(
                            "no /usr/lib/postgresql/*/bin/pg_ctl"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL binaries not found under /usr/lib/postgresql", e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Starts the cluster and waits (pg_ctl -w, at most 30 s). */
    public PrivatePostgres start() throws IOException, InterruptedException {
        runAsPostgres(45, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                dir.resolve("pg.log").toString(),
                "-w", "-t", "30", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start");
        return this;
    }

    /** Fast shutdown: open sessions are ended, as when an operator stops the server. */
    public void stop() throws IOException, InterruptedException {
        runAsPostgres(45, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "30",
                "stop");
    }

    /** Immediate shutdown (no checkpoint), the nearest to a crash pg_ctl offers. */
    public void kill() throws IOException, InterruptedException {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            runAsPostgres(45, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                    "-t", "30", "stop");
        }
    }

    public void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
    }

    public Connection connect(String database) throws SQLException {
        SqlDialect.POSTGRESQL.loadDriver();
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
    }

    @Override
    public void close() throws Exception {
        try {
            kill();
        } finally {
            FaultFiles.deleteTree(dir);
        }
    }

    private void runAsPostgres(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(List.of(command));
        run(timeoutSeconds, cmd.toArray(String[]::new));
    }

    private void run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("private-pg-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + timeoutSeconds + " s: " + Files.readString(out));
            }
            if (p.exitValue() != 0) {
                String log = Files.exists(dir.resolve("pg.log")) ? Files.readString(dir.resolve("pg.log")) : "";
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + Files.readString(out) + log);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
