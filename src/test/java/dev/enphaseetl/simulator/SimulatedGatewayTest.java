package dev.enphaseetl.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.parse.Endpoint;

class SimulatedGatewayTest {

    private static final Instant WEEK_START = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(7);
    private static final double EPS = 0.01;

    private final SimulatedGateway gw = new SimulatedGateway("202401000001", 42, 20, 2, "8.2.4345",
            ZoneId.of("Europe/Berlin"));

    @Test
    void countersNeverDecreaseAndMatchTheirIntegral() {
        double lastProd = -1;
        double lastCons = -1;
        long lastInverters = -1;
        for (Instant t = WEEK_START; t.isBefore(WEEK_START.plus(Duration.ofDays(7))); t = t.plus(STEP)) {
            JsonNode p = gw.json(Endpoint.PRODUCTION_JSON, t);
            double prod = p.at("/production/1/whLifetime").asDouble();
            double cons = p.at("/consumption/0/whLifetime").asDouble();
            long inverters = p.at("/production/0/whLifetime").asLong();
            assertThat(prod).isGreaterThanOrEqualTo(lastProd);
            assertThat(cons).isGreaterThan(lastCons);
            assertThat(inverters).isGreaterThanOrEqualTo(lastInverters);
            lastProd = prod;
            lastCons = cons;
            lastInverters = inverters;
        }
        Instant a = WEEK_START.plus(Duration.ofHours(5));
        Instant b = a.plus(Duration.ofHours(9));
        assertThat(gw.productionWhBetween(a, b)).isCloseTo(riemann(a, b, true), within(1.0));
        assertThat(gw.consumptionWhBetween(a, b)).isCloseTo(riemann(a, b, false), within(1.0));
    }

    /** Midpoint-rule integral of the instantaneous power, one-second steps. */
    private double riemann(Instant a, Instant b, boolean production) {
        double wh = 0;
        for (long s = a.getEpochSecond(); s < b.getEpochSecond(); s++) {
            Instant mid = Instant.ofEpochSecond(s, 500_000_000);
            wh += (production ? gw.productionW(mid) : gw.consumptionW(mid)) / 3600.0;
        }
        return wh;
    }

    @Test
    void todayAndSevenDaysAreLifetimeDifferences() {
        for (Instant t = WEEK_START; t.isBefore(WEEK_START.plus(Duration.ofDays(7))); t = t.plus(STEP)) {
            Instant m = gw.meterTime(t);
            JsonNode eim = gw.json(Endpoint.PRODUCTION_JSON, t).at("/production/1");
            double today = gw.productionLifetimeWh(m) - gw.productionLifetimeWh(gw.localMidnight(m));
            double week = gw.productionLifetimeWh(m) - gw.productionLifetimeWh(gw.sevenDaysStart(m));
            assertThat(eim.get("whToday").asDouble()).isCloseTo(today, within(EPS));
            assertThat(eim.get("whLastSevenDays").asDouble()).isCloseTo(week, within(EPS));
            assertThat(eim.get("whLifetime").asDouble() - eim.get("whToday").asDouble())
                    .isCloseTo(gw.productionLifetimeWh(gw.localMidnight(m)), within(EPS));
            JsonNode cons = gw.json(Endpoint.PRODUCTION_JSON, t).at("/consumption/0");
            assertThat(cons.get("whToday").asDouble()).isCloseTo(
                    gw.consumptionWhBetween(gw.localMidnight(m), m), within(EPS));
            JsonNode api = gw.json(Endpoint.API_V1_PRODUCTION, t);
            assertThat(api.get("wattHoursToday").asLong()).isEqualTo(Math.round(today));
            assertThat(api.get("wattHoursSevenDays").asLong()).isEqualTo(Math.round(week));
        }
    }

    @Test
    void invertersSumToProductionAndPhasesToTotals() {
        for (Instant t = WEEK_START; t.isBefore(WEEK_START.plus(Duration.ofDays(7))); t = t.plus(STEP)) {
            JsonNode inverters = gw.json(Endpoint.API_V1_PRODUCTION_INVERTERS, t);
            long sum = 0;
            for (JsonNode inv : inverters) {
                sum += inv.get("lastReportWatts").asLong();
                assertThat(inv.get("lastReportWatts").asLong()).isLessThanOrEqualTo(inv.get("maxReportWatts").asLong());
            }
            JsonNode p = gw.json(Endpoint.PRODUCTION_JSON, t);
            assertThat(p.at("/production/0/wNow").asLong()).isEqualTo(sum);
            assertThat(gw.json(Endpoint.IVP_PDM_ENERGY, t).at("/production/pcu/wattsNow").asLong()).isEqualTo(sum);
            double modelSum = 0;
            for (int i = 0; i < gw.inverterCount(); i++) {
                modelSum += gw.inverterShare(i) * gw.productionW(gw.inverterReportTime(i, t));
            }
            assertThat((double) sum).isCloseTo(modelSum, within(gw.inverterCount() * 0.5));

            for (JsonNode e : new JsonNode[]{p.at("/production/1"), p.at("/consumption/0"), p.at("/consumption/1")}) {
                assertLinesSum(e, e.get("lines"), "wNow", "whLifetime", "whToday", "whLastSevenDays");
            }
            for (JsonNode r : gw.json(Endpoint.IVP_METERS_READINGS, t)) {
                assertLinesSum(r, r.get("channels"), "activePower", "actEnergyDlvd", "actEnergyRcvd");
            }
            for (JsonNode r : gw.json(Endpoint.IVP_METERS_REPORTS_CONSUMPTION, t)) {
                assertLinesSum(r.get("cumulative"), r.get("lines"), "currW", "whDlvdCum");
            }
        }
    }

    private static void assertLinesSum(JsonNode total, JsonNode lines, String... fields) {
        for (String f : fields) {
            double sum = 0;
            for (JsonNode l : lines) {
                sum += l.get(f).asDouble();
            }
            assertThat(sum).as(f).isCloseTo(total.get(f).asDouble(), within(EPS));
        }
    }

    @Test
    void netIsConsumptionMinusProduction() {
        for (Instant t = WEEK_START; t.isBefore(WEEK_START.plus(Duration.ofDays(7))); t = t.plus(STEP)) {
            JsonNode p = gw.json(Endpoint.PRODUCTION_JSON, t);
            JsonNode prod = p.at("/production/1");
            JsonNode total = p.at("/consumption/0");
            JsonNode net = p.at("/consumption/1");
            for (String f : new String[]{"wNow", "whLifetime", "whToday", "whLastSevenDays"}) {
                assertThat(net.get(f).asDouble()).as(f)
                        .isCloseTo(total.get(f).asDouble() - prod.get(f).asDouble(), within(EPS));
            }
            Instant m = gw.meterTime(t);
            assertThat(net.get("wNow").asDouble()).isCloseTo(gw.netW(m), within(EPS));
            JsonNode live = gw.json(Endpoint.IVP_LIVEDATA_STATUS, t).at("/meters");
            assertThat(live.at("/grid/agg_p_mw").asLong())
                    .isCloseTo(live.at("/load/agg_p_mw").asLong() - live.at("/pv/agg_p_mw").asLong(),
                            within(2L));
        }
    }

    @Test
    void productionIsZeroAtNightAndPositiveAtNoon() {
        for (int day = 0; day < 7; day++) {
            Instant midnight = gw.localMidnight(WEEK_START.plus(Duration.ofDays(day)).plus(Duration.ofHours(12)));
            Instant night = midnight.plus(Duration.ofHours(2));
            Instant noon = midnight.plus(Duration.ofHours(13));
            assertThat(gw.productionW(night)).isZero();
            assertThat(gw.json(Endpoint.PRODUCTION_JSON, night).at("/production/1/wNow").asDouble()).isZero();
            assertThat(gw.json(Endpoint.API_V1_PRODUCTION_INVERTERS, night).get(0).get("lastReportWatts").asInt())
                    .isZero();
            assertThat(gw.productionW(noon)).isPositive();
            assertThat(gw.productionWhBetween(midnight, midnight.plus(Duration.ofHours(3)))).isZero();
            assertThat(gw.consumptionW(night)).isPositive();
        }
    }

    @Test
    void deterministicAndQuantized() {
        Instant t = Instant.parse("2026-06-03T10:15:20Z");
        SimulatedGateway twin = new SimulatedGateway("202401000001", 42, 20, 2, "8.2.4345",
                ZoneId.of("Europe/Berlin"));
        SimulatedGateway other = new SimulatedGateway("202401000001", 43, 20, 2, "8.2.4345",
                ZoneId.of("Europe/Berlin"));
        for (Endpoint e : Endpoint.values()) {
            assertThat(twin.body(e, t)).as(e.id()).isEqualTo(gw.body(e, t));
            if (e != Endpoint.INFO) {
                assertThat(gw.body(e, t)).as("plain decimals in " + e.id())
                        .doesNotContainPattern("[0-9][eE][-+]?[0-9]");
            }
            Instant sameMinute = gw.meterTime(t).plusSeconds(59);
            assertThat(gw.body(e, sameMinute)).as(e.id()).isEqualTo(gw.body(e, t));
        }
        assertThat(other.body(Endpoint.PRODUCTION_JSON, t)).isNotEqualTo(gw.body(Endpoint.PRODUCTION_JSON, t));
        assertThat(gw.body(Endpoint.PRODUCTION_JSON, t.plusSeconds(60)))
                .isNotEqualTo(gw.body(Endpoint.PRODUCTION_JSON, t));
        // a cold model gives the same counters as one that was asked for other instants first
        SimulatedGateway cold = new SimulatedGateway("202401000001", 42, 20, 2, "8.2.4345",
                ZoneId.of("Europe/Berlin"));
        gw.productionLifetimeWh(t.plus(Duration.ofDays(400)));
        assertThat(cold.productionLifetimeWh(t)).isEqualTo(gw.productionLifetimeWh(t));
    }

    @Test
    void countersStayConsistentAcrossADaylightSavingChange() {
        Instant start = Instant.parse("2026-03-26T00:00:00Z"); // Europe/Berlin switches on 2026-03-29
        double last = -1;
        for (Instant t = start; t.isBefore(start.plus(Duration.ofDays(7))); t = t.plus(STEP)) {
            Instant m = gw.meterTime(t);
            JsonNode cons = gw.json(Endpoint.PRODUCTION_JSON, t).at("/consumption/0");
            double lifetime = cons.get("whLifetime").asDouble();
            assertThat(lifetime).isGreaterThan(last);
            last = lifetime;
            assertThat(cons.get("whToday").asDouble())
                    .isCloseTo(gw.consumptionWhBetween(gw.localMidnight(m), m), within(EPS));
            assertThat(cons.get("whLastSevenDays").asDouble())
                    .isCloseTo(gw.consumptionWhBetween(gw.sevenDaysStart(m), m), within(EPS));
        }
        Instant midnight = gw.localMidnight(Instant.parse("2026-03-29T12:00:00Z"));
        Instant next = gw.localMidnight(Instant.parse("2026-03-30T12:00:00Z"));
        assertThat(Duration.between(midnight, next)).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void infoCarriesSerialAndFirmware() {
        String xml = gw.infoXml(Instant.parse("2026-06-03T10:15:20Z"));
        assertThat(xml).contains("<sn>" + gw.serial() + "</sn>", "<software>D" + gw.firmware() + "</software>",
                "<imeter>true</imeter>", "<pn>");
        assertThat(new SimulatedGateway("1", 1, 2, 1, "3.9.36", ZoneId.of("UTC")).legacy()).isTrue();
        assertThat(gw.legacy()).isFalse();
    }
}
