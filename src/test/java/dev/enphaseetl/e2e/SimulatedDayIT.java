package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.commons.csv.CSVFormat;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.ledger.LedgerConfig;
import dev.enphaseetl.ledger.LedgerCsvStore;
import dev.enphaseetl.ledger.LedgerDay;
import dev.enphaseetl.ledger.LedgerJdbcStore;
import dev.enphaseetl.ledger.LedgerRecompute;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.model.Schema;
import dev.enphaseetl.parse.DefaultPayloadParser;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.parse.GatewayState;
import dev.enphaseetl.simulator.GatewaySimulator;
import dev.enphaseetl.simulator.SimulatedGateway;
import dev.enphaseetl.simulator.SimulatorConfig;
import dev.enphaseetl.sink.ItSupport;
import dev.enphaseetl.sink.file.CsvFileSink;
import dev.enphaseetl.sink.file.FileSinkConfig;
import dev.enphaseetl.sink.file.LineProtocolFileSink;
import dev.enphaseetl.sink.influx.InfluxSink;
import dev.enphaseetl.sink.influx.InfluxSinkConfig;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;
import dev.enphaseetl.sink.jdbc.TestDatabases;
import dev.enphaseetl.testing.MutableClock;

/**
 * One simulated day end to end, without Quarkus: a real {@link GatewaySimulator} (HTTPS, two gateways, fixed seed)
 * driven by a clock the test moves in 5-minute steps from 00:00 to 00:10 of the next day; every step fetches the
 * seven endpoints over HTTPS (trusting exactly the simulator's certificate), parses them with one
 * {@link DefaultPayloadParser} and one {@link GatewayState} per gateway, and delivers the step's batch to the line
 * protocol and CSV files, InfluxDB, PostgreSQL, MariaDB and SQLite; then every batch a second time.
 * <p>
 * Checks: every database holds exactly the distinct points of the line protocol files (fields of lines with the same
 * series and time merged in file order, as InfluxDB and the SQL upserts do), with equal values; the second delivery
 * changes no database count and doubles the append-only files; the daily ledger recomputed from the SQL archives
 * matches the simulator's ground truth within 0.1 %.
 * <p>
 * Needs InfluxDB 1.x, PostgreSQL and MariaDB (.ci/services.sh): a missing server fails the test, unless
 * {@code -Denphase.it.skip} is set.
 */
class SimulatedDayIT {

    static final String INFLUX_URL = "http://127.0.0.1:8086";
    static final LocalDate DAY = LocalDate.of(2024, 6, 21);
    static final ZoneId ZONE = ZoneOffset.UTC;
    static final Duration STEP = Duration.ofMinutes(5);
    static final Duration AFTER_MIDNIGHT = Duration.ofMinutes(10);
    static final int GATEWAYS = 2;
    static final long SEED = 20240621L;
    static final double TOLERANCE = 0.001;

    static final List<Endpoint> ENDPOINTS = List.of(Endpoint.INFO, Endpoint.IVP_METERS, Endpoint.PRODUCTION_JSON,
            Endpoint.API_V1_PRODUCTION, Endpoint.API_V1_PRODUCTION_INVERTERS, Endpoint.IVP_METERS_READINGS,
            Endpoint.IVP_PDM_ENERGY);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Runnable> drops = new ArrayList<>();

    record SqlDb(String vendor, JdbcSinkConfig config, JdbcSink sink) {}

    @AfterEach
    void tearDown() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
        for (Runnable drop : drops) {
            try {
                drop.run();
            } catch (RuntimeException e) {
                System.err.println("SimulatedDayIT: cleanup failed: " + e.getMessage());
            }
        }
    }

    @Test
    void aSimulatedDayReachesEverySinkExactlyOnceAndTheLedgerMatchesTheTruth() throws Exception {
        long started = System.nanoTime();
        // --- the sinks (servers checked first: fail, or skip with -Denphase.it.skip) ---
        ItSupport.requireServer("InfluxDB", 8086);
        String influxDb = "enphase_day_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        InfluxSink influx = new InfluxSink(InfluxSinkConfig.of(INFLUX_URL, influxDb).withCreateDatabase(true));
        closeables.add(influx);
        drops.add(() -> {
            try (InfluxSink admin = new InfluxSink(InfluxSinkConfig.of(INFLUX_URL, influxDb))) {
                admin.client().query(new Query("DROP DATABASE \"" + influxDb + "\""));
            }
        });
        List<SqlDb> sqls = new ArrayList<>();
        for (String vendor : List.of("sqlite", "postgresql", "mariadb")) {
            TestDatabases.TestDb db = TestDatabases.create(vendor, tmp.resolve(vendor));
            drops.add(db.drop());
            JdbcSink sink = new JdbcSink(db.config());
            closeables.add(sink);
            sqls.add(new SqlDb(vendor, db.config(), sink));
        }
        Path dataDir = tmp.resolve("data");
        LineProtocolFileSink lp = new LineProtocolFileSink(FileSinkConfig.lineProtocol(dataDir));
        CsvFileSink csv = new CsvFileSink(FileSinkConfig.csv(dataDir));

        // --- one simulated day over real HTTPS ---
        Instant dayStart = DAY.atStartOfDay(ZONE).toInstant();
        Instant dayEnd = DAY.plusDays(1).atStartOfDay(ZONE).toInstant();
        MutableClock clock = new MutableClock(dayStart);
        GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().gatewayCount(GATEWAYS).seed(SEED)
                .httpPort(-1).httpsPort(0).zone(ZONE).clock(clock).build());
        closeables.add(sim);
        sim.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(trustingExactly(sim)).connectTimeout(Duration.ofSeconds(5)).build();
        DefaultPayloadParser parser = new DefaultPayloadParser();
        List<GatewayState> states = new ArrayList<>();
        for (int i = 0; i < GATEWAYS; i++) {
            states.add(new GatewayState());
        }

        List<List<Reading>> batches = new ArrayList<>();
        long requests = 0;
        for (Instant t = dayStart; !t.isAfter(dayEnd.plus(AFTER_MIDNIGHT)); t = t.plus(STEP)) {
            clock.set(t);
            List<Reading> batch = new ArrayList<>();
            for (int i = 0; i < GATEWAYS; i++) {
                String serial = sim.gateway(i).serial();
                for (Endpoint e : ENDPOINTS) {
                    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(sim.baseUrl(i, true) + e.path()))
                            .timeout(Duration.ofSeconds(10)).GET();
                    if (e != Endpoint.INFO) {
                        req.header("Authorization", "Bearer " + SimulatorConfig.DEV_TOKEN);
                    }
                    HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                    requests++;
                    try {
                        batch.addAll(parser.parse(serial, e, resp.statusCode(), resp.body(), states.get(i)));
                    } catch (Exception ex) {
                        throw new AssertionError("parsing " + e.path() + " of " + serial + " at " + t + " (HTTP "
                                + resp.statusCode() + ")", ex);
                    }
                }
            }
            batches.add(batch);
        }
        double fetchSeconds = (System.nanoTime() - started) / 1e9;
        long delivered = batches.stream().mapToLong(List::size).sum();
        assertThat(delivered).isPositive();

        // --- first delivery ---
        deliverEverywhere(batches, lp, csv, influx, sqls);
        Path lpDir = dataDir.resolve("lineprotocol");
        Map<Path, Long> lpLines = lineCounts(lpDir, ".lp");
        Map<Path, Long> csvLines = lineCounts(dataDir.resolve("csv"), ".csv");
        List<String> lines = readLines(lpDir);
        assertThat((long) lines.size()).as("one line protocol line per delivered reading").isEqualTo(delivered);

        Map<String, Map<String, LineProtocolLines.Point>> expected = mergedPoints(lines);
        assertThat(expected.keySet()).contains("system", "inverter", "meter", "pdm_energy");

        Map<String, Long> influxCounts = checkInflux(influx, influxDb, expected);
        Map<String, Map<String, Long>> sqlCounts = new LinkedHashMap<>();
        for (SqlDb db : sqls) {
            sqlCounts.put(db.vendor(), checkSql(db, expected));
        }

        // --- second delivery: databases unchanged, append-only files doubled ---
        deliverEverywhere(batches, lp, csv, influx, sqls);
        assertThat(countInflux(influx, influxDb, expected.keySet())).as("InfluxDB counts after re-delivery")
                .isEqualTo(influxCounts);
        for (SqlDb db : sqls) {
            assertThat(countSql(db)).as(db.vendor() + " counts after re-delivery")
                    .isEqualTo(sqlCounts.get(db.vendor()));
        }
        Map<Path, Long> lpLinesAfter = lineCounts(lpDir, ".lp");
        assertThat(lpLinesAfter.keySet()).isEqualTo(lpLines.keySet());
        lpLines.forEach((file, n) -> assertThat(lpLinesAfter.get(file)).as(file.toString()).isEqualTo(2 * n));
        Map<Path, Long> csvLinesAfter = lineCounts(dataDir.resolve("csv"), ".csv");
        assertThat(csvLinesAfter.keySet()).isEqualTo(csvLines.keySet());
        // CSV: the header once, the data rows twice; gateways.csv (one row per gateway, rewritten) unchanged
        Path gateways = dataDir.resolve("csv").resolve("gateways.csv");
        assertThat(csvLines).containsKey(gateways);
        csvLines.forEach((file, n) -> assertThat(csvLinesAfter.get(file)).as(file.toString())
                .isEqualTo(file.equals(gateways) ? n : 2 * n - 1));
        assertThat(mergedPoints(readLines(lpDir))).as("the doubled files hold the same distinct points")
                .isEqualTo(expected);

        // --- the ledger of the day against the simulator's ground truth ---
        LedgerCsvStore ledgerCsv = LedgerCsvStore.inDataDir(dataDir);
        SqlDb sqlite = sqls.get(0);
        List<LedgerDay> ledger = new LedgerRecompute(sqlite.sink(), new LedgerConfig(ZONE, null), ledgerCsv,
                new LedgerJdbcStore(sqlite.sink())).recompute(DAY, DAY);
        assertThat(ledger).hasSize(GATEWAYS);
        assertThat(ledgerCsv.read(ledgerCsv.file(DAY.getYear()))).as("ledger CSV rows")
                .containsExactlyInAnyOrderElementsOf(ledger);
        for (SqlDb db : sqls.subList(1, sqls.size())) {
            List<LedgerDay> other = new LedgerRecompute(db.sink(), new LedgerConfig(ZONE, null), null,
                    new LedgerJdbcStore(db.sink())).recompute(DAY, DAY);
            assertThat(other).as("ledger from the " + db.vendor() + " archive")
                    .containsExactlyInAnyOrderElementsOf(ledger);
        }
        assertThat(countRows(sqlite, "daily_ledger")).isEqualTo(GATEWAYS);

        StringBuilder ledgerSummary = new StringBuilder();
        for (LedgerDay d : ledger) {
            int index = indexOf(sim, d.gateway());
            SimulatedGateway model = sim.gateway(index).model().orElseThrow();
            double producedTruth = model.productionWhBetween(dayStart, dayEnd) / 1000;
            double consumedTruth = model.consumptionWhBetween(dayStart, dayEnd) / 1000;
            double netTruth = model.netWhBetween(dayStart, dayEnd) / 1000;
            assertThat(d.day()).isEqualTo(DAY);
            assertThat(d.flags()).as("ledger flags of " + d.gateway()).isEmpty();
            assertWithin("produced kWh of " + d.gateway(), d.producedKwh(), producedTruth);
            assertWithin("consumed kWh of " + d.gateway(), d.consumedKwh(), consumedTruth);
            // the simulated net meter counts consumption as delivered and production as received (docs/simulator.md)
            assertThat(d.gridSource()).isEqualTo("meter");
            assertWithin("imported kWh of " + d.gateway(), d.importedKwh(), consumedTruth);
            assertWithin("exported kWh of " + d.gateway(), d.exportedKwh(), producedTruth);
            assertWithin("imported - exported kWh of " + d.gateway(), d.importedKwh().subtract(d.exportedKwh()),
                    netTruth);
            ledgerSummary.append(String.format(" %s produced %s kWh (truth %.6f, %+.5f %%) consumed %s kWh (truth %.6f,"
                    + " %+.5f %%) net %s kWh (truth %.6f);", d.gateway(), d.producedKwh(), producedTruth,
                    relPct(d.producedKwh(), producedTruth), d.consumedKwh(), consumedTruth,
                    relPct(d.consumedKwh(), consumedTruth), d.importedKwh().subtract(d.exportedKwh()), netTruth));
        }

        // --- figures for the record ---
        Map<String, Integer> points = new TreeMap<>();
        expected.forEach((m, p) -> points.put(m, p.size()));
        System.out.printf("SimulatedDayIT: %s, %d gateways, %d steps, %d HTTPS requests, %d readings per delivery,"
                + " %d LP lines after 2 deliveries; distinct points %s (total %d, %d lines merged into an earlier point); InfluxDB %s; SQL rows %s;"
                + " ledger:%s fetch+parse %.1f s, deliveries (both) %s, run time %.1f s%n", DAY, GATEWAYS,
                batches.size(), requests, delivered,
                lpLinesAfter.values().stream().mapToLong(Long::longValue).sum(), points,
                points.values().stream().mapToInt(Integer::intValue).sum(),
                delivered - points.values().stream().mapToInt(Integer::intValue).sum(), influxCounts,
                nonZero(sqlCounts),
                ledgerSummary, fetchSeconds, deliverySeconds(), (System.nanoTime() - started) / 1e9);
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Delivery time per sink in nanoseconds (both passes), for the summary. */
    private final Map<String, Long> deliveryNanos = new ConcurrentHashMap<>();

    /**
     * Delivers every batch, in order, to every sink. Each sink gets its own thread (the sinks are independent and
     * mostly wait for fsync and commits), so the run time is that of the slowest sink, not the sum.
     */
    private void deliverEverywhere(List<List<Reading>> batches, LineProtocolFileSink lp, CsvFileSink csv,
            InfluxSink influx, List<SqlDb> sqls) throws Exception {
        Map<String, Consumer<List<Reading>>> sinks = new LinkedHashMap<>();
        sinks.put("lineprotocol", lp::deliver);
        sinks.put("csv", csv::deliver);
        sinks.put("influxdb", influx::deliver);
        for (SqlDb db : sqls) {
            sinks.put(db.vendor(), db.sink()::deliver);
        }
        ExecutorService pool = Executors.newFixedThreadPool(sinks.size());
        try {
            List<Future<?>> futures = new ArrayList<>();
            sinks.forEach((name, sink) -> futures.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                for (List<Reading> batch : batches) {
                    if (!batch.isEmpty()) {
                        sink.accept(batch);
                    }
                }
                deliveryNanos.merge(name, System.nanoTime() - t0, Long::sum);
                return null;
            })));
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, String> deliverySeconds() {
        Map<String, String> out = new TreeMap<>();
        deliveryNanos.forEach((k, v) -> out.put(k, String.format("%.1f s", v / 1e9)));
        return out;
    }

    private static SSLContext trustingExactly(GatewaySimulator sim) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("simulator", sim.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static Map<String, Map<String, LineProtocolLines.Point>> mergedPoints(List<String> lines) {
        return LineProtocolLines.merged(lines);
    }

    private static List<String> readLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".lp")).sorted().toList()) {
                for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!l.isBlank()) {
                        lines.add(l);
                    }
                }
            }
        }
        return lines;
    }

    /** Lines per file (CSV records for .csv files). */
    private static Map<Path, Long> lineCounts(Path dir, String suffix) throws IOException {
        Map<Path, Long> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                if (suffix.equals(".csv")) {
                    try (Reader in = Files.newBufferedReader(f)) {
                        out.put(f, (long) CSVFormat.RFC4180.parse(in).getRecords().size());
                    }
                } else {
                    try (Stream<String> ls = Files.lines(f)) {
                        out.put(f, ls.count());
                    }
                }
            }
        }
        assertThat(out).as("files under " + dir).isNotEmpty();
        return out;
    }

    // --- InfluxDB ---

    private static Map<String, Long> checkInflux(InfluxSink influx, String db,
            Map<String, Map<String, LineProtocolLines.Point>> expected) {
        return InfluxReadBack.check(influx.client(), db, expected);
    }

    private static Map<String, Long> countInflux(InfluxSink influx, String db, Iterable<String> measurements) {
        return InfluxReadBack.count(influx.client(), db, measurements);
    }

    // --- SQL ---

    /** Compares every row of every schema table and returns the row count per table. */
    private static Map<String, Long> checkSql(SqlDb db, Map<String, Map<String, LineProtocolLines.Point>> expected)
            throws Exception {
        Map<String, Long> counts = countSql(db);
        for (Schema.Measurement m : Schema.all()) {
            Map<String, LineProtocolLines.Point> want = expected.getOrDefault(m.name(), Map.of());
            assertThat(counts.get(m.name())).as(db.vendor() + " rows of " + m.name()).isEqualTo(want.size());
            if (want.isEmpty()) {
                continue;
            }
            Map<String, LineProtocolLines.Point> actual = new LinkedHashMap<>();
            for (Reading r : db.sink().read(m.name(), Long.MIN_VALUE, Long.MAX_VALUE)) {
                LineProtocolLines.Point p = new LineProtocolLines.Point(r.measurement(), r.tags(), r.fields(),
                        r.time());
                actual.put(p.seriesKey(), p);
            }
            assertThat(actual).as(db.vendor() + " values of " + m.name()).isEqualTo(want);
        }
        return counts;
    }

    private static Map<String, Long> countSql(SqlDb db) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (Schema.Measurement m : Schema.all()) {
            out.put(m.name(), countRows(db, m.name()));
        }
        return out;
    }

    private static long countRows(SqlDb db, String table) throws Exception {
        JdbcSinkConfig c = db.config();
        try (Connection con = DriverManager.getConnection(c.url(), c.user(), c.password());
                Statement s = con.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Map<String, Long>> nonZero(Map<String, Map<String, Long>> counts) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        counts.forEach((vendor, m) -> {
            Map<String, Long> nz = new TreeMap<>();
            m.forEach((k, v) -> {
                if (v > 0) {
                    nz.put(k, v);
                }
            });
            out.put(vendor, nz);
        });
        return out;
    }

    // --- ledger ---

    private static int indexOf(GatewaySimulator sim, String serial) {
        for (int i = 0; i < sim.gateways().size(); i++) {
            if (sim.gateway(i).serial().equals(serial)) {
                return i;
            }
        }
        throw new AssertionError("no simulated gateway " + serial);
    }

    private static void assertWithin(String what, BigDecimal actualKwh, double truthKwh) {
        assertThat(actualKwh).as(what + " is known").isNotNull();
        assertThat(Math.abs(truthKwh)).as(what + ": truth must be non-zero for a relative check").isPositive();
        double rel = Math.abs(actualKwh.doubleValue() - truthKwh) / Math.abs(truthKwh);
        assertThat(rel).as("%s: ledger %s vs truth %.6f", what, actualKwh, truthKwh).isLessThanOrEqualTo(TOLERANCE);
    }

    private static double relPct(BigDecimal actual, double truth) {
        return (actual.doubleValue() - truth) / truth * 100;
    }
}
