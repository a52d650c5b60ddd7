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
            assertThat(cloud.calls()).as("no battery, micros off: neither is asked")
                    .noneMatch(c -> c.path().endsWith("/telemetry/battery") || c.path().contains("/micros/"));
            System.out.printf("FIGURES cloud-gap-fill: rounds A/B/C %d/%d/%d calls (%d 429s), at most %d in a"
                    + " minute; cloud intervals %s; ledger produced %s kWh (truth %.4f) consumed %s kWh (truth %.4f)"
                    + " flags %s%n", ra.calls(), rb.calls(), rc.calls(), api.throttled(), cloud.maxCallsPerMinute(),
                    perKind, d.producedKwh(), produced, d.consumedKwh(), consumed, d.flags());
        }
    }

    /**
     * A backlog of five gaps over two days needs 21 calls (the system id and one day of four series per gap); with
     * {@code max-calls-per-round} 8 it is filled over three rounds an hour apart, each within the cap as the simulator
     * counted them, oldest gaps first, no call made twice, and the rounds before the last say how many gaps wait.
     */
    @Test
    void aGapBacklogIsFilledOverSeveralRoundsEachWithinTheCap() throws Exception {
        Instant dayStart = DAY.atStartOfDay(ZONE).toInstant();
        MutableClock clock = new MutableClock(dayStart);
        SimulatedGateway model = new SimulatedGateway(SERIAL, 4242L, 12, 1);
        Path data = tmp.resolve("data");
        JdbcSink sql = new JdbcSink(JdbcSinkConfig.sqlite(data));
        LineProtocolFileSink lp = new LineProtocolFileSink(FileSinkConfig.lineProtocol(data));
        Spool spool = new Spool(data.resolve("spool"), SinkSwitches.of(List.of("jdbc")));
        DefaultPayloadParser parser = new DefaultPayloadParser();
        GatewayState state = new GatewayState();
        int cap = 8;
        // stops (hours from the first midnight): 03-05, 08-10, 13-16, 20-22, and the next day 06-09
        int[][] stops = {{3, 5}, {8, 10}, {13, 16}, {20, 22}, {30, 33}};
        try (sql;
                EnlightenApiSimulator cloud = new EnlightenApiSimulator(clock, List.of(model)).start()) {
            CloudSettings settings = CloudTestSupport.settings(cloud, data.resolve("cloud"), 10, 1000, 100);
            HttpClient http = HttpClient.newHttpClient();
            Sleeper sleeper = clock::advance;
            OAuthTokens tokens = new OAuthTokens(settings, http, clock);
            tokens.exchangeCode(cloud.authorizationCode());
            EnlightenApi api = new EnlightenApi(settings, http, tokens, new CallBudget(settings.dir(), 10, 1000, 100,
                    clock, sleeper), clock, sleeper);
            CloudTelemetry telemetry = new CloudTelemetry(api, Map.of());
            GapFinder finder = new GapFinder(Duration.ofMinutes(10), ZONE);

            Instant from = dayStart;
            for (int[] stop : stops) {
                poll(model, parser, state, clock, from, dayStart.plus(Duration.ofHours(stop[0])).minusSeconds(300),
                        sql, lp);
                from = dayStart.plus(Duration.ofHours(stop[1]));
            }
            Instant lastPoll = dayStart.plus(Duration.ofHours(40));
            poll(model, parser, state, clock, from, lastPoll, sql, lp);
            List<Gap> expected = finder.find(sql, dayStart, lastPoll.plusSeconds(60)).gaps().stream()
                    .filter(g -> g.measurement().equals("system")).toList();
            assertThat(expected).as("the five stops").hasSize(stops.length);

            List<GapFiller.Result> rounds = new ArrayList<>();
            List<List<EnlightenApiSimulator.Call>> callsPerRound = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                clock.set(lastPoll.plus(Duration.ofHours(1 + round))); // enphase.cloud.fill-period apart
                int before = cloud.calls().size();
                GapFinder.Report report = finder.find(sql, dayStart, lastPoll.plusSeconds(60));
                GapFiller.Result r = new GapFiller(telemetry, spool, cap).fill(report.gaps(), sql);
                CloudTestSupport.drain(data.resolve("spool"), "jdbc", sql::deliver);
                List<EnlightenApiSimulator.Call> received = cloud.calls().subList(before, cloud.calls().size());
                rounds.add(r);
                callsPerRound.add(received);
                assertThat(received).as("round %d: calls the simulator received", round).hasSize((int) r.calls())
                        .hasSizeLessThanOrEqualTo(cap);
                if (r.calls() == 0) {
                    break;
                }
            }
            assertThat(rounds).extracting(GapFiller.Result::calls).as("calls per round")
                    .containsExactly(8L, 8L, 5L, 0L);
            assertThat(rounds).extracting(GapFiller.Result::gapsWaiting).as("gaps waiting after each round")
                    .containsExactly(4, 2, 0, 0);
            assertThat(rounds.get(3).gapsComplete()).isEqualTo(stops.length);
            List<String> asked = callsPerRound.stream().flatMap(List::stream).map(c -> c.path() + "?" + c.query())
                    .toList();
            assertThat(asked).as("nothing asked twice").doesNotHaveDuplicates();
            assertThat(callsPerRound.stream().flatMap(List::stream)).allMatch(c -> c.status() == 200);
            // oldest first: every data call of a round asks a day that starts no later than any of the next round's
            long[] latest = callsPerRound.stream().limit(3).mapToLong(l -> l.stream()
                    .filter(c -> c.query().contains("start_at=")).mapToLong(CloudGapFillTest::startAt).max()
                    .orElse(0)).toArray();
            long[] earliest = callsPerRound.stream().limit(3).mapToLong(l -> l.stream()
                    .filter(c -> c.query().contains("start_at=")).mapToLong(CloudGapFillTest::startAt).min()
                    .orElse(0)).toArray();
            assertThat(latest[0]).isLessThanOrEqualTo(earliest[1]);
            assertThat(latest[1]).isLessThanOrEqualTo(earliest[2]);

            // every interval of every stop arrived once
            int intervals = 0;
            for (int[] stop : stops) {
                intervals += (stop[1] - stop[0]) * 4;
            }
            Map<String, Integer> perKind = new TreeMap<>();
            for (Reading r : sql.read("cloud_interval", 0, Long.MAX_VALUE)) {
                perKind.merge(r.tag("kind"), 1, Integer::sum);
            }
            assertThat(perKind).containsOnlyKeys("production", "consumption", "import", "export");
            int perSeries = intervals;
            assertThat(perKind).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(perSeries));
            System.out.printf("FIGURES cloud-round-cap: cap %d, calls per round %s, gaps waiting %s, %d intervals"
                    + " per series%n", cap, rounds.stream().map(GapFiller.Result::calls).toList(),
                    rounds.stream().map(GapFiller.Result::gapsWaiting).toList(), perSeries);
        }
    }

    /**
     * A gateway with a battery (the archive holds its Encharge readings from /ivp/ensemble/*), stopped 12:00 to
     * 20:00 (charging in the afternoon, discharging in the evening): the gap gets battery charge, discharge and state
     * of charge from telemetry/battery, equal to the simulator's battery model, and the cloud's state of charge at
     * 20:00 equals the local reading of 20:00.
     */
    @Test
    void aGatewayWithABatteryGetsBatteryTelemetryThatAgreesWithItsLocalReadings() throws Exception {
        Instant dayStart = DAY.atStartOfDay(ZONE).toInstant();
        MutableClock clock = new MutableClock(dayStart);
        SimulatedGateway model = new SimulatedGateway(SERIAL, 4242L, 12, 1).withBattery(10_000, 3_000);
        Path data = tmp.resolve("data");
        JdbcSink sql = new JdbcSink(JdbcSinkConfig.sqlite(data));
        Spool spool = new Spool(data.resolve("spool"), SinkSwitches.of(List.of("jdbc")));
        DefaultPayloadParser parser = new DefaultPayloadParser();
        GatewayState state = new GatewayState();
        List<Endpoint> endpoints = new ArrayList<>(ENDPOINTS);
        endpoints.add(Endpoint.IVP_ENSEMBLE_INVENTORY);
        endpoints.add(Endpoint.IVP_ENSEMBLE_SECCTRL);
        try (sql;
                EnlightenApiSimulator cloud = new EnlightenApiSimulator(clock, List.of(model)).start()) {
            EnlightenApi api = api(cloud, data, clock);
            poll(model, parser, state, clock, dayStart, dayStart.plus(Duration.ofHours(12)), sql, endpoints);
            poll(model, parser, state, clock, dayStart.plus(Duration.ofHours(20)),
                    dayStart.plus(Duration.ofHours(21)), sql, endpoints);
            assertThat(sql.read("battery", 0, Long.MAX_VALUE)).as("the local battery readings").isNotEmpty();
            clock.set(dayStart.plus(Duration.ofHours(21)).plusSeconds(30));
            Map<String, String> localBefore = localRows(sql);
            GapFinder.Report report = new GapFinder(Duration.ofMinutes(10), ZONE).find(sql, dayStart,
                    clock.instant());
            GapFiller.Result r = new GapFiller(new CloudTelemetry(api, Map.of()), spool).fill(report.gaps(), sql);
            CloudTestSupport.drain(data.resolve("spool"), "jdbc", sql::deliver);
            assertThat(localRows(sql)).as("no local row changed").isEqualTo(localBefore);
            assertThat(r.gapsComplete()).isEqualTo(1);
            assertThat(r.calls()).as("system id, four meter series, battery").isEqualTo(6);
            assertThat(cloud.calls()).filteredOn(c -> c.path().endsWith("/telemetry/battery")).hasSize(1);

            long from = dayStart.plus(Duration.ofHours(12)).getEpochSecond();
            long to = dayStart.plus(Duration.ofHours(20)).getEpochSecond();
            var battery = model.battery().orElseThrow();
            Map<String, Double> sums = new TreeMap<>();
            Map<String, Integer> counts = new TreeMap<>();
            for (Reading x : sql.read("cloud_interval", 0, Long.MAX_VALUE)) {
                String kind = x.tag("kind");
                if (!kind.startsWith("battery_")) {
                    continue;
                }
                assertThat(x.time()).isGreaterThan(from).isLessThanOrEqualTo(to);
                assertThat(x.tag("source")).isEqualTo("cloud");
                counts.merge(kind, 1, Integer::sum);
                if (kind.equals("battery_soc")) {
                    assertThat(x.field("soc_pct")).as("soc at %s", Instant.ofEpochSecond(x.time()))
                            .isEqualTo((double) Math.round(battery.socPct(Instant.ofEpochSecond(x.time()))));
                } else {
                    sums.merge(kind, x.field("energy_wh"), Double::sum);
                }
            }
            assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("battery_charge", 32, "battery_discharge",
                    32, "battery_soc", 32));
            double charge = battery.chargeWhBetween(Instant.ofEpochSecond(from), Instant.ofEpochSecond(to));
            double discharge = battery.dischargeWhBetween(Instant.ofEpochSecond(from), Instant.ofEpochSecond(to));
            assertThat(charge).as("the sun charged the battery in the gap").isGreaterThan(100);
            assertThat(discharge).as("the evening drew on it").isGreaterThan(100);
            assertThat(sums.get("battery_charge")).as("charge vs truth %.1f Wh", charge)
                    .isCloseTo(charge, org.assertj.core.data.Offset.offset(32 * 0.5));
            assertThat(sums.get("battery_discharge")).as("discharge vs truth %.1f Wh", discharge)
                    .isCloseTo(discharge, org.assertj.core.data.Offset.offset(32 * 0.5));
            Reading localSoc = sql.read("battery", to, to + 1).get(0);
            Reading cloudSoc = sql.read("cloud_interval", to, to + 1).stream()
                    .filter(x -> "battery_soc".equals(x.tag("kind"))).findFirst().orElseThrow();
            assertThat(cloudSoc.field("soc_pct")).as("cloud and local state of charge at 20:00")
                    .isEqualTo(localSoc.field("soc_pct"));
            GapFiller.Result again = new GapFiller(new CloudTelemetry(api, Map.of()), spool).fill(report.gaps(), sql);
            assertThat(again.calls()).as("nothing asked twice").isZero();
            System.out.printf("FIGURES cloud-battery: %d calls, charge %.0f Wh (truth %.1f), discharge %.0f Wh"
                    + " (truth %.1f), soc at 20:00 cloud %s %% local %s %%%n", r.calls(), sums.get("battery_charge"),
                    charge, sums.get("battery_discharge"), discharge, cloudSoc.field("soc_pct"),
                    localSoc.field("soc_pct"));
        }
    }

    /**
     * With enphase.cloud.micros on, a midday gap of 3 hours of a system with 25 micro-inverters gets their 5-minute
     * production (two pages of devices/micros/telemetry): every inverter, every 5 minutes, summing within 1 % of the
     * simulator's production in the gap, each inverter within 1 % of its share; a second round asks nothing.
     */
    @Test
    void microInverterIntervalsOfAGapSumToTheTruth() throws Exception {
        Instant dayStart = DAY.atStartOfDay(ZONE).toInstant();
        MutableClock clock = new MutableClock(dayStart);
        SimulatedGateway model = new SimulatedGateway(SERIAL, 4242L, 25, 1);
        Path data = tmp.resolve("data");
        JdbcSink sql = new JdbcSink(JdbcSinkConfig.sqlite(data));
        Spool spool = new Spool(data.resolve("spool"), SinkSwitches.of(List.of("jdbc")));
        DefaultPayloadParser parser = new DefaultPayloadParser();
        GatewayState state = new GatewayState();
        try (sql;
                EnlightenApiSimulator cloud = new EnlightenApiSimulator(clock, List.of(model)).start()) {
            EnlightenApi api = api(cloud, data, clock);
            poll(model, parser, state, clock, dayStart, dayStart.plus(Duration.ofHours(10)), sql, ENDPOINTS);
            poll(model, parser, state, clock, dayStart.plus(Duration.ofHours(13)),
                    dayStart.plus(Duration.ofHours(14)), sql, ENDPOINTS);
            clock.set(dayStart.plus(Duration.ofHours(14)).plusSeconds(30));
            GapFinder.Report report = new GapFinder(Duration.ofMinutes(10), ZONE).find(sql, dayStart,
                    clock.instant());
            CloudTelemetry telemetry = new CloudTelemetry(api, Map.of());
            GapFiller.Result r = new GapFiller(telemetry, spool, 20, true).fill(report.gaps(), sql);
            CloudTestSupport.drain(data.resolve("spool"), "jdbc", sql::deliver);
            assertThat(r.calls()).as("system id, four meter series, two pages of micros").isEqualTo(7);
            assertThat(r.gapsComplete()).isEqualTo(1);

            Instant a = dayStart.plus(Duration.ofHours(10));
            Instant b = dayStart.plus(Duration.ofHours(13));
            Map<String, Double> perDevice = new TreeMap<>();
            Map<String, Integer> intervals = new TreeMap<>();
            for (Reading x : sql.read("cloud_interval", 0, Long.MAX_VALUE)) {
                if (!"micro".equals(x.tag("kind"))) {
                    continue;
                }
                assertThat(x.time()).isGreaterThan(a.getEpochSecond()).isLessThanOrEqualTo(b.getEpochSecond());
                assertThat(x.field("duration_s")).isEqualTo(300.0);
                perDevice.merge(x.tag("device"), x.field("energy_wh"), Double::sum);
                intervals.merge(x.tag("device"), 1, Integer::sum);
            }
            assertThat(perDevice.keySet()).containsExactlyInAnyOrderElementsOf(model.inverterSerials());
            assertThat(intervals.values()).as("every 5 minutes of 3 hours").allMatch(n -> n == 36);
            double truth = model.productionWhBetween(a, b);
            double sum = perDevice.values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(Math.abs(sum - truth) / truth).as("micros %.1f Wh vs truth %.1f Wh", sum, truth)
                    .isLessThan(0.01);
            for (int i = 0; i < model.inverterCount(); i++) {
                double share = model.inverterShare(i) * truth;
                assertThat(Math.abs(perDevice.get(model.inverterSerial(i)) - share) / share).as("inverter %d", i)
                        .isLessThan(0.01);
            }
            GapFiller.Result again = new GapFiller(telemetry, spool, 20, true).fill(report.gaps(), sql);
            assertThat(again.calls()).as("nothing asked twice").isZero();
            System.out.printf("FIGURES cloud-micros: %d calls, %d inverters x %d intervals, %.1f Wh (truth %.1f Wh,"
                    + " %.3f %% off)%n", r.calls(), perDevice.size(), intervals.values().iterator().next(), sum, truth,
                    100 * Math.abs(sum - truth) / truth);
        }
    }

    private static EnlightenApi api(EnlightenApiSimulator cloud, Path data, MutableClock clock) throws Exception {
        CloudSettings settings = CloudTestSupport.settings(cloud, data.resolve("cloud"), 10, 1000, 100);
        HttpClient http = HttpClient.newHttpClient();
        Sleeper sleeper = clock::advance;
        OAuthTokens tokens = new OAuthTokens(settings, http, clock);
        tokens.exchangeCode(cloud.authorizationCode());
        return new EnlightenApi(settings, http, tokens, new CallBudget(settings.dir(), 10, 1000, 100, clock,
                sleeper), clock, sleeper);
    }

    private static void poll(SimulatedGateway model, DefaultPayloadParser parser, GatewayState state,
            MutableClock clock, Instant from, Instant to, JdbcSink sql, List<Endpoint> endpoints) throws Exception {
        List<Reading> batch = new ArrayList<>();
        for (Instant t = from; !t.isAfter(to); t = t.plus(Duration.ofMinutes(5))) {
            clock.set(t);
            for (Endpoint e : endpoints) {
                batch.addAll(parser.parse(SERIAL, e, 200, model.body(e, t), state));
            }
        }
        sql.deliver(batch);
    }

    private static long startAt(EnlightenApiSimulator.Call c) {
        for (String p : c.query().split("&")) {
            if (p.startsWith("start_at=")) {
                return Long.parseLong(p.substring(9));
            }
        }
        throw new IllegalArgumentException(c.query());
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
