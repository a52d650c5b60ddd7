package dev.enphaseetl.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.GatewayState.ApiV1Status;

/** One test per firmware quirk the fixtures README lists; expectations are read from the capture files. */
class FirmwareQuirksTest {

    private final DefaultPayloadParser parser = new DefaultPayloadParser();

    /** A state prepared like the pipeline's: /info and /ivp/meters of that folder parsed (when they are data). */
    private GatewayState state(String folder) throws Exception {
        GatewayState s = new GatewayState();
        for (Endpoint ep : List.of(Endpoint.INFO, Endpoint.IVP_METERS)) {
            Path p = Fixtures.CAPTURES.resolve(folder).resolve(ep.captureName());
            if (Files.exists(p)) {
                try {
                    parser.parse("gw", ep, Converter.status(p), Fixtures.read(p), s);
                } catch (NotDataException e) {
                    // the endpoint does not exist on this firmware
                }
            }
        }
        return s;
    }

    private List<Reading> parse(String folder, String file, Endpoint ep, GatewayState s) throws Exception {
        Path p = Fixtures.CAPTURES.resolve(folder).resolve(file);
        return parser.parse("gw", ep, Converter.status(p), Fixtures.read(p), s);
    }

    private static JsonNode json(String folder, String file) throws Exception {
        return Fixtures.MAPPER.readTree(Fixtures.CAPTURES.resolve(folder).resolve(file).toFile());
    }

    private static JsonNode entry(JsonNode section, String type, String measurementType) {
        for (JsonNode e : section) {
            if (type.equals(e.path("type").asText()) && (measurementType == null
                    || measurementType.equals(e.path("measurementType").asText(measurementType)))) {
                return e;
            }
        }
        throw new AssertionError("no " + type);
    }

    private static List<Reading> of(List<Reading> all, String measurement) {
        return all.stream().filter(r -> r.measurement().equals(measurement)).toList();
    }

    private static Reading system(List<Reading> all) {
        List<Reading> s = of(all, "system");
        assertThat(s).hasSize(1);
        return s.get(0);
    }

    @Test
    void fw3_9_36_htmlProductionJsonIsNotData() {
        assertThatThrownBy(() -> parse("3.9.36", "production.json", Endpoint.PRODUCTION_JSON, new GatewayState()))
                .isInstanceOf(NotDataException.class).hasMessageContaining("HTML");
    }

    @Test
    void fw3_9_36_badAuth401IsNotData() throws Exception {
        Path p = Fixtures.CAPTURES.resolve("3.9.36_bad_auth/api_v1_production_inverters");
        assertThat(Converter.status(p)).isEqualTo(401);
        assertThatThrownBy(() -> parse("3.9.36_bad_auth", "api_v1_production_inverters",
                Endpoint.API_V1_PRODUCTION_INVERTERS, new GatewayState())).isInstanceOf(NotDataException.class)
                .hasMessageContaining("401");
    }

    @Test
    void fw4_2_33_productionMeterWithoutMeasurementType() throws Exception {
        GatewayState s = state("4.2.33");
        JsonNode eim = entry(json("4.2.33", "production.json").get("production"), "eim", null);
        assertThat(eim.has("measurementType")).isFalse();
        List<Reading> out = parse("4.2.33", "production.json", Endpoint.PRODUCTION_JSON, s);
        Reading sys = system(out);
        assertThat(sys.field("production_w")).as("negative night-time power is kept as reported")
                .isEqualTo(eim.get("wNow").doubleValue()).isNegative();
        assertThat(sys.field("production_wh_lifetime")).isEqualTo(eim.get("whLifetime").doubleValue());
        assertThat(of(out, "eim")).anyMatch(r -> "production".equals(r.tag("type")));
        assertThat(sys.field("consumption_w")).as("consumption entry with activeCount 0").isNull();
    }

    @Test
    void fw4_2_33_staleInverterKeepsItsOwnReportDate() throws Exception {
        JsonNode inv = json("4.2.33", "api_v1_production_inverters");
        List<Reading> out = parse("4.2.33", "api_v1_production_inverters", Endpoint.API_V1_PRODUCTION_INVERTERS,
                new GatewayState());
        assertThat(out).hasSize(inv.size());
        for (JsonNode j : inv) {
            Reading r = out.stream().filter(x -> j.get("serialNumber").asText().equals(x.tag("serial"))).findFirst()
                    .orElseThrow();
            assertThat(r.time()).isEqualTo(j.get("lastReportDate").longValue());
            assertThat(r.tag("dev_type")).as("no devType on this firmware").isNull();
        }
    }

    @Test
    void fw5_0_62_noCtsProductionFromApiV1() throws Exception {
        GatewayState s = state("5.0.62");
        JsonNode api = json("5.0.62", "api_v1_production");
        List<Reading> out = parse("5.0.62", "api_v1_production", Endpoint.API_V1_PRODUCTION, s);
        Reading sys = system(out);
        assertThat(sys.field("production_w")).isEqualTo(api.get("wattsNow").doubleValue());
        assertThat(sys.field("production_wh_lifetime")).isEqualTo(api.get("wattHoursLifetime").doubleValue());
        assertThat(sys.time()).as("dated with the latest device time (/info <time> here)")
                .isEqualTo(s.latestDeviceTime().getAsLong());
        assertThat(sys.field("consumption_w")).isNull();
        assertThat(of(parse("5.0.62", "production.json", Endpoint.PRODUCTION_JSON, s), "system"))
                .as("production.json is not the production source here").isEmpty();
    }

    @Test
    void fw7_3_466_phasesOnlyWithDetails() throws Exception {
        GatewayState s = state("7.3.466_with_cts_3phase");
        assertThat(of(parse("7.3.466_with_cts_3phase", "production", Endpoint.PRODUCTION_JSON, s), "system_phase"))
                .isEmpty();
        List<Reading> phases = of(parse("7.3.466_with_cts_3phase", "production.json", Endpoint.PRODUCTION_JSON, s),
                "system_phase");
        assertThat(phases).extracting(r -> r.tag("phase")).containsExactly("L1", "L2", "L3");
    }

    @Test
    void fw7_6_175_singlePhaseReportingPhaseModeThree() throws Exception {
        GatewayState s = state("7.6.175_with_cts");
        JsonNode meters = json("7.6.175_with_cts", "ivp_meters");
        assertThat(meters.get(0).get("phaseMode").asText()).isEqualTo("three");
        assertThat(meters.get(0).get("phaseCount").intValue()).isEqualTo(1);
        assertThat(of(parse("7.6.175_with_cts", "production.json", Endpoint.PRODUCTION_JSON, s), "system_phase"))
                .isEmpty();
        List<Reading> m = parse("7.6.175_with_cts", "ivp_meters_readings", Endpoint.IVP_METERS_READINGS, s);
        assertThat(m).extracting(r -> r.tag("phase")).containsOnly("total", "L1");
    }

    @Test
    void fw8_2_4264_disabledCtsGarbageIgnored() throws Exception {
        String f = "8.2.4264_metered_noct";
        GatewayState s = state(f);
        JsonNode pj = json(f, "production.json");
        JsonNode inverters = entry(pj.get("production"), "inverters", null);
        JsonNode eim = entry(pj.get("production"), "eim", "production");
        assertThat(eim.get("activeCount").intValue()).isZero();
        assertThat(parse(f, "api_v1_production", Endpoint.API_V1_PRODUCTION, s))
                .as("/api/v1/production is stalled on metered-without-CT 8.2.4264+").isEmpty();
        List<Reading> out = parse(f, "production.json", Endpoint.PRODUCTION_JSON, s);
        assertThat(of(out, "eim")).as("activeCount 0 entries are garbage").isEmpty();
        Reading sys = system(out);
        assertThat(sys.field("production_w")).isEqualTo(inverters.get("wNow").doubleValue())
                .isNotEqualTo(eim.get("wNow").doubleValue());
        assertThat(sys.field("production_wh_lifetime")).isEqualTo(inverters.get("whLifetime").doubleValue());
        assertThat(sys.time()).isEqualTo(inverters.get("readingTime").longValue());
        assertThat(sys.field("consumption_w")).isNull();
        assertThat(sys.field("net_w")).isNull();
        assertThat(parse(f, "ivp_meters_readings", Endpoint.IVP_METERS_READINGS, s)).as("disabled meters").isEmpty();
    }

    @Test
    void fw8_2_4286_thirdChannelIgnoredWhenPhaseCountTwo() throws Exception {
        String f = "8.2.4286_with_3cts_and_battery_split";
        GatewayState s = state(f);
        assertThat(s.phaseCount()).isEqualTo(2);
        JsonNode readings = json(f, "ivp_meters_readings");
        assertThat(readings.get(0).get("channels").size()).isEqualTo(3);
        List<Reading> m = parse(f, "ivp_meters_readings", Endpoint.IVP_METERS_READINGS, s);
        assertThat(m).extracting(r -> r.tag("phase")).containsOnly("total", "L1", "L2");
        assertThat(m).anyMatch(r -> "storage".equals(r.tag("type")));
        List<Reading> sp = of(parse(f, "production.json", Endpoint.PRODUCTION_JSON, s), "system_phase");
        assertThat(sp).extracting(r -> r.tag("phase")).containsExactly("L1", "L2");
    }

    @Test
    void fw8_2_4345_deviceDataMilliUnitsAndJoulesConverted() throws Exception {
        String f = "8.2.4345_with_device_data";
        JsonNode dd = json(f, "ivp_pdm_device_data");
        List<Reading> out = parse(f, "ivp_pdm_device_data", Endpoint.IVP_PDM_DEVICE_DATA, new GatewayState()).stream()
                .filter(r -> r.measurement().equals("inverter_detail")).toList();
        int checked = 0;
        for (var it = dd.fields(); it.hasNext();) {
            JsonNode dev = it.next().getValue();
            if (!dev.isObject() || !"pcu".equals(dev.path("devName").asText())) {
                continue;
            }
            JsonNode last = dev.get("channels").get(0).get("lastReading");
            Reading r = out.stream().filter(x -> dev.get("sn").asText().equals(x.tag("serial"))).findFirst()
                    .orElseThrow();
            assertThat(r.time()).isEqualTo(last.get("endDate").longValue());
            assertThat(r.field("ac_voltage_v")).isEqualTo(last.get("acVoltageINmV").doubleValue() / 1000);
            assertThat(r.field("dc_current_a")).isEqualTo(last.get("dcCurrentINmA").doubleValue() / 1000);
            assertThat(r.field("ac_frequency_hz")).isEqualTo(last.get("acFrequencyINmHz").doubleValue() / 1000);
            assertThat(r.field("lifetime_energy_j"))
                    .isEqualTo(dev.get("channels").get(0).get("lifetime").get("joulesProduced").doubleValue());
            checked++;
        }
        assertThat(checked).isPositive();
        assertThat(out).hasSize(checked).noneMatch(r -> "eim".equals(r.tag("dev_name")));
    }

    @Test
    void fw8_3_5169_deviceDataIsTheInvertersSourceAndApiV1IsNotUsedForThem() throws Exception {
        String f = "8.3.5169_with_generator";
        GatewayState s = state(f);
        JsonNode dd = json(f, "ivp_pdm_device_data");
        List<Reading> fromDeviceData = parse(f, "ivp_pdm_device_data", Endpoint.IVP_PDM_DEVICE_DATA, s).stream()
                .filter(r -> r.measurement().equals("inverter")).toList();
        int pcus = 0;
        for (var it = dd.fields(); it.hasNext();) {
            JsonNode dev = it.next().getValue();
            if (!dev.isObject() || !"pcu".equals(dev.path("devName").asText()) || !dev.path("active").asBoolean()) {
                continue;
            }
            pcus++;
            JsonNode ch = dev.get("channels").get(0);
            Reading r = fromDeviceData.stream().filter(x -> dev.get("sn").asText().equals(x.tag("serial")))
                    .findFirst().orElseThrow();
            assertThat(r.field("watts")).isEqualTo(ch.get("watts").get("now").doubleValue());
            assertThat(r.field("max_watts")).isEqualTo(ch.get("watts").get("max").doubleValue());
            assertThat(r.time()).isEqualTo(ch.get("lastReading").get("endDate").longValue());
        }
        assertThat(fromDeviceData).hasSize(pcus).isNotEmpty();
        // /api/v1/production/inverters reports older values of the same inverters: not written for them
        List<Reading> fromApiV1 = parse(f, "api_v1_production_inverters", Endpoint.API_V1_PRODUCTION_INVERTERS, s);
        assertThat(fromApiV1).noneMatch(r -> fromDeviceData.stream()
                .anyMatch(d -> d.tag("serial").equals(r.tag("serial"))));
    }

    @Test
    void deviceDataAtItsDeviceLimitOrWithoutActivePcuLeavesTheInvertersToApiV1() throws Exception {
        String f = "8.3.5169_with_generator";
        JsonNode inv = json(f, "api_v1_production_inverters");
        com.fasterxml.jackson.databind.node.ObjectNode atLimit = (com.fasterxml.jackson.databind.node.ObjectNode) json(
                f, "ivp_pdm_device_data");
        atLimit.put("deviceCount", atLimit.get("deviceDataLimit").intValue());
        com.fasterxml.jackson.databind.node.ObjectNode noActive = (com.fasterxml.jackson.databind.node.ObjectNode) json(
                f, "ivp_pdm_device_data");
        noActive.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue()).put("active", false);
            }
        });
        for (JsonNode dd : List.of(atLimit, noActive)) {
            GatewayState s = state(f);
            assertThat(parser.parse("gw", Endpoint.IVP_PDM_DEVICE_DATA, 200, dd.toString(), s))
                    .noneMatch(r -> r.measurement().equals("inverter"));
            assertThat(parse(f, "api_v1_production_inverters", Endpoint.API_V1_PRODUCTION_INVERTERS, s))
                    .hasSize(inv.size());
        }
        // a gateway whose device_data turns into not-data (401, 404) falls back as well
        GatewayState s = state(f);
        parse(f, "ivp_pdm_device_data", Endpoint.IVP_PDM_DEVICE_DATA, s);
        assertThatThrownBy(() -> parser.parse("gw", Endpoint.IVP_PDM_DEVICE_DATA, 404, "Not Found", s))
                .isInstanceOf(NotDataException.class);
        assertThat(parse(f, "api_v1_production_inverters", Endpoint.API_V1_PRODUCTION_INVERTERS, s))
                .hasSize(inv.size());
    }

    @Test
    void theSystemReadingNamesTheSourceOfItsProductionValues() throws Exception {
        // production CT, /api/v1/production, inverters entry (metered without CT on a stalled firmware)
        java.util.Map<String, Double> expected = java.util.Map.of("7.6.175_with_cts", 1.0, "5.0.62", 2.0,
                "8.2.4264_metered_noct", 3.0);
        for (var e : expected.entrySet()) {
            Converter.Result r = new Converter().convert(Fixtures.CAPTURES.resolve(e.getKey()));
            List<Reading> withProduction = r.readings().stream().filter(x -> x.measurement().equals("system"))
                    .filter(x -> x.field("production_wh_lifetime") != null).toList();
            assertThat(withProduction).as(e.getKey()).isNotEmpty()
                    .allMatch(x -> e.getValue().equals(x.field("production_source")));
        }
    }

    @Test
    void fw8_2_4382_acBatteriesAreInvertersWithDevType11() throws Exception {
        String f = "8.2.4382_ACB";
        JsonNode inv = json(f, "api_v1_production_inverters");
        long acb = 0;
        for (JsonNode j : inv) {
            acb += j.path("devType").asInt() == 11 ? 1 : 0;
        }
        assertThat(acb).isPositive();
        List<Reading> out = parse(f, "api_v1_production_inverters", Endpoint.API_V1_PRODUCTION_INVERTERS,
                new GatewayState());
        assertThat(out).hasSize(inv.size());
        assertThat(out.stream().filter(r -> "11".equals(r.tag("dev_type"))).count()).isEqualTo(acb);
    }

    @Test
    void fw8_3_1598_collarStorageAndBackfeedMetersKept() throws Exception {
        String f = "8.3.1598_collar";
        List<Reading> m = parse(f, "ivp_meters_readings", Endpoint.IVP_METERS_READINGS, state(f));
        assertThat(m).extracting(r -> r.tag("type")).contains("storage", "backfeed", "production", "net-consumption");
    }

    @Test
    void fw8_3_5169_secctrlWithoutBatteriesWritesNothing() throws Exception {
        String f = "8.3.5169_with_generator";
        GatewayState s = state(f);
        assertThat(parse(f, "ivp_ensemble_secctrl", Endpoint.IVP_ENSEMBLE_SECCTRL, s)).isEmpty();
        List<Reading> pdm = parse(f, "ivp_pdm_energy", Endpoint.IVP_PDM_ENERGY, s);
        assertThat(pdm).isNotEmpty().allMatch(r -> r.time() == s.latestDeviceTime().getAsLong());
    }

    @Test
    void fw8_3_5433_totalConsumptionRepairedAsNetPlusProduction() throws Exception {
        String f = "8.3.5433_tot_is_net_cons";
        GatewayState s = state(f);
        JsonNode pj = json(f, "production.json_details_1");
        JsonNode prod = entry(pj.get("production"), "eim", "production");
        JsonNode total = entry(pj.get("consumption"), "eim", "total-consumption");
        JsonNode net = entry(pj.get("consumption"), "eim", "net-consumption");
        assertThat(total.get("wNow")).isEqualTo(net.get("wNow"));
        assertThat(total.get("whLifetime")).isEqualTo(net.get("whLifetime"));
        List<Reading> out = parse(f, "production.json_details_1", Endpoint.PRODUCTION_JSON, s);
        Reading sys = system(out);
        assertThat(sys.field("consumption_w"))
                .isEqualTo(Math.rint(net.get("wNow").doubleValue()) + Math.rint(prod.get("wNow").doubleValue()));
        assertThat(sys.field("consumption_wh_lifetime")).isEqualTo(
                Math.rint(net.get("whLifetime").doubleValue()) + Math.rint(prod.get("whLifetime").doubleValue()));
        assertThat(sys.field("consumption_wh_today")).isEqualTo(total.get("whToday").doubleValue());
        assertThat(sys.field("net_w")).isEqualTo(net.get("wNow").doubleValue());
        Reading l1 = of(out, "system_phase").get(0);
        JsonNode netL1 = net.get("lines").get(0);
        JsonNode prodL1 = prod.get("lines").get(0);
        assertThat(l1.field("consumption_w"))
                .isEqualTo(Math.rint(netL1.get("wNow").doubleValue()) + Math.rint(prodL1.get("wNow").doubleValue()));
    }

    @Test
    void totalConsumptionNotRepairedBeforeFirmware8_3_5433() throws Exception {
        String f = "8.3.5433_tot_is_net_cons";
        GatewayState s = state(f);
        s.setInfo("gw", "D8.3.5000", null, true);
        JsonNode total = entry(json(f, "production.json").get("consumption"), "eim", "total-consumption");
        Reading sys = system(parse(f, "production.json", Endpoint.PRODUCTION_JSON, s));
        assertThat(sys.field("consumption_w")).isEqualTo(total.get("wNow").doubleValue());
    }

    @Test
    void apiV1AllZeroFallsBackToInvertersEntry() throws Exception {
        String f = "7.6.114_without_cts";
        GatewayState s = state(f);
        String zero = "{\"wattHoursToday\":0,\"wattHoursSevenDays\":0,\"wattHoursLifetime\":0,\"wattsNow\":12}";
        assertThat(parser.parse("gw", Endpoint.API_V1_PRODUCTION, 200, zero, s)).isEmpty();
        assertThat(s.apiV1Status()).isEqualTo(ApiV1Status.ALL_ZERO);
        JsonNode inverters = entry(json(f, "production.json").get("production"), "inverters", null);
        Reading sys = system(parse(f, "production.json", Endpoint.PRODUCTION_JSON, s));
        assertThat(sys.field("production_w")).isEqualTo(inverters.get("wNow").doubleValue());
        assertThat(sys.time()).isEqualTo(inverters.get("readingTime").longValue());
    }

    @Test
    void productionCtWithActiveCountZeroGivesNoProductionRatherThanFallback() throws Exception {
        String f = "7.6.175_with_cts";
        GatewayState s = state(f);
        String body = Fixtures.read(Fixtures.CAPTURES.resolve(f).resolve("production.json"))
                .replaceFirst("(\"type\":\\s*\"eim\",\\s*\"activeCount\":\\s*)1", "$10");
        List<Reading> out = parser.parse("gw", Endpoint.PRODUCTION_JSON, 200, body, s);
        assertThat(system(out).field("production_w")).isNull();
    }
}
