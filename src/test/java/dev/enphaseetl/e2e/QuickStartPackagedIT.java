package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.enphaseetl.sink.ItSupport;

/**
 * The README's quick start: {@code java -jar target/quarkus-app/quarkus-run.jar} from a directory that holds
 * {@code routes/}, with no configuration at all, polls the built-in simulator and fills {@code ./data} with what the
 * README lists: line protocol files, CSV files per measurement, the SQLite database, and the daily ledger (first
 * computed 60 s after start). Only the HTTP port is moved off 8080 (other processes on this machine may hold it), and
 * the ledger period is shortened from 15 min to 10 s: at its first computation (60 s after start) the simulator has
 * given one {@code system} reading, which in one run made no ledger row yet, and the next default computation would
 * be 15 minutes later.
 * <p>
 * Run by maven-failsafe-plugin after {@code package} ({@code *PackagedIT}); there a missing jar fails the test unless
 * {@code -Denphase.it.skip} is set. Run any other way it is skipped when the jar is missing.
 */
class QuickStartPackagedIT {

    static final String JAR_PROPERTY = "enphase.it.app-jar";
    static final boolean UNDER_VERIFY = System.getProperty(JAR_PROPERTY) != null;
    static final Path JAR = Path.of(System.getProperty(JAR_PROPERTY, "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath();
    static final Path ROUTES = Path.of("routes").toAbsolutePath();

    private Process app;

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void theQuickStartFillsDataWithFilesDatabaseAndLedger() throws Exception {
        if (ItSupport.skipRequested()) {
            Assumptions.abort("enphase.it.skip is set: skipping the quick start test of the packaged application");
        }
        require(Files.isRegularFile(JAR), "the packaged application " + JAR + " is missing (run ./mvnw package)");
        Path work = Path.of("target", "quickstart-" + Long.toString(System.nanoTime(), 36)).toAbsolutePath();
        copyRoutes(work.resolve("routes"));
        int port = freePort();
        Path log = work.resolve("app.log");

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(Redirect.to(log.toFile()));
        // no configuration: a caller's ENPHASE_* (a gateway) would switch the simulator off
        pb.environment().keySet().removeIf(k -> k.startsWith("ENPHASE_") || k.startsWith("QUARKUS_"));
        pb.environment().put("ENPHASE_HTTP_PORT", Integer.toString(port));
        pb.environment().put("ENPHASE_LEDGER_PERIOD", "10s");
        app = pb.start();

        Path data = work.resolve("data");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            alive(log);
            return nonEmptyFiles(data.resolve("lineprotocol"), ".lp") > 0
                    && nonEmptyFiles(data.resolve("csv").resolve("system"), ".csv") > 0
                    && sqliteRows(data.resolve("enphase.db"), "system") > 0;
        });
        List<String> lp = Files.readAllLines(only(data.resolve("lineprotocol"), ".lp"));
        assertThat(lp).as("line protocol file enphase-YYYY-MM-DD.lp").anyMatch(l -> l.startsWith("system,gateway="));
        assertThat(only(data.resolve("lineprotocol"), ".lp").getFileName().toString())
                .matches("enphase-\\d{4}-\\d{2}-\\d{2}\\.lp");
        Path csv = only(data.resolve("csv").resolve("system"), ".csv");
        assertThat(csv.getFileName().toString()).matches("system-\\d{4}-\\d{2}-\\d{2}\\.csv");
        assertThat(Files.readAllLines(csv).get(0)).startsWith("time,local_time,epoch_s,gateway,");

        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as("readiness: %s", ready.body()).isEqualTo(200);

        // the ledger: first computed 60 s after start, then (here) every 10 s
        Path ledgerDir = data.resolve("ledger");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            alive(log);
            return nonEmptyFiles(ledgerDir, ".csv") > 0 && sqliteRows(data.resolve("enphase.db"), "daily_ledger") > 0;
        });
        Path ledger = only(ledgerDir, ".csv");
        assertThat(ledger.getFileName().toString()).matches("ledger-\\d{4}\\.csv");
        List<String> rows = Files.readAllLines(ledger);
        assertThat(rows.get(0)).startsWith("gateway,day,day_start_utc,day_start_local,zone,produced_kwh");
        assertThat(rows).as("a ledger row besides the header").hasSizeGreaterThan(1);
    }

    private static void copyRoutes(Path target) throws IOException {
        require(Files.isDirectory(ROUTES), "the routes directory " + ROUTES + " is missing");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long nonEmptyFiles(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).filter(p -> {
                try {
                    return Files.size(p) > 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).count();
        }
    }

    private static Path only(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
            assertThat(found).as("files *%s in %s", suffix, dir).isNotEmpty();
            return found.get(found.size() - 1);
        }
    }

    private static long sqliteRows(Path db, String table) {
        if (!Files.isRegularFile(db)) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (Exception e) {
            return 0; // not created yet, or locked by the application: ask again
        }
    }

    private void alive(Path log) throws IOException {
        if (!app.isAlive()) {
            List<String> all = Files.readAllLines(log);
            fail("the application exited with " + app.exitValue() + "; end of its log:\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size())));
        }
    }

    /** Under verify a missing prerequisite is a failure; anywhere else the test is skipped. */
    private static void require(boolean ok, String what) {
        if (ok) {
            return;
        }
        if (UNDER_VERIFY) {
            fail(what + " (set -Denphase.it.skip to skip integration tests)");
        }
        Assumptions.abort(what);
    }
}
