package dev.enphaseetl.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.enphaseetl.faults.PrivateInflux;
import dev.enphaseetl.ledger.LedgerUpdate;
import dev.enphaseetl.simulator.EmbeddedSimulator;
import dev.enphaseetl.simulator.SimulatedGateway;

/**
 * The page in a real browser (headless Chromium) against the whole pipeline running on the built-in simulator, whose
 * clock starts six simulated hours before yesterday (UTC) and runs 720 times faster than real time: yesterday passes in two minutes
 * and the ledger (which recomputes yesterday and today) covers it. Sinks: SQLite (the archive the page reads), line
 * protocol files and a private InfluxDB that the test stops.
 * <p>
 * Checks: the day's production curve on the page equals the archive's bucketed averages (read from the chart's data
 * and from a direct SQL query); the inverter heatmap has one row per simulated inverter; the ledger on the page shows
 * the simulated day within 0.1 % of the simulator's truth; the page fits a phone screen; the stopped InfluxDB shows
 * as a failing sink within a minute. Screenshots: {@code target/page-screenshots/}.
 */
@QuarkusTest
@TestProfile(PageBrowserTest.Profile.class)
class PageBrowserTest {

    static final double SPEED = 720;
    static final double TOLERANCE = 0.001;
    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    static final Instant DAY_START = DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
    static final Instant DAY_END = DAY_START.plus(Duration.ofDays(1));
    /** The simulator's clock starts when the application boots: 6 simulated hours are 30 s for the boot to finish. */
    static final Duration LEAD = Duration.ofHours(6);

    static String value(String key, java.util.function.Supplier<String> initial) {
        synchronized (System.getProperties()) {
            String v = System.getProperty("page." + key);
            if (v == null) {
                v = initial.get();
                System.setProperty("page." + key, v);
            }
            return v;
        }
    }

    static final Path DATA = Path.of(value("data", () -> Path.of("target", "page-" + Long.toString(System.nanoTime(),
            36)).toAbsolutePath().toString()));
    static final int INFLUX_PORT = Integer.parseInt(value("influx.port", () -> {
        try (ServerSocket s = new ServerSocket(0)) {
            return Integer.toString(s.getLocalPort());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }));

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("enphase.data-dir", DATA.toString());
            m.put("enphase.simulator.clock-start", DAY_START.minus(LEAD).toString());
            m.put("enphase.simulator.speed", Double.toString(SPEED));
            m.put("enphase.poll.first-delay", "200");
            m.put("enphase.poll.production-json.period", "1s");
            m.put("enphase.poll.api-v1-production.period", "1s");
            m.put("enphase.poll.api-v1-production-inverters.period", "1s");
            m.put("enphase.poll.ivp-meters-readings.period", "1s");
            m.put("enphase.sink.poll-delay", "200");
            m.put("enphase.sink.retry.delay", "200");
            m.put("enphase.sink.retry.max-delay", "1000");
            m.put("enphase.sink.retry.max-redeliveries", "1");
            m.put("enphase.sink.retry.scan-backoff", "2");
            m.put("enphase.sink.csv.enabled", "false");
            m.put("enphase.sink.influxdb.url", "http://127.0.0.1:" + INFLUX_PORT);
            m.put("enphase.sink.influxdb.database", "page");
            m.put("enphase.sink.influxdb.create-database", "true");
            m.put("enphase.sink.influxdb.connect-timeout", "1s");
            m.put("enphase.sink.influxdb.read-timeout", "5s");
            m.put("enphase.ledger.period", "5s");
            m.put("enphase.ledger.first-delay", "5s");
            return m;
        }
    }

    static PrivateInflux influx;

    @AfterAll
    static void stopInflux() throws Exception {
        if (influx != null) {
            influx.close();
        }
    }

    @TestHTTPResource("/")
    URL page;

    @Inject
    EmbeddedSimulator embedded;

    @Inject
    LedgerUpdate ledger;

    @Test
    void thePageShowsTheArchiveTheLedgerAndAFailingSink() throws Exception {
        influx = new PrivateInflux(INFLUX_PORT).start();
        SimulatedGateway model = embedded.simulator().orElseThrow().gateway(0).model().orElseThrow();
        String gateway = model.serial();

        // yesterday passes in about two minutes; then the ledger is recomputed once more from the complete day
        long after = DAY_END.plus(Duration.ofMinutes(40)).getEpochSecond();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> newest(gateway) > after);
        assertThat(oldest(gateway)).as("the first reading comes before the simulated day (else the boot took longer"
                + " than %s of simulated time)", LEAD).isLessThan(DAY_START.getEpochSecond());
        ledger.recomputeRecent();

        ChromeDriver driver = Browser.start(1280, 2600);
        try {
            driver.get(page.toString());
            waitFor(driver, "return !!(window.enphasePage && enphasePage.loaded.power && enphasePage.loaded.ledger"
                    + " && enphasePage.loaded.inverters && enphasePage.loaded.pipeline)");
            driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " enphasePage.setDay(arguments[0]).then(() => done(true));", DAY.toString());
            waitFor(driver, "return enphasePage.data.power.from === " + DAY_START.getEpochSecond()
                    + " && !!enphasePage.charts.power");

            // --- the production curve equals the archive's bucketed averages ---
            long bucket = ((Number) driver.executeScript("return enphasePage.data.power.bucket_s")).longValue();
            @SuppressWarnings("unchecked")
            List<List<Object>> chart = (List<List<Object>>) driver.executeScript("return enphasePage.charts.power.data"
                    + ".map(a => Array.from(a))");
            Map<Long, Double> shown = new TreeMap<>();
            for (int i = 0; i < chart.get(0).size(); i++) {
                if (chart.get(1).get(i) != null) {
                    shown.put(((Number) chart.get(0).get(i)).longValue(), ((Number) chart.get(1).get(i)).doubleValue());
                }
            }
            Map<Long, Double> archived = archiveAverages(gateway, bucket);
            assertThat(archived).as("production buckets in the archive").hasSizeGreaterThan(50);
            assertThat(shown.keySet()).as("bucket times on the chart").isEqualTo(archived.keySet());
            archived.forEach((t, w) -> assertThat(shown.get(t)).as("production_w at %s", Instant.ofEpochSecond(t))
                    .isCloseTo(w, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(w)))));
            assertThat(archived.values().stream().mapToDouble(Double::doubleValue).max().orElse(0))
                    .as("the sun shone on the simulated day").isPositive();

            // --- one heatmap row per simulated inverter ---
            assertThat(driver.findElement(By.id("heatmap")).getDomAttribute("data-rows"))
                    .isEqualTo(Integer.toString(model.inverterCount()));
            @SuppressWarnings("unchecked")
            List<String> serials = (List<String>) driver.executeScript("return enphasePage.data.inverters.serials");
            assertThat(serials).containsExactlyInAnyOrderElementsOf(model.inverterSerials());
            assertThat(driver.findElements(By.cssSelector("#inverters tbody tr"))).hasSize(model.inverterCount());

            // --- the ledger shows the simulated day within 0.1 % of the truth ---
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) driver.executeScript("return enphasePage.data.ledger.rows"
                    + ".find(r => r.day === arguments[0] && r.gateway === arguments[1])", DAY.toString(), gateway);
            assertThat(row).as("ledger row of %s on the page", DAY).isNotNull();
            double producedTruth = model.productionWhBetween(DAY_START, DAY_END) / 1000;
            double consumedTruth = model.consumptionWhBetween(DAY_START, DAY_END) / 1000;
            assertWithin("produced", row.get("produced_kwh"), producedTruth);
            assertWithin("consumed", row.get("consumed_kwh"), consumedTruth);
            // the simulated net meter counts consumption as delivered and production as received (docs/simulator.md)
            assertWithin("imported", row.get("imported_kwh"), consumedTruth);
            assertWithin("exported", row.get("exported_kwh"), producedTruth);
            String totals = driver.findElement(By.id("totals")).getText();
            assertThat(totals).contains(String.format(java.util.Locale.ROOT, "Produced %.2f kWh",
                    ((Number) row.get("produced_kwh")).doubleValue()));
            System.out.printf("PageBrowserTest: %s produced %s kWh (truth %.6f), consumed %s kWh (truth %.6f),"
                    + " %d chart buckets of %d s%n", DAY, row.get("produced_kwh"), producedTruth,
                    row.get("consumed_kwh"), consumedTruth, archived.size(), bucket);
            ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
            Browser.screenshot(driver, "desktop");

            // --- the archive gaps panel says what /api/pipeline says (no look yet, none, or a table of gaps) ---
            String gapState = (String) driver.executeScript("return enphasePage.data.pipeline.archive_gaps.state");
            assertThat(driver.findElement(By.cssSelector("#archive-gaps [data-gaps]")).getDomAttribute("data-gaps"))
                    .as("archive gaps panel").isEqualTo(gapState).isIn("no-report", "none", "gaps");

            // --- a phone screen: nothing wider than the viewport ---
            driver.manage().window().setSize(new Dimension(390, 2400));
            waitFor(driver, "return window.innerWidth < 600");
            driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " enphasePage.refresh().then(() => done(true));");
            Number overflow = (Number) driver.executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(overflow.intValue()).as("horizontal overflow on a phone screen (px)").isLessThanOrEqualTo(0);
            assertThat(driver.findElement(By.id("heatmap")).getDomAttribute("data-rows"))
                    .isEqualTo(Integer.toString(model.inverterCount()));
            Browser.screenshot(driver, "phone");

            // --- a stopped sink appears as failing within a minute ---
            driver.manage().window().setSize(new Dimension(1280, 2600));
            waitFor(driver, "const r = document.querySelector('#pipeline-sinks tr[data-sink=influxdb]');"
                    + " return !!r && r.dataset.state === 'ok'");
            influx.stop();
            Instant stopped = Instant.now();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> "failing".equals(
                    driver.executeScript("const r = document.querySelector('#pipeline-sinks tr[data-sink=influxdb]');"
                            + " return r && r.dataset.state")));
            System.out.printf("PageBrowserTest: the stopped InfluxDB showed as failing after %d s%n",
                    Duration.between(stopped, Instant.now()).toSeconds());
            driver.executeScript("document.getElementById('pipeline-section').scrollIntoView()");
            Browser.screenshot(driver, "pipeline-failing");
        } finally {
            driver.quit();
        }
    }

    private static void waitFor(ChromeDriver driver, String script) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> Boolean.TRUE.equals(driver.executeScript(script)));
    }

    private static Connection archive() throws Exception {
        Class.forName("org.sqlite.JDBC");
        return DriverManager.getConnection("jdbc:sqlite:" + DATA.resolve("enphase.db"));
    }

    private static long newest(String gateway) throws Exception {
        return time("MAX", gateway);
    }

    private static long oldest(String gateway) throws Exception {
        return time("MIN", gateway);
    }

    private static long time(String aggregate, String gateway) throws Exception {
        try (Connection c = archive();
                PreparedStatement ps = c.prepareStatement("SELECT " + aggregate + "(time)"
                        + " FROM system WHERE gateway = ?")) {
            ps.setString(1, gateway);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (java.sql.SQLException e) {
            return 0; // no table yet
        }
    }

    /** The day's raw production rows, averaged here per bucket of {@code bucket} seconds (not by the page's SQL). */
    private static Map<Long, Double> archiveAverages(String gateway, long bucket) throws Exception {
        Map<Long, double[]> sums = new TreeMap<>();
        try (Connection c = archive();
                PreparedStatement ps = c.prepareStatement("SELECT time, production_w FROM system"
                        + " WHERE gateway = ? AND time >= ? AND time < ? AND production_w IS NOT NULL")) {
            ps.setString(1, gateway);
            ps.setLong(2, DAY_START.getEpochSecond());
            ps.setLong(3, DAY_END.getEpochSecond());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long t = Math.floorDiv(rs.getLong(1), bucket) * bucket;
                    double[] s = sums.computeIfAbsent(t, k -> new double[2]);
                    s[0] += rs.getDouble(2);
                    s[1]++;
                }
            }
        }
        Map<Long, Double> out = new TreeMap<>();
        sums.forEach((t, s) -> out.put(t, s[0] / s[1]));
        return out;
    }

    private static void assertWithin(String what, Object shown, double truthKwh) {
        assertThat(shown).as(what + " kWh on the page").isInstanceOf(Number.class);
        assertThat(truthKwh).as(what + ": truth must be positive for a relative check").isPositive();
        double rel = Math.abs(((Number) shown).doubleValue() - truthKwh) / truthKwh;
        assertThat(rel).as("%s: page %s kWh vs truth %.6f kWh", what, shown, truthKwh).isLessThanOrEqualTo(TOLERANCE);
    }
}
