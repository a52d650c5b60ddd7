package dev.enphaseetl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.ItSupport;
import dev.enphaseetl.spool.SpoolCodec;

/**
 * The distribution as an operator gets it: {@code target/enphase-etl-<version>.tar.gz} unpacked in a fresh temporary
 * folder, its {@code bin/enphase-etl} started from another fresh folder (no Maven, no repository, no ENPHASE_*
 * variables). Run by maven-failsafe-plugin after {@code package}; there a missing archive fails the test unless
 * {@code -Denphase.it.skip} is set. Run any other way it is skipped when the archive is missing.
 */
class DistributionPackagedIT {

    static final String ARCHIVE_PROPERTY = "enphase.it.distribution";
    static final boolean UNDER_VERIFY = System.getProperty(ARCHIVE_PROPERTY) != null;

    @TempDir
    static Path installRoot;
    static Path launcher;

    @TempDir
    Path work;

    private final List<Process> started = new ArrayList<>();

    record Result(int exit, String out, String err) {}

    @BeforeAll
    static void unpack() throws Exception {
        if (ItSupport.skipRequested()) {
            Assumptions.abort("enphase.it.skip is set: skipping the distribution test");
        }
        Path archive = Path.of(System.getProperty(ARCHIVE_PROPERTY, "target/none.tar.gz")).toAbsolutePath();
        if (!UNDER_VERIFY) {
            try (Stream<Path> s = Files.list(Path.of("target"))) {
                archive = s.filter(p -> p.getFileName().toString().matches("enphase-etl-.*\\.tar\\.gz")).findFirst()
                        .orElse(archive).toAbsolutePath();
            } catch (IOException e) {
                // no target folder
            }
        }
        if (!Files.isRegularFile(archive)) {
            if (UNDER_VERIFY) {
                fail("the distribution " + archive + " is missing (set -Denphase.it.skip to skip integration tests)");
            }
            Assumptions.abort("the distribution " + archive + " is missing (run ./mvnw package)");
        }
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", installRoot.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(120, TimeUnit.SECONDS) && tar.exitValue() == 0).as("tar xzf " + archive).isTrue();
        try (Stream<Path> s = Files.list(installRoot)) {
            launcher = s.filter(Files::isDirectory).findFirst().orElseThrow().resolve("bin").resolve("enphase-etl");
        }
        assertThat(launcher).isExecutable();
        assertThat(launcher.getParent().resolveSibling("config").resolve("application.yaml")).isRegularFile();
        assertThat(launcher.getParent().resolveSibling("routes").resolve("10-poll-timers.camel.yaml")).isRegularFile();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private ProcessBuilder command(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ENPHASE_") || k.startsWith("QUARKUS_"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        return pb;
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = command(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        started.add(p);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("enphase-etl %s ended", List.of(args)).isTrue();
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everySubcommandHasHelpAndBadUsageIsOneLineWithoutStartingThePipeline() throws Exception {
        Result top = run(Map.of(), "--help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("Usage: enphase-etl").contains("run").contains("convert").contains("validate")
                .contains("simulate").contains("replay").contains("token").contains("doctor").contains("backfill");
        for (String sub : List.of("run", "convert", "validate", "simulate", "replay", "token", "doctor",
                "backfill")) {
            Result help = run(Map.of(), sub, "--help");
            assertThat(help.exit()).as(sub + " --help: %s", help.err()).isZero();
            assertThat(help.out()).as(sub).contains("Usage: enphase-etl " + sub);
        }
        Result version = run(Map.of(), "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("enphase-etl ").doesNotContain("unknown");

        Result bad = run(Map.of(), "--bogus");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip().lines()).singleElement().asString().contains("--bogus").contains("--help");
        Result badRun = run(Map.of(), "run", "--no-such-option");
        assertThat(badRun.exit()).isEqualTo(2);
        assertThat(badRun.err().strip().lines()).singleElement().asString().contains("--no-such-option");
        assertThat(work.resolve("data")).as("no tool and no bad usage starts the pipeline").doesNotExist();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void convertWritesOneCsvPerMeasurementAndValidateNamesFileAndLine() throws Exception {
        Path captures = Path.of("src/test/resources/fixtures/captures/7.6.175_with_cts").toAbsolutePath();
        Result convert = run(Map.of(), "convert", captures.toString(), "--csv", "--out", "converted");
        assertThat(convert.exit()).as(convert.err()).isZero();
        try (Stream<Path> s = Files.list(work.resolve("converted"))) {
            List<Path> csv = s.toList();
            assertThat(csv).as("one CSV per measurement").hasSizeGreaterThan(1)
                    .allMatch(p -> p.getFileName().toString().endsWith(".csv"));
            for (Path f : csv) {
                if (f.getFileName().toString().equals("gateways.csv")) { // the gateways' names, beside the readings
                    assertThat(Files.readAllLines(f).get(0)).as(f.toString()).startsWith("gateway,name,since");
                    continue;
                }
                String measurement = f.getFileName().toString().replace(".csv", "");
                assertThat(Files.readAllLines(f).get(0)).as(f.toString())
                        .startsWith("time,local_time,epoch_s,gateway,");
                assertThat(convert.out()).contains(f.getFileName().toString());
                assertThat(measurement).isNotBlank();
            }
        }

        Path routes = Files.createDirectories(work.resolve("routes-edited"));
        Path installed = launcher.getParent().resolveSibling("routes");
        try (Stream<Path> s = Files.list(installed)) {
            for (Path f : s.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Result ok = run(Map.of(), "validate", routes.toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        // the hostile edit: an indentation slip breaks the YAML on line 3 of a copied file
        Path broken = routes.resolve("99-broken.camel.yaml");
        Files.writeString(broken, "- route:\n    id: broken\n  from: {uri: \"timer:x\"\n", StandardCharsets.UTF_8);
        Result bad = run(Map.of(), "validate", routes.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains(broken + ":");
        assertThat(bad.out().lines().filter(l -> l.startsWith(broken.toString())).findFirst().orElseThrow())
                .matches(Pattern.quote(broken.toString()) + ":\\d+: .*");
        assertThat(work.resolve("data")).doesNotExist();
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void runPollsTheSimulatorStartedBySimulate() throws Exception {
        String[] sim = startSimulator();

        Path log = work.resolve("run.log");
        Process app = command(Map.of("ENPHASE_GATEWAYS_0__HOST", sim[0], "ENPHASE_GATEWAYS_0__TOKEN", sim[1],
                "ENPHASE_HTTP_PORT", Integer.toString(freePort())), "run")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(app);
        awaitLine(app, log, work.resolve("data").resolve("lineprotocol"), "system,gateway=");
        // the working folder holds no routes/ and ENPHASE_ROUTES_DIR is unset: the launcher found the installation's
        assertThat(work.resolve("routes")).doesNotExist();
    }

    /**
     * doctor against the simulator and a stopped InfluxDB, token without and with --show, and replay: a parked
     * entry moved back into the spool and delivered by the next run.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void doctorTokenAndReplayAgainstTheSimulatorAndAStoppedSink() throws Exception {
        String[] sim = startSimulator();
        Map<String, String> env = Map.of("ENPHASE_GATEWAYS_0__HOST", sim[0], "ENPHASE_GATEWAYS_0__TOKEN", sim[1],
                "ENPHASE_GATEWAYS_0__NAME", "roof", "ENPHASE_HTTP_PORT", Integer.toString(freePort()));
        // a parked entry of the line protocol sink, as SinkDeadLetters writes it
        Path parked = Files.createDirectories(work.resolve("data/dead-letter/lineprotocol"));
        String base = "20261123T170102.345Z-1";
        Files.write(parked.resolve(base + ".jsonl"), SpoolCodec.encode(List.of(
                Reading.of("system", 1_704_103_200L).tag("gateway", "replayed-gw").field("production_w", 42.5)
                        .build(),
                Reading.of("system", 1_704_103_260L).tag("gateway", "replayed-gw").field("production_w", 43.5)
                        .build())));
        Files.writeString(parked.resolve(base + ".json"), "{\"sink\":\"lineprotocol\",\"readings\":2}");

        Map<String, String> stoppedInflux = new HashMap<>(env);
        stoppedInflux.put("ENPHASE_SINK_INFLUXDB_URL", "http://127.0.0.1:" + freePort());
        Result doctor = run(stoppedInflux, "doctor");
        assertThat(doctor.exit()).as(doctor.out() + doctor.err()).isEqualTo(1);
        assertThat(doctor.out()).containsPattern("(?m)^ok    gateway roof \\(https://\\S+\\) reachable: serial \\d{12},"
                + " firmware \\S+$")
                .containsPattern("(?m)^ok    gateway roof .* certificate not pinned")
                .containsPattern("(?m)^ok    gateway roof .* token from .*\\(\\d+ days left\\), accepted$")
                .containsPattern("(?m)^FAIL  sink influxdb not reachable: InfluxDB unreachable: .*Connect")
                .containsPattern("(?m)^ok    sink jdbc: SQLITE database .* answers")
                .containsPattern("(?m)^ok    sink lineprotocol: writes files in ")
                .containsPattern("(?m)^ok    spool .* free on its disk$")
                .containsPattern("(?m)^FAIL  dead letters waiting in .*: lineprotocol 1 file\\(s\\)")
                .containsPattern("(?m)^2 of \\d+ checks failed$")
                .doesNotContain(sim[1]);
        assertThat(doctor.err()).doesNotContain("\tat ");

        Result token = run(env, "token");
        assertThat(token.exit()).as(token.out() + token.err()).isZero();
        assertThat(token.out()).containsPattern("^gateway roof: \\w+ token.*, expires \\S+ \\(\\d+ days left\\)")
                .doesNotContain(sim[1]);
        Result shown = run(env, "token", "--gateway", "roof", "--show");
        assertThat(shown.out().strip().lines()).hasSize(2).last().isEqualTo(sim[1]);
        Result unknown = run(env, "token", "--gateway", "attic");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip().lines()).singleElement().asString().contains("attic").contains("roof");

        Result replay = run(env, "replay", "--sink", "lineprotocol");
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("moved 1 entry (2 readings) of sink lineprotocol from ");
        assertThat(work.resolve("data/spool/lineprotocol").resolve(base + ".jsonl")).exists();
        assertThat(parked.resolve(base + ".json")).doesNotExist();

        Path log = work.resolve("run.log");
        Process app = command(env, "run").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(app);
        Path lp = work.resolve("data").resolve("lineprotocol");
        awaitLine(app, log, lp, "system,gateway=replayed-gw production_w=43.5 1704103260");
        assertThat(Files.readString(lp.resolve("enphase-2024-01-01.lp")))
                .contains("system,gateway=replayed-gw production_w=42.5 1704103200");
    }

    /**
     * backfill against {@code simulate --cloud}: bad usage in one line (missing keys, a careless --since), then the
     * real command with a one-time code from the simulated authorization page imports three weeks into the spool,
     * never printing a secret, keeps the tokens owner-only, and a second run finds nothing left to do.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void backfillImportsFromTheSimulatedCloudAndResumesWithoutRepeating() throws Exception {
        Result missing = run(Map.of(), "backfill", "--gateway", "1", "--since", "2026-01-01");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip().lines()).as(missing.err()).singleElement().asString()
                .contains("enphase.cloud.client-id").contains("enphase.cloud.client-secret")
                .contains("enphase.cloud.api-key");

        Path simOut = work.resolve("simulate-cloud.log");
        Path cloudFile = work.resolve("cloud.env");
        Process sim = command(Map.of(), "simulate", "--https-port", "-1", "--http-port", "0", "--cloud",
                cloudFile.toString(), "--cloud-per-minute", "600").redirectErrorStream(true)
                .redirectOutput(simOut.toFile()).start();
        started.add(sim);
        Pattern serialLine = Pattern.compile("gateway (\\d+) \\(firmware");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!sim.isAlive()) {
                fail("simulate --cloud ended: " + Files.readString(simOut));
            }
            String s = Files.readString(simOut);
            return s.contains("Enlighten API v4 (simulated)") && serialLine.matcher(s).find();
        });
        String simText = Files.readString(simOut);
        Matcher sm = serialLine.matcher(simText);
        assertThat(sm.find()).isTrue();
        String serial = sm.group(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cloudFile))).isEqualTo("rw-------");
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(cloudFile)) {
            int eq = line.indexOf('=');
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertThat(env).containsKeys("ENPHASE_CLOUD_API_URL", "ENPHASE_CLOUD_CLIENT_ID",
                "ENPHASE_CLOUD_CLIENT_SECRET", "ENPHASE_CLOUD_API_KEY");
        assertThat(simText).as("the simulator prints no secret").doesNotContain(env.get("ENPHASE_CLOUD_CLIENT_SECRET"))
                .doesNotContain(env.get("ENPHASE_CLOUD_API_KEY"));
        env.put("ENPHASE_CLOUD_REQUESTS_PER_MINUTE", "600");

        Result badSince = run(env, "backfill", "--gateway", serial, "--since", "yesterday-ish");
        assertThat(badSince.exit()).isEqualTo(2);
        assertThat(badSince.err().strip().lines()).as(badSince.err()).singleElement().asString()
                .contains("--since").contains("yesterday-ish");

        // the owner's browser: the authorization page redirects with a one-time code
        HttpResponse<Void> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                env.get("ENPHASE_CLOUD_AUTHORIZE_URL") + "?response_type=code&client_id="
                        + env.get("ENPHASE_CLOUD_CLIENT_ID") + "&redirect_uri=http://127.0.0.1/cb"))
                .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(page.statusCode()).isEqualTo(302);
        String code = page.headers().firstValue("Location").orElseThrow().replaceFirst(".*[?&]code=", "");

        String since = LocalDate.now(ZoneOffset.UTC).minusDays(21).toString();
        Result first = run(env, "backfill", "--code", code, "--gateway", serial, "--since", since);
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("Authorized").contains(serial + ": ").contains("days of daily energy")
                .contains("finished: " + serial).contains(" 0 left");
        Matcher left = Pattern.compile("(\\d+) left").matcher(first.out());
        while (left.find()) {
            assertThat(Integer.parseInt(left.group(1))).as("three weeks left at most: " + first.out())
                    .isLessThanOrEqualTo(4);
        }
        Pattern secretLike = Pattern.compile("[0-9a-f]{32}");
        for (String text : List.of(first.out(), first.err())) {
            assertThat(text).doesNotContain(code).doesNotContain(env.get("ENPHASE_CLOUD_CLIENT_SECRET"))
                    .doesNotContain(env.get("ENPHASE_CLOUD_API_KEY"));
            assertThat(secretLike.matcher(text).find()).as("no token-like string printed: " + text).isFalse();
        }
        Path tokens = work.resolve("data").resolve("cloud").resolve("oauth.jwt");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens))).isEqualTo("rw-------");
        List<Path> spooled;
        try (Stream<Path> s = Files.walk(work.resolve("data").resolve("spool"))) {
            spooled = s.filter(f -> f.toString().endsWith(".jsonl")).toList();
        }
        assertThat(spooled).as("history entries in the spool").isNotEmpty();

        Path quota = work.resolve("data").resolve("cloud").resolve("quota.json");
        String quotaBefore = Files.readString(quota);
        Result other = run(env, "backfill", "--gateway", serial, "--since", "install");
        assertThat(other.exit()).as("a different --since is not ignored silently").isEqualTo(2);
        assertThat(other.err().strip().lines()).as(other.err()).singleElement().asString().contains("--since " + since)
                .contains("backfill-" + serial + ".json");
        Result again = run(env, "backfill", "--gateway", serial);
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("finished: " + serial).contains(" 0 left")
                .doesNotContain("days of daily energy");
        assertThat(Files.readString(quota)).as("no cloud call in the second run").isEqualTo(quotaBefore);
        try (Stream<Path> s = Files.walk(work.resolve("data").resolve("spool"))) {
            assertThat(s.filter(f -> f.toString().endsWith(".jsonl")).count()).as("nothing imported twice")
                    .isEqualTo(spooled.size());
        }
    }

    /** Starts {@code simulate} on a free HTTPS port; returns its URL and token. */
    private String[] startSimulator() throws Exception {
        Path simOut = work.resolve("simulate.log");
        Process sim = command(Map.of(), "simulate", "--https-port", "0", "--http-port", "-1")
                .redirectErrorStream(true).redirectOutput(simOut.toFile()).start();
        started.add(sim);
        Pattern url = Pattern.compile("HTTPS\\s+(https://\\S+?)/?\\s");
        Pattern token = Pattern.compile("Dev token \\(fake, simulator only\\): (\\S+)");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!sim.isAlive()) {
                fail("simulate ended: " + Files.readString(simOut));
            }
            String s = Files.readString(simOut);
            return url.matcher(s).find() && token.matcher(s).find();
        });
        String text = Files.readString(simOut);
        Matcher u = url.matcher(text);
        Matcher t = token.matcher(text);
        assertThat(u.find() && t.find()).isTrue();
        assertThat(work.resolve("data")).as("simulate writes no data").doesNotExist();
        return new String[]{u.group(1), t.group(1)};
    }

    /** Waits until a line protocol file in {@code lp} holds {@code text}, while {@code app} runs. */
    private static void awaitLine(Process app, Path log, Path lp, String text) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!app.isAlive()) {
                fail("run ended with " + app.exitValue() + ": " + Files.readString(log));
            }
            if (!Files.isDirectory(lp)) {
                return false;
            }
            try (Stream<Path> s = Files.list(lp)) {
                return s.anyMatch(f -> {
                    try {
                        return Files.readString(f).contains(text);
                    } catch (IOException e) {
                        return false;
                    }
                });
            }
        });
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aPortInUseAndMissingRoutesStopTheStartInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            Result r = run(Map.of("ENPHASE_HTTP_PORT", Integer.toString(taken.getLocalPort())), "run");
            assertThat(r.exit()).isNotZero();
            assertThat(r.err().strip().lines()).as(r.err()).singleElement().asString()
                    .contains("port " + taken.getLocalPort()).contains("ENPHASE_HTTP_PORT");
            assertThat(r.out() + r.err()).doesNotContain("\tat ");
        }
        Path nowhere = work.resolve("no-routes-here");
        Result r = run(Map.of("ENPHASE_ROUTES_DIR", nowhere.toString(), "ENPHASE_HTTP_PORT",
                Integer.toString(freePort())), "run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(r.err()).singleElement().asString().contains(nowhere.toString())
                .contains("ENPHASE_ROUTES_DIR");
        assertThat(r.out()).doesNotContain("Apache Camel").doesNotContain("\tat ");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
