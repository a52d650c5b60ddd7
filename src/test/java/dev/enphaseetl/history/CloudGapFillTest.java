package dev.enphaseetl.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.cloud.CallBudget;
import dev.enphaseetl.cloud.CloudSettings;
import dev.enphaseetl.cloud.CloudTelemetry;
import dev.enphaseetl.cloud.EnlightenApi;
import dev.enphaseetl.cloud.OAuthTokens;
import dev.enphaseetl.cloud.Sleeper;
import dev.enphaseetl.ledger.DailyLedger;
import dev.enphaseetl.ledger.LedgerConfig;
import dev.enphaseetl.ledger.LedgerDay;
import dev.enphaseetl.ledger.LedgerRecompute;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.model.Schema;
import dev.enphaseetl.parse.DefaultPayloadParser;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.parse.GatewayState;
import dev.enphaseetl.simulator.EnlightenApiSimulator;
import dev.enphaseetl.simulator.SimulatedGateway;
import dev.enphaseetl.sink.file.FileSinkConfig;
import dev.enphaseetl.sink.file.LineProtocolFileSink;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;
import dev.enphaseetl.testing.MutableClock;

/**
 * A simulated day whose archive starts at 02:00 (the archiver was installed then) and whose pipeline is stopped from
 * 09:00 to 15:00, in about a second of simulated time: the gateway's answers come from the simulator's model every
 * 5 minutes and are parsed and delivered to SQLite and the line protocol files; the cloud (the v4 simulator, from the
 * same model, uploading 6 hours late) is asked twice, at 16:00 (only part of the stop is uploaded yet) and the next
 * morning. Checks: both gaps are found; they are filled with 15-minute intervals tagged source=cloud through the spool,
 * none twice; no local row changed; the day's ledger is within 0.5 % of the simulator's truth and flagged cloud; the
 * cloud calls are counted and never more than 10 in a minute, even with forced HTTP 429s without Retry-After.
 */
class CloudGapFillTest {

    static final LocalDate DAY = LocalDate.of(2026, 6, 21);
    static final ZoneId ZONE = ZoneOffset.UTC;
    static final String SERIAL = "122300000042";
    static final List<Endpoint> ENDPOINTS = List.of(Endpoint.INFO, Endpoint.IVP_METERS, Endpoint.PRODUCTION_JSON,
            Endpoint.IVP_METERS_READINGS);

    @TempDir
    Path tmp;

    @Test
    void aSixHourStopIsFoundAndFilledFromTheCloudAndTheLedgerMatchesTheTruth() throws Exception {
        Instant dayStart = DAY.atStartOfDay(ZONE).toInstant();
        Instant dayEnd = dayStart.plus(Duration.ofDays(1));
        MutableClock clock = new MutableClock(dayStart);
        SimulatedGateway model = new SimulatedGateway(SERIAL, 4242L, 12, 1);
        Path data = tmp.resolve("data");
        JdbcSink sql = new JdbcSink(JdbcSinkConfig.sqlite(data));
        LineProtocolFileSink lp = new LineProtocolFileSink(FileSinkConfig.lineProtocol(data));
        Spool spool = new Spool(data.resolve("spool"), SinkSwitches.of(List.of("jdbc", "lineprotocol")));
        DefaultPayloadParser parser = new DefaultPayloadParser();
        GatewayState state = new GatewayState();

        try (sql;
                EnlightenApiSimulator cloud = new EnlightenApiSimulator(clock, List.of(model))
                        .uploadDelay(Duration.ofHours(6)).start()) {
            CloudSettings settings = CloudTestSupport.settings(cloud, data.resolve("cloud"), 10, 1000, 100);
            HttpClient http = HttpClient.newHttpClient();
            Sleeper sleeper = clock::advance; // waiting moves the simulated clock: no real sleep
            OAuthTokens tokens = new OAuthTokens(settings, http, clock);
            tokens.exchangeCode(cloud.authorizationCode());
            EnlightenApi api = new EnlightenApi(settings, http, tokens, new CallBudget(settings.dir(), 10, 1000, 100,
                    clock, sleeper), clock, sleeper);
            GapFiller filler = new GapFiller(new CloudTelemetry(api, Map.of()), spool);
            GapFinder finder = new GapFinder(Duration.ofMinutes(10), ZONE);

            // --- local polls 02:00..09:00 and 15:00..16:00 (archiver installed at 02:00, stopped 09:00..15:00) ---
            poll(model, parser, state, clock, dayStart.plus(Duration.ofHours(2)), dayStart.plus(Duration.ofHours(9)),
                    sql, lp);
            poll(model, parser, state, clock, dayStart.plus(Duration.ofHours(15)),
                    dayStart.plus(Duration.ofHours(16)), sql, lp);

            // --- round A at 16:00: the cloud has data up to 10:00 only ---
            clock.set(dayStart.plus(Duration.ofHours(16)).plusSeconds(30));
            GapFinder.Report a = finder.find(sql, dayStart.minus(Duration.ofDays(1)), clock.instant());
            List<Gap> systemGaps = a.gaps().stream().filter(g -> g.measurement().equals("system")).toList();
            assertThat(systemGaps).as("the morning before the archiver and the stop").extracting(Gap::start)
                    .containsExactly(dayStart, dayStart.plus(Duration.ofHours(9)));
            assertThat(systemGaps.get(1).end()).isEqualTo(dayStart.plus(Duration.ofHours(15)));
            assertThat(a.gaps()).anyMatch(g -> g.measurement().equals("meter"));
            Map<String, String> localBefore = localRows(sql);
            cloud.throttleNext(2); // two 429s without Retry-After: waited out with backoff
            GapFiller.Result ra = filler.fill(a.gaps(), sql);
            assertThat(ra.gapsSeen()).isEqualTo(2);
            assertThat(ra.gapsComplete()).as("the stop is not uploaded yet").isEqualTo(1);
            CloudTestSupport.drain(data.resolve("spool"), "jdbc", sql::deliver);
            CloudTestSupport.drain(data.resolve("spool"), "lineprotocol", lp::deliver);
            assertThat(localRows(sql)).as("no local row changed by round A").isEqualTo(localBefore);

            // --- the rest of the day, then round B the next morning (uploaded up to 00:30) ---
            poll(model, parser, state, clock, dayStart.plus(Duration.ofHours(16)).plus(Duration.ofMinutes(5)),
                    dayEnd.plus(Duration.ofMinutes(10)), sql, lp);
            clock.set(dayEnd.plus(Duration.ofMinutes(390)));
            GapFinder.Report b = finder.find(sql, dayStart.minus(Duration.ofDays(1)), clock.instant());
            localBefore = localRows(sql);
            GapFiller.Result rb = filler.fill(b.gaps(), sql);
            CloudTestSupport.drain(data.resolve("spool"), "jdbc", sql::deliver);
            CloudTestSupport.drain(data.resolve("spool"), "lineprotocol", lp::deliver);
            assertThat(localRows(sql)).as("no local row changed by round B").isEqualTo(localBefore);
            assertThat(rb.gapsComplete()).as("morning and stop complete; the current one waits for the upload")
                    .isGreaterThanOrEqualTo(2);
            GapFiller.Result rc = filler.fill(b.gaps(), sql);
            assertThat(rc.intervalsWritten()).as("a third round finds nothing new to write").isZero();

            // --- the cloud intervals: in the gaps only, each once ---
            List<Reading> cloudRows = sql.read("cloud_interval", dayStart.getEpochSecond() - 86_400,
                    dayEnd.getEpochSecond() + 86_400);
            Map<String, Integer> perKind = new TreeMap<>();
            for (Reading r : cloudRows) {
                assertThat(r.tag("source")).isEqualTo("cloud");
                long t = r.time();
                boolean inMorning = t > dayStart.getEpochSecond() && t <= dayStart.getEpochSecond() + 2 * 3600;
                boolean inStop = t > dayStart.getEpochSecond() + 9 * 3600
                        && t <= dayStart.getEpochSecond() + 15 * 3600;
                boolean after = t > dayEnd.getEpochSecond();
                assertThat(inMorning || inStop || after).as("interval ending " + Instant.ofEpochSecond(t)).isTrue();
                if (!after) {
                    perKind.merge(r.tag("kind"), 1, Integer::sum);
                }
            }
            assertThat(perKind).containsOnlyKeys("production", "consumption", "import", "export")
                    .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(8 + 24));
            long lpCloudLines = java.nio.file.Files.readAllLines(data.resolve("lineprotocol")
                    .resolve("enphase-" + DAY + ".lp")).stream().filter(l -> l.startsWith("cloud_interval,")).count();
            assertThat(lpCloudLines).as("no interval written twice (append-only file)").isEqualTo(4 * (8 + 24));

            // --- the ledger of the day ---
            List<LedgerDay> ledger = new LedgerRecompute(sql, new LedgerConfig(ZONE, null), null, null)
                    .recompute(DAY, DAY);
            assertThat(ledger).hasSize(1);
            LedgerDay d = ledger.get(0);
            double produced = model.productionWhBetween(dayStart, dayEnd) / 1000;
            double consumed = model.consumptionWhBetween(dayStart, dayEnd) / 1000;
            within("produced", d.producedKwh(), produced);
            within("consumed", d.consumedKwh(), consumed);
            within("imported", d.importedKwh(), consumed); // the simulated net meter: consumption in, production out
            within("exported", d.exportedKwh(), produced);
            assertThat(d.flags()).contains("cloud");
            List<Reading> local = new ArrayList<>(sql.read("system", 0, Long.MAX_VALUE));
            local.addAll(sql.read("meter", 0, Long.MAX_VALUE));
            LedgerDay localOnly = new DailyLedger(new LedgerConfig(ZONE, null)).compute(local).stream()
                    .filter(x -> x.day().equals(DAY)).findFirst().orElseThrow();
            assertThat(Math.abs(localOnly.consumedKwh().doubleValue() - consumed) / consumed)
                    .as("without the cloud the morning before the archiver is missing").isGreaterThan(0.005);
            assertThat(localOnly.flags()).doesNotContain("cloud");

            // --- calls: reported, within the plan's minute limit ---
            long calls = ra.calls() + rb.calls() + rc.calls();
            assertThat(calls).isEqualTo(api.calls()).isPositive();
            assertThat(cloud.maxCallsPerMinute()).isLessThanOrEqualTo(10);
            assertThat(api.throttled()).isEqualTo(2);
            assertThat(api.budget().usedThisMonth()).isEqualTo((int) api.calls());
            System.out.printf("FIGURES cloud-gap-fill: rounds A/B/C %d/%d/%d calls (%d 429s), at most %d in a"
                    + " minute; cloud intervals %s; ledger produced %s kWh (truth %.4f) consumed %s kWh (truth %.4f)"
                    + " flags %s%n", ra.calls(), rb.calls(), rc.calls(), api.throttled(), cloud.maxCallsPerMinute(),
                    perKind, d.producedKwh(), produced, d.consumedKwh(), consumed, d.flags());
        }
    }

    private static void within(String what, BigDecimal actual, double truth) {
        assertThat(actual).as(what).isNotNull();
        assertThat(Math.abs(actual.doubleValue() - truth) / truth).as(what + " " + actual + " vs truth " + truth)
                .isLessThan(0.005);
    }

    private static void poll(SimulatedGateway model, DefaultPayloadParser parser, GatewayState state,
            MutableClock clock, Instant from, Instant to, JdbcSink sql, LineProtocolFileSink lp) throws Exception {
        List<Reading> batch = new ArrayList<>();
        for (Instant t = from; !t.isAfter(to); t = t.plus(Duration.ofMinutes(5))) {
            clock.set(t);
            for (Endpoint e : ENDPOINTS) {
                batch.addAll(parser.parse(SERIAL, e, 200, model.body(e, t), state));
            }
        }
        sql.deliver(batch); // one delivery per stretch of polls: the test's time goes to the cloud part
        lp.deliver(batch);
    }

    /** Every local (non-cloud) row, keyed by table and key columns. */
    private static Map<String, String> localRows(JdbcSink sql) {
        Map<String, String> out = new TreeMap<>();
        for (Schema.Measurement m : Schema.all()) {
            if (m.name().startsWith("cloud_")) {
                continue;
            }
            for (Reading r : sql.read(m.name(), 0, Long.MAX_VALUE)) {
                out.put(m.name() + r.tags() + r.time(), r.fields().toString());
            }
        }
        return out;
    }
}
