package dev.enphaseetl.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.cloud.CloudSettings;
import dev.enphaseetl.cloud.OAuthTokens;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.simulator.EnlightenApiSimulator;
import dev.enphaseetl.simulator.SimulatedGateway;

/**
 * Two simulated years of history (daily energy and 15-minute telemetry) imported from the v4 simulator in a JVM of
 * its own, on a clock 300 times faster than real time (the free plan's 10 calls a minute are paced for real): the
 * JVM is killed with SIGKILL once about 40 of the 105 weeks are done, a second JVM resumes from the progress on disk.
 * Checks: no finished week and not the daily energy asked for again; every call within the free plan's month (1000,
 * less the 100 kept for gap filling), counted on disk before it was made; the access token expired and was renewed
 * several times (rotated refresh tokens, stored at once, used by the second JVM); the spool holds every 15-minute
 * interval of the two years once, equal to the simulator's truth.
 */
class HistoryImportTest {

    static final String SERIAL = "122300000777";
    static final Instant START = Instant.parse("2026-06-10T00:00:00Z");
    static final LocalDate SINCE = LocalDate.of(2024, 6, 10);
    static final double FACTOR = 300;

    @TempDir
    Path tmp;

    @Test
    void twoYearsWithinTheMonthlyQuotaSurvivingAKillNine() throws Exception {
        long origin = System.currentTimeMillis();
        Clock clock = CloudTestSupport.accelerated(START.toEpochMilli(), origin, FACTOR);
        SimulatedGateway model = new SimulatedGateway(SERIAL, 777L, 10, 1);
        Path data = tmp.resolve("data");
        try (EnlightenApiSimulator cloud = new EnlightenApiSimulator(clock, List.of(model)).retryAfter(false)
                .uploadDelay(Duration.ofHours(1)).accessLifetime(Duration.ofMinutes(15)).start()) {
            CloudSettings settings = CloudTestSupport.settings(cloud, data.resolve("cloud"), 10, 1000, 100);
            new OAuthTokens(settings, HttpClient.newHttpClient(), clock).exchangeCode(cloud.authorizationCode());
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    data.resolve("cloud").resolve("oauth.jwt")))).isEqualTo("rw-------");
            Path progress = data.resolve("cloud").resolve("backfill-" + SERIAL + ".json");

            // --- first JVM: killed (SIGKILL) with about 40 weeks done ---
            List<String> out1 = new CopyOnWriteArrayList<>();
            Process first = child(cloud, data, origin, out1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (weeksDone(progress) < 40) {
                assertThat(first.isAlive()).as("first import still running: " + out1).isTrue();
                assertThat(System.nanoTime()).as("40 weeks within 90 s").isLessThan(deadline);
                Thread.sleep(20);
            }
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
            JsonNode atKill = new ObjectMapper().readTree(Files.readString(progress));
            long nextWeekAtKill = atKill.path("next_week").asLong();
            int callsAtKill = cloud.calls().size();
            assertThat(atKill.path("finished").asBoolean(false)).isFalse();

            long killedAt = System.nanoTime();
            // --- second JVM: resumes and finishes ---
            List<String> out2 = new CopyOnWriteArrayList<>();
            Process second = child(cloud, data, origin, out2);
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("second import ends: " + out2).isTrue();
            assertThat(second.exitValue()).as(String.join("\n", out2)).isZero();
            out2.stream().filter(l -> l.startsWith("PROGRESS")).limit(1).forEach(l -> System.out.println("FIGURES "
                    + l));
            System.out.printf("FIGURES history-import timing: first JVM %.1f s, second JVM %.1f s (real)%n",
                    (killedAt - (deadline - TimeUnit.SECONDS.toNanos(90))) / 1e9, (System.nanoTime() - killedAt) / 1e9);
            assertThat(out2).anyMatch(l -> l.startsWith("RESULT ") && l.contains(" 0 left"));
            assertThat(out2).anyMatch(l -> l.startsWith("PROGRESS ") && l.contains("quota ")
                    && l.contains("expected finish"));

            // --- no finished work repeated ---
            List<EnlightenApiSimulator.Call> calls = cloud.calls();
            List<EnlightenApiSimulator.Call> after = calls.subList(callsAtKill, calls.size());
            for (EnlightenApiSimulator.Call c : after) {
                Map<String, String> q = query(c.query());
                if (q.containsKey("start_at")) {
                    assertThat(Long.parseLong(q.get("start_at"))).as("week asked again after the kill: " + c)
                            .isGreaterThanOrEqualTo(nextWeekAtKill);
                }
                assertThat(c.path()).as("daily energy asked again").doesNotEndWith("_lifetime");
                assertThat(c.path()).as("system id looked up again").doesNotEndWith("retrieve_system_id");
            }

            // --- the quota: counted on disk before each call, within the free plan's month ---
            long ok = calls.stream().filter(c -> c.status() == 200).count();
            long throttled = calls.stream().filter(c -> c.status() == 429).count();
            int used = new ObjectMapper().readTree(Files.readString(data.resolve("cloud").resolve("quota.json")))
                    .path("used").asInt();
            assertThat(used).as("counted before sent: at most the one in flight at the kill is not in the log")
                    .isBetween(calls.size(), calls.size() + 1);
            assertThat(used).isLessThanOrEqualTo(900);
            assertThat(ok).isGreaterThanOrEqualTo(1 + 2 + 105 * 4);
            // at 300x, a second of scheduling jitter between the two JVMs on a loaded machine is five simulated
            // minutes: a few 429s come from that; a client that did not pace itself would meet one on most calls
            assertThat(throttled).as("the client paces itself: a 429 only from clock jitter between the JVMs")
                    .isLessThanOrEqualTo(calls.size() / 8);
            assertThat(cloud.tokenCalls()).as("the access token was renewed (refresh token rotated)")
                    .isGreaterThan(2);

            // --- the data: every interval of the two years once, equal to the truth ---
            long since = SINCE.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            List<Long> samples = List.of(since + 900 * 50, since + 86_400L * 300 + 12 * 3600,
                    START.getEpochSecond() - 86_400);
            Map<String, TreeSet<Long>> times = new TreeMap<>();
            Map<String, Reading> byKey = new HashMap<>();
            List<Reading> days = new ArrayList<>();
            long[] intervals = {0};
            CloudTestSupport.forEach(data.resolve("spool"), "jdbc", r -> {
                assertThat(r.tag("source")).isEqualTo("cloud");
                assertThat(r.tag("gateway")).isEqualTo(SERIAL);
                if (r.measurement().equals("cloud_day")) {
                    days.add(r);
                    return;
                }
                if (times.computeIfAbsent(r.tag("kind"), k -> new TreeSet<>()).add(r.time())) {
                    intervals[0]++;
                }
                if (samples.contains(r.time())) {
                    byKey.put(r.tag("kind") + r.time(), r);
                }
            });
            assertThat(times).containsOnlyKeys("production", "consumption", "import", "export");
            times.forEach((kind, t) -> {
                assertThat(t.first()).as(kind).isEqualTo(since + 900);
                assertThat(t.size()).as(kind + ": contiguous").isEqualTo((int) ((t.last() - t.first()) / 900 + 1));
                assertThat(t.last()).as(kind + ": up to the upload").isGreaterThan(START.getEpochSecond() - 7200);
            });
            for (long e : List.of(since + 900 * 50, since + 86_400L * 300 + 12 * 3600,
                    START.getEpochSecond() - 86_400)) {
                Instant b = Instant.ofEpochSecond(e);
                Instant a = b.minusSeconds(900);
                assertThat(byKey.get("production" + e).field("energy_wh"))
                        .isEqualTo((double) Math.round(model.productionWhBetween(a, b)));
                assertThat(byKey.get("consumption" + e).field("energy_wh"))
                        .isEqualTo((double) Math.round(model.consumptionWhBetween(a, b)));
            }
            assertThat(days.size()).as("days up to the last one uploaded").isBetween(729, 730);
            System.out.printf("FIGURES history-import: %d calls (%d ok, %d 429), quota used %d of 1000, %d token"
                    + " grants, killed at %d calls with %d weeks done; %d intervals and %d days spooled%n",
                    calls.size(), ok, throttled, used, cloud.tokenCalls(), callsAtKill,
                    atKill.path("weeks_done").asInt(), intervals[0], days.size());
        }
    }

    private Process child(EnlightenApiSimulator cloud, Path data, long origin, List<String> out) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), HistoryImportMain.class.getName(), data.toString(),
                cloud.apiUrl(), cloud.authorizeUrl(), cloud.tokenUrl(), cloud.clientId(), cloud.clientSecret(),
                cloud.apiKey(), SERIAL, SINCE.toString(), Long.toString(START.toEpochMilli()), Long.toString(origin),
                Double.toString(FACTOR)).redirectErrorStream(true).start();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null;) {
                    out.add(l);
                }
            } catch (Exception e) {
                // the process was killed
            }
        });
        t.setDaemon(true);
        t.start();
        return p;
    }

    private static int weeksDone(Path progress) {
        try {
            return new ObjectMapper().readTree(Files.readString(progress)).path("weeks_done").asInt(0);
        } catch (Exception e) {
            return 0;
        }
    }

    private static Map<String, String> query(String q) {
        Map<String, String> m = new HashMap<>();
        for (String kv : q.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0) {
                m.put(kv.substring(0, i), kv.substring(i + 1));
            }
        }
        return m;
    }
}
