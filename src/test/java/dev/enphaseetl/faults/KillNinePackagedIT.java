package dev.enphaseetl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.enphaseetl.e2e.LineProtocolLines;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.render.LineProtocol;
import dev.enphaseetl.sink.ItSupport;
import dev.enphaseetl.spool.SpoolCodec;

/**
 * The packaged application ({@code java -jar target/quarkus-app/quarkus-run.jar}) killed with {@code kill -9} during
 * an InfluxDB outage and restarted: every point arrives.
 * <p>
 * A private influxd (stopped: the outage) and the real application polling its built-in simulator, in its own data
 * directory. Once several polls are spooled for InfluxDB and written to the line protocol files, the application is
 * killed with SIGKILL. InfluxDB is started and the application is started again on the same data directory with
 * every poll switched off, until its spools are drained: InfluxDB must then hold exactly the distinct points of the
 * line protocol files with equal values, among them every point written before the kill and every reading that was
 * in the InfluxDB spool at the kill. (Without polls nothing new can stand in for a lost point: the simulator reports
 * the same minute's values on every poll of that minute.) Then it polls a few more cycles, is stopped with SIGTERM,
 * a start without polls drains the rest, and InfluxDB and the files are compared again.
 * <p>
 * Run by maven-failsafe-plugin after {@code package} ({@code *PackagedIT}, excluded from surefire): there a missing
 * jar or influxd fails the test unless {@code -Denphase.it.skip} is set. Run any other way (an IDE, surefire) it is
 * skipped when they are missing, and it tests whatever jar was packaged last.
 */
class KillNinePackagedIT {

    /** Set by the failsafe configuration in pom.xml; its presence means "run by verify". */
    static final String JAR_PROPERTY = "enphase.it.app-jar";
    static final boolean UNDER_VERIFY = System.getProperty(JAR_PROPERTY) != null;
    static final Path JAR = Path.of(System.getProperty(JAR_PROPERTY, "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath();
    static final Path ROUTES = Path.of("routes").toAbsolutePath();
    static final String DB = "killnine";

    private final List<Process> started = new ArrayList<>();

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyPointArrivesAfterKillNineDuringAnOutage() throws Exception {
        if (ItSupport.skipRequested()) {
            Assumptions.abort("enphase.it.skip is set: skipping the kill -9 test of the packaged application");
        }
        require(Files.isRegularFile(JAR), "the packaged application " + JAR + " is missing (run ./mvnw package)");
        require(Files.isDirectory(ROUTES), "the routes directory " + ROUTES + " is missing");
        PrivateInflux created;
        try {
            created = new PrivateInflux(); // not started: InfluxDB is down from the first poll on
        } catch (IllegalStateException e) {
            require(false, e.getMessage());
            return;
        }
        long t0 = System.nanoTime();
        Path data = FaultEnv.dataDir("killnine");
        Files.createDirectories(data);
        Path influxSpool = data.resolve("spool").resolve("influxdb");
        Path lpSpool = data.resolve("spool").resolve("lineprotocol");
        boolean passed = false;
        try (PrivateInflux influx = created) {
            Map<String, String> config = config(data, influx);

            // 1. the outage: polls are spooled for InfluxDB, the line protocol files grow; then kill -9
            Process first = launch(data, "1-outage", config);
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100)).until(() -> {
                alive(first, data, "1-outage");
                return FaultFiles.list(influxSpool, ".jsonl").size() >= 8 && FaultFiles.lineProtocol(data).size() >= 20;
            });
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no Camel shutdown, whatever poll is in flight
            assertThat(first.waitFor(15, TimeUnit.SECONDS)).as("the killed application ended").isTrue();
            int killExit = first.exitValue();
            assertThat(killExit).as("exit status of a JVM killed by SIGKILL (128 + 9)").isEqualTo(137);

            Map<String, LineProtocolLines.Point> beforeKill = InfluxFaultsTest.distinct(FaultFiles.lineProtocol(data));
            List<Path> spooledAtKill = FaultFiles.list(influxSpool, ".jsonl");
            Set<String> spooledKeys = new HashSet<>();
            for (Path entry : spooledAtKill) {
                for (Reading r : SpoolCodec.decode(Files.readString(entry))) {
                    spooledKeys.add(LineProtocolLines.parse(LineProtocol.render(r)).seriesKey());
                }
            }
            int lpSpooledAtKill = FaultFiles.list(lpSpool, ".jsonl").size();

            // 2. InfluxDB back; the application restarted on the same data directory without polls: what InfluxDB
            // gets now can only come from what was spooled before the kill (a new poll in the same minute would
            // repeat the same points and could stand in for lost ones)
            influx.start();
            long restartedAt = System.nanoTime();
            drain(data, "2-restart-drain", config);
            long recoveredMs = (System.nanoTime() - restartedAt) / 1_000_000;
            assertNoInfluxDeadLetters(data);
            Map<String, LineProtocolLines.Point> recovered = InfluxFaultsTest.distinct(FaultFiles.lineProtocol(data));
            Set<String> recoveredMatched = InfluxFaultsTest.assertHoldsExactly(influx, DB, recovered);
            assertThat(recoveredMatched).hasSameSizeAs(recovered.keySet());
            assertThat(recoveredMatched).as("points written to the LP files before the kill, in InfluxDB")
                    .containsAll(beforeKill.keySet());
            assertThat(recoveredMatched).as("readings in the InfluxDB spool at the kill, in InfluxDB")
                    .containsAll(spooledKeys);

            // 3. the application polls a few more cycles with InfluxDB up, and is stopped gracefully (SIGTERM)
            int linesBefore = FaultFiles.lineProtocol(data).size();
            Process polling = launch(data, "3-polling", config);
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() -> {
                alive(polling, data, "3-polling");
                return FaultFiles.lineProtocol(data).size() >= linesBefore + 100;
            });
            stop(polling, "3-polling");

            // 4. what the graceful stop left in the spools is drained by a start without polls
            drain(data, "4-drain", config);
            assertNoInfluxDeadLetters(data);
            List<String> lines = FaultFiles.lineProtocol(data);
            Map<String, LineProtocolLines.Point> expected = InfluxFaultsTest.distinct(lines);
            Set<String> matched = InfluxFaultsTest.assertHoldsExactly(influx, DB, expected);
            System.out.printf("FIGURES kill9: packaged application killed with SIGKILL (exit %d) during an InfluxDB "
                    + "outage; distinct points in LP files before kill=%d, influxdb spool entries at kill=%d (%d "
                    + "points), lineprotocol spool entries at kill=%d; restart without polls: InfluxDB points "
                    + "matched=%d of %d distinct LP points (all pre-kill points among them) in %d ms; after %d more "
                    + "LP lines of polling, SIGTERM and drain: LP lines=%d, distinct points=%d, InfluxDB points "
                    + "matched=%d; test=%d ms%n", killExit, beforeKill.size(), spooledAtKill.size(),
                    spooledKeys.size(), lpSpooledAtKill, recoveredMatched.size(), recovered.size(), recoveredMs,
                    lines.size() - linesBefore, lines.size(), expected.size(), matched.size(),
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(matched).hasSameSizeAs(expected.keySet());
            assertThat(matched).containsAll(recoveredMatched);
            assertThat(spooledAtKill).as("entries spooled for InfluxDB during the outage")
                    .hasSizeGreaterThanOrEqualTo(8);
            passed = true;
        } finally {
            for (Process p : started) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            if (passed) {
                FaultFiles.deleteTree(data);
            } else {
                System.out.println("kill9: data directory and application logs kept in " + data);
            }
        }
    }

    /** Starts the application with every poll switched off, waits until both spools are empty, stops it. */
    private void drain(Path data, String name, Map<String, String> config) throws Exception {
        Map<String, String> drainOnly = new TreeMap<>(config);
        for (Endpoint e : Endpoint.values()) {
            drainOnly.put("enphase.poll." + e.id() + ".enabled", "false");
        }
        Process p = launch(data, name, drainOnly);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> {
            alive(p, data, name);
            return FaultFiles.list(data.resolve("spool").resolve("influxdb"), ".jsonl").isEmpty()
                    && FaultFiles.list(data.resolve("spool").resolve("lineprotocol"), ".jsonl").isEmpty();
        });
        stop(p, name);
    }

    /** SIGTERM, and the application must end on its own. */
    private static void stop(Process p, String name) throws InterruptedException {
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the application (%s) stopped on SIGTERM", name).isTrue();
    }

    private static void assertNoInfluxDeadLetters(Path data) {
        assertThat(FaultFiles.list(data.resolve("dead-letter").resolve("influxdb"), ".jsonl"))
                .as("InfluxDB entries parked as dead letters (see %s)", data).isEmpty();
    }

    /** The fast pipeline of the fault tests, with InfluxDB and the line protocol files as the only sinks. */
    private static Map<String, String> config(Path data, PrivateInflux influx) throws IOException {
        Map<String, String> m = new TreeMap<>(FaultEnv.influxOnly(data, influx.url(), DB));
        m.put("quarkus.http.host", "127.0.0.1");
        m.put("quarkus.http.port", Integer.toString(PrivateInflux.freePort()));
        return m;
    }

    /**
     * Starts {@code java -jar quarkus-run.jar} with the configuration as system properties, in the data directory
     * (so no stray {@code config/application.properties} or {@code .env} is read) and without the caller's
     * {@code ENPHASE_*} variables (a configured gateway would switch the simulator off); output to
     * {@code app-<name>.log} in the data directory.
     */
    private Process launch(Path data, String name, Map<String, String> config) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(JAR.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(data.toFile()).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log(data, name).toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("ENPHASE_"));
        pb.environment().put("ENPHASE_ROUTES_DIR", ROUTES.toString());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static Path log(Path data, String name) {
        return data.resolve("app-" + name + ".log");
    }

    /** Fails at once, with the end of its log, when the application ended while the test waits for it. */
    private static void alive(Process p, Path data, String name) {
        if (!p.isAlive()) {
            String log;
            try {
                List<String> all = Files.readAllLines(log(data, name));
                log = String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            fail("the application (" + name + ") exited with " + p.exitValue() + "; end of its log:\n" + log);
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
