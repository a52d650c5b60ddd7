package dev.enphaseetl.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/** Each seed payload (from the API documents) gives exactly the expected readings, values read from the JSON. */
class SeedPayloadsTest {

    private static final String GW = "122100000001";
    private final DefaultPayloadParser parser = new DefaultPayloadParser();

    private List<Reading> parse(Endpoint ep, String file, GatewayState state) throws Exception {
        return parser.parse(GW, ep, 200, Fixtures.read(Fixtures.SEED.resolve(file)), state);
    }

    private static List<Reading> of(List<Reading> all, String measurement) {
        return all.stream().filter(r -> r.measurement().equals(measurement)).toList();
    }

    private static Reading one(List<Reading> all, String measurement, Map<String, String> tags) {
        List<Reading> found = all.stream().filter(r -> r.measurement().equals(measurement))
                .filter(r -> tags.entrySet().stream().allMatch(t -> t.getValue().equals(r.tag(t.getKey())))).toList();
        assertThat(found).as(measurement + " " + tags).hasSize(1);
        assertThat(found.get(0).tag("gateway")).isEqualTo(GW);
        return found.get(0);
    }

    private static double d(JsonNode n, String field) {
        assertThat(n.has(field)).as(field).isTrue();
        return n.get(field).doubleValue();
    }

    private static JsonNode entry(JsonNode section, String type, String measurementType) {
        for (JsonNode e : section) {
            if (type.equals(e.path("type").asText())
                    && (measurementType == null || measurementType.equals(e.path("measurementType").asText()))) {
                return e;
            }
        }
        throw new AssertionError("no entry " + type + " " + measurementType);
    }

    @Test
    void productionJson() throws Exception {
        checkProductionJson("production.json", false);
    }

    @Test
    void productionJsonWithDetails() throws Exception {
        checkProductionJson("production_details.json", true);
    }

    private void checkProductionJson(String file, boolean lines) throws Exception {
        JsonNode json = Fixtures.seedJson(file);
        List<Reading> out = parse(Endpoint.PRODUCTION_JSON, file, new GatewayState());
        JsonNode prod = entry(json.get("production"), "eim", "production");
        JsonNode total = entry(json.get("consumption"), "eim", "total-consumption");
        JsonNode net = entry(json.get("consumption"), "eim", "net-consumption");
        int perEntry = lines ? 2 : 1; // total + the one line
        assertThat(of(out, "eim")).hasSize(3 * perEntry);
        assertThat(of(out, "storage")).as("idle acb placeholder with readingTime 0 is not written").isEmpty();
        assertThat(of(out, "system_phase")).as("single phase").isEmpty();
        assertThat(out).hasSize(3 * perEntry + 1);

        Reading system = one(out, "system", Map.of());
        assertThat(system.time()).isEqualTo(prod.get("readingTime").longValue());
        assertThat(system.field("production_w")).isEqualTo(d(prod, "wNow"));
        assertThat(system.field("production_wh_today")).isEqualTo(d(prod, "whToday"));
        assertThat(system.field("production_wh_last_7_days")).isEqualTo(d(prod, "whLastSevenDays"));
        assertThat(system.field("production_wh_lifetime")).isEqualTo(d(prod, "whLifetime"));
        assertThat(system.field("consumption_w")).isEqualTo(d(total, "wNow"));
        assertThat(system.field("consumption_wh_lifetime")).isEqualTo(d(total, "whLifetime"));
        assertThat(system.field("net_w")).isEqualTo(d(net, "wNow"));
        assertThat(system.field("net_wh_today")).isEqualTo(d(net, "whToday"));
        assertThat(system.field("production_source")).as("production CT").isEqualTo(1.0);
        assertThat(system.fields()).hasSize(13);

        for (var e : Map.of("production", prod, "total-consumption", total, "net-consumption", net).entrySet()) {
            Reading r = one(out, "eim", Map.of("type", e.getKey(), "phase", "total"));
            JsonNode j = e.getValue();
            assertThat(r.time()).isEqualTo(j.get("readingTime").longValue());
            assertThat(r.field("active_power_w")).isEqualTo(d(j, "wNow"));
            assertThat(r.field("apparent_power_va")).isEqualTo(d(j, "apprntPwr"));
            assertThat(r.field("reactive_power_var")).isEqualTo(d(j, "reactPwr"));
            assertThat(r.field("voltage_v")).isEqualTo(d(j, "rmsVoltage"));
            assertThat(r.field("current_a")).isEqualTo(d(j, "rmsCurrent"));
            assertThat(r.field("power_factor")).isEqualTo(d(j, "pwrFactor"));
            assertThat(r.field("energy_wh_lifetime")).isEqualTo(d(j, "whLifetime"));
            assertThat(r.field("apparent_energy_vah_lifetime")).isEqualTo(d(j, "vahLifetime"));
            assertThat(r.field("reactive_energy_lead_varh_lifetime")).isEqualTo(d(j, "varhLeadLifetime"));
            assertThat(r.field("active_count")).isEqualTo(d(j, "activeCount"));
            if (lines) {
                Reading l1 = one(out, "eim", Map.of("type", e.getKey(), "phase", "L1"));
                assertThat(l1.field("active_power_w")).isEqualTo(d(j.get("lines").get(0), "wNow"));
                assertThat(l1.field("energy_wh_today")).isEqualTo(d(j.get("lines").get(0), "whToday"));
            }
        }
    }

    @Test
    void apiV1ProductionDatedWithLatestDeviceTime() throws Exception {
        JsonNode json = Fixtures.seedJson("api_v1_production.json");
        long deviceTime = Fixtures.seedJson("production.json").get("production").get(0).get("readingTime").longValue();
        GatewayState state = new GatewayState();
        state.observeDeviceTime(deviceTime);
        state.setMeters(List.of()); // /ivp/meters told: no CT meters, so /api/v1/production is the source
        List<Reading> out = parse(Endpoint.API_V1_PRODUCTION, "api_v1_production.json", state);
        assertThat(out).hasSize(1);
        Reading s = one(out, "system", Map.of());
        assertThat(s.time()).isEqualTo(deviceTime);
        assertThat(s.fields()).containsOnly(Map.entry("production_w", d(json, "wattsNow")),
                Map.entry("production_wh_today", d(json, "wattHoursToday")),
                Map.entry("production_wh_last_7_days", d(json, "wattHoursSevenDays")),
                Map.entry("production_wh_lifetime", d(json, "wattHoursLifetime")),
                Map.entry("production_source", 2.0));
    }

    @Test
    void apiV1ProductionWithoutAnyDeviceTimeIsRejectedWithReason() {
        GatewayState state = new GatewayState();
        state.setMeters(List.of());
        assertThatThrownBy(() -> parse(Endpoint.API_V1_PRODUCTION, "api_v1_production.json", state))
                .isExactlyInstanceOf(PayloadException.class).hasMessageContaining("no timestamp");
    }

    @Test
    void apiV1ProductionWaitsUntilItIsKnownWhetherAProductionCtExists() throws Exception {
        GatewayState state = new GatewayState();
        state.observeDeviceTime(Fixtures.seedJson("production.json").get("production").get(0).get("readingTime")
                .longValue());
        // neither /ivp/meters nor /production.json seen: a CT may be the better source, so nothing is archived yet
        assertThat(parse(Endpoint.API_V1_PRODUCTION, "api_v1_production.json", state)).isEmpty();
    }

    @Test
    void apiV1ProductionInverters() throws Exception {
        JsonNode json = Fixtures.seedJson("api_v1_production_inverters.json");
        List<Reading> out = parse(Endpoint.API_V1_PRODUCTION_INVERTERS, "api_v1_production_inverters.json",
                new GatewayState());
        assertThat(out).hasSize(json.size());
        for (JsonNode j : json) {
            Reading r = one(out, "inverter", Map.of("serial", j.get("serialNumber").asText()));
            assertThat(r.tag("dev_type")).isEqualTo(j.get("devType").asText());
            assertThat(r.time()).isEqualTo(j.get("lastReportDate").longValue());
            assertThat(r.fields()).containsOnly(Map.entry("watts", d(j, "lastReportWatts")),
                    Map.entry("max_watts", d(j, "maxReportWatts")));
        }
    }

    @Test
    void ivpMetersAndReadings() throws Exception {
        JsonNode meters = Fixtures.seedJson("ivp_meters.json");
        JsonNode readings = Fixtures.seedJson("ivp_meters_readings.json");
        GatewayState state = new GatewayState();
        assertThat(parse(Endpoint.IVP_METERS, "ivp_meters.json", state)).isEmpty();
        assertThat(state.phaseCount()).isEqualTo(meters.get(0).get("phaseCount").intValue());
        List<Reading> out = parse(Endpoint.IVP_METERS_READINGS, "ivp_meters_readings.json", state);
        int expected = 0;
        for (JsonNode cfg : meters) {
            long eid = cfg.get("eid").longValue();
            JsonNode reading = null;
            for (JsonNode r : readings) {
                if (r.get("eid").longValue() == eid) {
                    reading = r;
                }
            }
            assertThat(reading).isNotNull();
            String type = cfg.get("measurementType").asText();
            checkMeter(one(out, "meter", Map.of("eid", Long.toString(eid), "phase", "total", "type", type)), reading);
            int phases = cfg.get("phaseCount").intValue();
            for (int i = 0; i < phases; i++) {
                checkMeter(one(out, "meter", Map.of("eid", Long.toString(eid), "phase", "L" + (i + 1))),
                        reading.get("channels").get(i));
            }
            expected += 1 + phases;
        }
        assertThat(out).as("the unconfigured storage meter and the third channels are left out").hasSize(expected);
    }

    private static void checkMeter(Reading r, JsonNode j) {
        assertThat(r.time()).isEqualTo(j.get("timestamp").longValue());
        assertThat(r.fields()).containsOnly(Map.entry("active_power_w", d(j, "activePower")),
                Map.entry("apparent_power_va", d(j, "apparentPower")),
                Map.entry("reactive_power_var", d(j, "reactivePower")),
                Map.entry("energy_delivered_wh", d(j, "actEnergyDlvd")),
                Map.entry("energy_received_wh", d(j, "actEnergyRcvd")), Map.entry("voltage_v", d(j, "voltage")),
                Map.entry("current_a", d(j, "current")), Map.entry("frequency_hz", d(j, "freq")),
                Map.entry("power_factor", d(j, "pwrFactor")));
    }

    @Test
    void ivpPdmEnergy() throws Exception {
        JsonNode json = Fixtures.seedJson("ivp_pdm_energy.json");
        GatewayState state = new GatewayState();
        long t = Json.MIN_TIME + 123_456;
        state.observeDeviceTime(t);
        List<Reading> out = parse(Endpoint.IVP_PDM_ENERGY, "ivp_pdm_energy.json", state);
        int n = 0;
        for (String direction : List.of("production", "consumption")) {
            for (var it = json.get(direction).fields(); it.hasNext(); n++) {
                var src = it.next();
                Reading r = one(out, "pdm_energy", Map.of("direction", direction, "source", src.getKey()));
                assertThat(r.time()).isEqualTo(t);
                assertThat(r.fields()).containsOnly(Map.entry("power_w", d(src.getValue(), "wattsNow")),
                        Map.entry("energy_wh_today", d(src.getValue(), "wattHoursToday")),
                        Map.entry("energy_wh_last_7_days", d(src.getValue(), "wattHoursSevenDays")),
                        Map.entry("energy_wh_lifetime", d(src.getValue(), "wattHoursLifetime")));
            }
        }
        assertThat(out).hasSize(n);
    }

    @Test
    void ivpLivedataStatusConvertsMilliUnits() throws Exception {
        JsonNode meters = Fixtures.seedJson("ivp_livedata_status.json").get("meters");
        List<Reading> out = parse(Endpoint.IVP_LIVEDATA_STATUS, "ivp_livedata_status.json", new GatewayState());
        long t = meters.get("last_update").longValue();
        List<String> sources = List.of("pv", "storage", "grid", "load", "generator");
        for (String s : sources) {
            JsonNode j = meters.get(s);
            Reading total = one(out, "livedata", Map.of("source", s, "phase", "total"));
            assertThat(total.time()).isEqualTo(t);
            assertThat(total.field("active_power_w")).isEqualTo(d(j, "agg_p_mw") / 1000);
            assertThat(total.field("apparent_power_va")).isEqualTo(d(j, "agg_s_mva") / 1000);
            String[] ph = {"a", "b", "c"};
            for (int i = 0; i < 3; i++) {
                Reading p = one(out, "livedata", Map.of("source", s, "phase", "L" + (i + 1)));
                assertThat(p.field("active_power_w")).isEqualTo(d(j, "agg_p_ph_" + ph[i] + "_mw") / 1000);
                assertThat(p.field("apparent_power_va")).isEqualTo(d(j, "agg_s_ph_" + ph[i] + "_mva") / 1000);
            }
        }
        Reading b = one(out, "livedata_battery", Map.of());
        assertThat(b.field("soc_pct")).isEqualTo(d(meters, "soc"));
        assertThat(b.field("encharge_energy_wh")).isEqualTo(d(meters, "enc_agg_energy"));
        assertThat(b.field("backup_soc_pct")).isEqualTo(d(meters, "backup_soc"));
        assertThat(out).hasSize(sources.size() * 4 + 1);
    }

    @Test
    void ivpMetersReportsConsumption() throws Exception {
        JsonNode json = Fixtures.seedJson("ivp_meters_reports_consumption.json");
        List<Reading> out = parse(Endpoint.IVP_METERS_REPORTS_CONSUMPTION, "ivp_meters_reports_consumption.json",
                new GatewayState());
        int n = 0;
        for (int i = 0; i < json.size(); i++) {
            JsonNode rep = json.get(i);
            String index = Integer.toString(i);
            Map<String, String> tags = Map.of("report", index, "phase", "total", "type",
                    rep.get("reportType").asText());
            checkReport(one(out, "consumption_report", tags), rep.get("cumulative"), rep.get("createdAt").longValue());
            n++;
            for (int l = 0; l < rep.get("lines").size(); l++, n++) {
                checkReport(one(out, "consumption_report", Map.of("report", index, "phase", "L" + (l + 1))),
                        rep.get("lines").get(l), rep.get("createdAt").longValue());
            }
        }
        assertThat(out).as("two reports that both say net-consumption stay apart by tag report").hasSize(n);
    }

    private static void checkReport(Reading r, JsonNode j, long time) {
        assertThat(r.time()).isEqualTo(time);
        assertThat(r.field("active_power_w")).isEqualTo(d(j, "actPower"));
        assertThat(r.field("apparent_power_va")).isEqualTo(d(j, "apprntPwr"));
        assertThat(r.field("energy_delivered_wh")).isEqualTo(d(j, "whDlvdCum"));
        assertThat(r.field("energy_received_wh")).isEqualTo(d(j, "whRcvdCum"));
        assertThat(r.field("voltage_v")).isEqualTo(d(j, "rmsVoltage"));
        assertThat(r.field("current_a")).isEqualTo(d(j, "rmsCurrent"));
        assertThat(r.field("frequency_hz")).isEqualTo(d(j, "freqHz"));
        assertThat(r.fields()).hasSize(12);
    }

    @Test
    void everySeedFileIsCovered() throws IOException {
        try (var files = Files.list(Fixtures.SEED)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".json")))
                    .containsExactlyInAnyOrder("production.json", "production_details.json", "api_v1_production.json",
                            "api_v1_production_inverters.json", "ivp_meters.json", "ivp_meters_readings.json",
                            "ivp_pdm_energy.json", "ivp_livedata_status.json", "ivp_meters_reports_consumption.json");
        }
        assertThat(Optional.of(Fixtures.SEED)).isPresent();
    }
}
