package dev.enphaseetl.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.enphaseetl.simulator.MeterSample.Kind;

/** Builds the JSON payloads of a {@link SimulatedGateway}, shaped like the real gateway's (see the captures). */
final class GatewayPayloads {

    /** Exact decimals, written plain: 22682105.367, never 2.2682105367E7. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    static final long PRODUCTION_METER_EID = 704643328L;
    static final long CONSUMPTION_METER_EID = 704643584L;

    private final SimulatedGateway g;

    GatewayPayloads(SimulatedGateway g) {
        this.g = g;
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code v} rounded to 3 decimals, as the gateway's meter values are. */
    static BigDecimal r3(double v) {
        return BigDecimal.valueOf(Math.round(v * 1000.0), 3);
    }

    private MeterSample meter(Kind kind, Instant now) {
        return new MeterSample(g, kind, g.meterTime(now));
    }

    // ----- inverter aggregates

    private long inverterWattsSum(Instant now) {
        long sum = 0;
        for (int i = 0; i < g.inverterCount(); i++) {
            sum += g.inverterWatts(i, now);
        }
        return sum;
    }

    private Instant latestInverterReport(Instant now) {
        Instant latest = Instant.EPOCH;
        for (int i = 0; i < g.inverterCount(); i++) {
            Instant t = g.inverterReportTime(i, now);
            latest = t.isAfter(latest) ? t : latest;
        }
        return latest;
    }

    /** Sum of the inverters' lifetime Wh at their own last reports, minus the same at {@code since}. */
    private double inverterEnergySince(Instant now, UnaryOperator<Instant> since) {
        double sum = 0;
        for (int i = 0; i < g.inverterCount(); i++) {
            Instant t = g.inverterReportTime(i, now);
            sum += g.inverterShare(i) * (g.productionLifetimeWh(t) - g.productionLifetimeWh(since.apply(t)));
        }
        return sum;
    }

    private double inverterLifetimeSum(Instant now) {
        double sum = 0;
        for (int i = 0; i < g.inverterCount(); i++) {
            sum += g.inverterLifetimeWh(i, now);
        }
        return sum;
    }

    // ----- /production.json

    ObjectNode productionJson(Instant now, boolean details) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode production = root.putArray("production");
        ObjectNode inverters = production.addObject();
        inverters.put("type", "inverters");
        inverters.put("activeCount", g.inverterCount());
        inverters.put("readingTime", latestInverterReport(now).getEpochSecond());
        inverters.put("wNow", inverterWattsSum(now));
        inverters.put("whLifetime", Math.round(inverterLifetimeSum(now)));
        production.add(eimEntry(meter(Kind.PRODUCTION, now), details));
        ArrayNode consumption = root.putArray("consumption");
        consumption.add(eimEntry(meter(Kind.TOTAL_CONSUMPTION, now), details));
        consumption.add(eimEntry(meter(Kind.NET_CONSUMPTION, now), details));
        ObjectNode acb = root.putArray("storage").addObject();
        acb.put("type", "acb");
        acb.put("activeCount", 0);
        acb.put("readingTime", 0);
        acb.put("wNow", 0);
        acb.put("whNow", 0);
        acb.put("state", "idle");
        return root;
    }

    private ObjectNode eimEntry(MeterSample m, boolean details) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("type", "eim");
        e.put("activeCount", 1);
        e.put("measurementType", m.kind.measurementType);
        e.put("readingTime", m.time.getEpochSecond());
        eimValues(e, m, m.total());
        if (details) {
            ArrayNode lines = e.putArray("lines");
            for (int k = 0; k < m.phases; k++) {
                eimValues(lines.addObject(), m, k);
            }
        }
        return e;
    }

    private static void eimValues(ObjectNode e, MeterSample m, int k) {
        e.put("wNow", r3(m.watts[k]));
        e.put("whLifetime", r3(m.lifetimeWh[k]));
        e.put("varhLeadLifetime", r3(m.leadingReactiveEnergy(k)));
        e.put("varhLagLifetime", r3(m.laggingReactiveEnergy(k)));
        e.put("vahLifetime", r3(m.apparentEnergy(k)));
        e.put("rmsCurrent", r3(m.current(k)));
        e.put("rmsVoltage", r3(m.voltage[k]));
        e.put("reactPwr", r3(m.reactivePower(k)));
        e.put("apprntPwr", r3(m.apparentPower(k)));
        e.put("pwrFactor", m.powerFactor);
        e.put("whToday", r3(m.todayWh[k]));
        e.put("whLastSevenDays", r3(m.sevenDaysWh[k]));
    }

    // ----- /api/v1/production, /api/v1/production/inverters, /ivp/pdm/energy

    private ObjectNode energySummary(double today, double sevenDays, double lifetime, double wattsNow) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("wattHoursToday", Math.round(today));
        o.put("wattHoursSevenDays", Math.round(sevenDays));
        o.put("wattHoursLifetime", Math.round(lifetime));
        o.put("wattsNow", Math.round(wattsNow));
        return o;
    }

    private ObjectNode meterSummary(MeterSample m) {
        int t = m.total();
        return energySummary(m.todayWh[t], m.sevenDaysWh[t], m.lifetimeWh[t], m.watts[t]);
    }

    ObjectNode apiV1Production(Instant now) {
        return meterSummary(meter(Kind.PRODUCTION, now));
    }

    ArrayNode apiV1ProductionInverters(Instant now) {
        ArrayNode list = MAPPER.createArrayNode();
        for (int i = 0; i < g.inverterCount(); i++) {
            ObjectNode inv = list.addObject();
            inv.put("serialNumber", g.inverterSerial(i));
            inv.put("lastReportDate", g.inverterReportTime(i, now).getEpochSecond());
            inv.put("devType", 1);
            inv.put("lastReportWatts", g.inverterWatts(i, now));
            inv.put("maxReportWatts", g.inverterMaxWatts(i));
        }
        return list;
    }

    ObjectNode ivpPdmEnergy(Instant now) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode production = root.putObject("production");
        production.set("pcu", energySummary(inverterEnergySince(now, g::localMidnight),
                inverterEnergySince(now, g::sevenDaysStart), inverterLifetimeSum(now), inverterWattsSum(now)));
        production.set("rgm", energySummary(0, 0, 0, 0));
        production.set("eim", meterSummary(meter(Kind.PRODUCTION, now)));
        root.putObject("consumption").set("eim", meterSummary(meter(Kind.TOTAL_CONSUMPTION, now)));
        return root;
    }

    // ----- /ivp/pdm/device_data

    ObjectNode ivpPdmDeviceData(Instant now) {
        ObjectNode root = MAPPER.createObjectNode();
        long period = SimulatedGateway.INVERTER_REFRESH.getSeconds();
        for (int i = 0; i < g.inverterCount(); i++) {
            Instant t = g.inverterReportTime(i, now);
            double share = g.inverterShare(i);
            Instant midnight = g.localMidnight(t);
            ObjectNode dev = root.putObject(Long.toString(553648384L + 256L * i));
            dev.put("devName", "pcu");
            dev.put("sn", g.inverterSerial(i));
            dev.put("active", true);
            dev.put("modGone", false);
            ObjectNode ch = dev.putArray("channels").addObject();
            long chanEid = 1627390225L + 256L * i;
            ch.put("chanEid", chanEid);
            ch.put("created", t.getEpochSecond());
            ObjectNode wh = ch.putObject("wattHours");
            wh.put("today", Math.round(share * g.productionWhBetween(midnight, t)));
            wh.put("yesterday", Math.round(share * g.productionWhBetween(g.localMidnight(midnight.minusSeconds(1)),
                    midnight)));
            wh.put("week", Math.round(share * g.productionWhBetween(g.sevenDaysStart(t), t)));
            ObjectNode w = ch.putObject("watts");
            w.put("now", g.inverterWatts(i, now));
            w.put("nowUsed", 0);
            w.put("max", g.inverterMaxWatts(i));
            ObjectNode last = ch.putObject("lastReading");
            last.put("eid", chanEid);
            last.put("interval_type", 0);
            last.put("endDate", t.getEpochSecond());
            last.put("duration", period);
            last.put("flags", 0);
            last.put("joulesProduced", Math.round(share * g.productionWhBetween(t.minusSeconds(period), t) * 3600));
            last.put("acVoltageINmV", Math.round(g.voltage(0, t) * (g.phaseCount() == 2 ? 2000 : 1000)));
            last.put("acFrequencyINmHz", Math.round(g.frequency() * 1000));
            last.put("channelTemp", 20 + Math.round(g.inverterWatts(i, now) / 10.0));
            ObjectNode life = ch.putObject("lifetime");
            life.put("createdTime", g.installedAt().getEpochSecond());
            life.put("duration", Math.max(0, t.getEpochSecond() - g.installedAt().getEpochSecond()));
            life.put("joulesProduced", Math.round(g.inverterLifetimeWh(i, now) * 3600));
        }
        return root;
    }

    // ----- /ivp/meters, /ivp/meters/readings, /ivp/meters/reports/consumption

    private String phaseMode() {
        return switch (g.phaseCount()) {
            case 1 -> "single";
            case 2 -> "split";
            default -> "three";
        };
    }

    ArrayNode ivpMeters() {
        ArrayNode list = MAPPER.createArrayNode();
        for (Kind kind : new Kind[]{Kind.PRODUCTION, Kind.NET_CONSUMPTION}) {
            ObjectNode m = list.addObject();
            m.put("eid", kind == Kind.PRODUCTION ? PRODUCTION_METER_EID : CONSUMPTION_METER_EID);
            m.put("state", "enabled");
            m.put("measurementType", kind.measurementType);
            m.put("phaseMode", phaseMode());
            m.put("phaseCount", g.phaseCount());
            m.put("meteringStatus", "normal");
            m.putArray("statusFlags");
        }
        return list;
    }

    ArrayNode ivpMetersReadings(Instant now) {
        ArrayNode list = MAPPER.createArrayNode();
        list.add(reading(meter(Kind.PRODUCTION, now), PRODUCTION_METER_EID));
        list.add(reading(meter(Kind.NET_CONSUMPTION, now), CONSUMPTION_METER_EID));
        return list;
    }

    /** A meter reading with three channels, as real gateways send; channels beyond phaseCount are zero. */
    private ObjectNode reading(MeterSample m, long eid) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("eid", eid);
        readingValues(r, m, m.total());
        ArrayNode channels = r.putArray("channels");
        for (int k = 0; k < 3; k++) {
            ObjectNode c = channels.addObject();
            c.put("eid", eid + 1073741841L + k);
            if (k < m.phases) {
                readingValues(c, m, k);
            } else {
                zeroReading(c, m);
            }
        }
        return r;
    }

    private static void readingValues(ObjectNode r, MeterSample m, int k) {
        r.put("timestamp", m.time.getEpochSecond());
        r.put("actEnergyDlvd", r3(m.deliveredWh[k]));
        r.put("actEnergyRcvd", r3(m.receivedWh[k]));
        r.put("apparentEnergy", r3(m.apparentEnergy(k)));
        r.put("reactEnergyLagg", r3(m.laggingReactiveEnergy(k)));
        r.put("reactEnergyLead", r3(m.leadingReactiveEnergy(k)));
        r.put("instantaneousDemand", r3(m.watts[k]));
        r.put("activePower", r3(m.watts[k]));
        r.put("apparentPower", r3(m.apparentPower(k)));
        r.put("reactivePower", r3(m.reactivePower(k)));
        r.put("pwrFactor", m.powerFactor);
        r.put("voltage", r3(m.voltage[k]));
        r.put("current", r3(m.current(k)));
        r.put("freq", m.frequency);
    }

    private static void zeroReading(ObjectNode r, MeterSample m) {
        r.put("timestamp", m.time.getEpochSecond());
        for (String f : new String[]{"actEnergyDlvd", "actEnergyRcvd", "apparentEnergy", "reactEnergyLagg",
                "reactEnergyLead", "instantaneousDemand", "activePower", "apparentPower", "reactivePower",
                "pwrFactor", "voltage", "current"}) {
            r.put(f, 0.0);
        }
        r.put("freq", m.frequency);
    }

    ArrayNode ivpMetersReportsConsumption(Instant now) {
        ArrayNode list = MAPPER.createArrayNode();
        for (Kind kind : new Kind[]{Kind.TOTAL_CONSUMPTION, Kind.NET_CONSUMPTION}) {
            MeterSample m = meter(kind, now);
            ObjectNode report = list.addObject();
            report.put("createdAt", m.time.getEpochSecond());
            report.put("reportType", kind.measurementType);
            reportValues(report.putObject("cumulative"), m, m.total());
            ArrayNode lines = report.putArray("lines");
            for (int k = 0; k < m.phases; k++) {
                reportValues(lines.addObject(), m, k);
            }
        }
        return list;
    }

    private static void reportValues(ObjectNode r, MeterSample m, int k) {
        r.put("currW", r3(m.watts[k]));
        r.put("actPower", r3(m.watts[k]));
        r.put("apprntPwr", r3(m.apparentPower(k)));
        r.put("reactPwr", r3(m.reactivePower(k)));
        r.put("whDlvdCum", r3(m.deliveredWh[k]));
        r.put("whRcvdCum", r3(m.receivedWh[k]));
        r.put("varhLagCum", r3(m.laggingReactiveEnergy(k)));
        r.put("varhLeadCum", r3(m.leadingReactiveEnergy(k)));
        r.put("vahCum", r3(m.apparentEnergy(k)));
        r.put("rmsVoltage", r3(m.voltage[k]));
        r.put("rmsCurrent", r3(m.current(k)));
        r.put("pwrFactor", m.powerFactor);
        r.put("freqHz", m.frequency);
    }

    // ----- /ivp/livedata/status

    ObjectNode ivpLivedataStatus(Instant now) {
        return ivpLivedataStatus(now, false);
    }

    /**
     * With the live stream on, {@code last_update} is the second asked for (a real gateway refreshes it about every
     * second); off, it is the meter reading's minute and {@code sc_stream} says {@code disabled}.
     */
    ObjectNode ivpLivedataStatus(Instant now, boolean stream) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode conn = root.putObject("connection");
        conn.put("mqtt_state", "connected");
        conn.put("prov_state", "configured");
        conn.put("auth_state", "ok");
        conn.put("sc_stream", stream ? "enabled" : "disabled");
        conn.put("sc_debug", "disabled");
        MeterSample prod = meter(Kind.PRODUCTION, now);
        MeterSample load = meter(Kind.TOTAL_CONSUMPTION, now);
        MeterSample grid = meter(Kind.NET_CONSUMPTION, now);
        ObjectNode meters = root.putObject("meters");
        meters.put("last_update", stream ? now.getEpochSecond() : prod.time.getEpochSecond());
        meters.put("soc", 0);
        meters.put("main_relay_state", 1);
        meters.put("gen_relay_state", 5);
        meters.put("backup_bat_mode", 1);
        meters.put("backup_soc", 0);
        meters.put("is_split_phase", g.phaseCount() == 2 ? 1 : 0);
        meters.put("phase_count", g.phaseCount());
        meters.put("enc_agg_soc", 0);
        meters.put("enc_agg_energy", 0);
        meters.put("acb_agg_soc", 0);
        meters.put("acb_agg_energy", 0);
        livePower(meters.putObject("pv"), prod);
        livePower(meters.putObject("storage"), null);
        livePower(meters.putObject("grid"), grid);
        livePower(meters.putObject("load"), load);
        livePower(meters.putObject("generator"), null);
        ObjectNode tasks = root.putObject("tasks");
        tasks.put("task_id", Math.floorMod(SimRandom.hash(g.seed(), 8), 100_000_000L));
        tasks.put("timestamp", g.installedAt().getEpochSecond());
        root.putObject("counters");
        return root;
    }

    /** Milliwatts, per phase a..c; {@code null} means nothing connected. */
    private static void livePower(ObjectNode o, MeterSample m) {
        o.put("agg_p_mw", m == null ? 0 : Math.round(m.watts[m.total()] * 1000));
        o.put("agg_s_mva", m == null ? 0 : Math.round(m.apparentPower(m.total()) * 1000));
        String[] ph = {"a", "b", "c"};
        for (int k = 0; k < 3; k++) {
            o.put("agg_p_ph_" + ph[k] + "_mw", m == null || k >= m.phases ? 0 : Math.round(m.watts[k] * 1000));
        }
        for (int k = 0; k < 3; k++) {
            o.put("agg_s_ph_" + ph[k] + "_mva",
                    m == null || k >= m.phases ? 0 : Math.round(m.apparentPower(k) * 1000));
        }
    }

    // ----- /ivp/ensemble (no system controller; a battery when the model has one, SimulatedBattery)

    ArrayNode ivpEnsembleInventory(Instant now) {
        ArrayNode list = MAPPER.createArrayNode();
        for (String type : new String[]{"ENCHARGE", "ENPOWER"}) {
            ObjectNode o = list.addObject();
            o.put("type", type);
            ArrayNode devices = o.putArray("devices");
            if (type.equals("ENCHARGE") && g.battery().isPresent()) {
                SimulatedBattery b = g.battery().get();
                Instant t = g.meterTime(now);
                ObjectNode d = devices.addObject();
                d.put("part_num", "836-00750-r29");
                d.put("serial_num", g.batterySerial());
                d.putArray("device_status").add("envoy.global.ok");
                d.put("last_rpt_date", t.getEpochSecond());
                d.put("percentFull", (int) Math.round(b.socPct(t)));
                d.put("temperature", 24);
                d.put("maxCellTemp", 25);
                d.put("encharge_capacity", Math.round(b.capacityWh()));
            }
        }
        return list;
    }

    ObjectNode ivpEnsembleSecctrl(Instant now) {
        if (g.battery().isPresent()) {
            SimulatedBattery b = g.battery().get();
            Instant t = g.meterTime(now);
            ObjectNode o = ivpEnsembleSecctrl();
            int soc = (int) Math.round(b.socPct(t));
            o.put("configured_backup_soc", (int) SimulatedBattery.MIN_SOC_PCT);
            o.put("adjusted_backup_soc", (int) SimulatedBattery.MIN_SOC_PCT);
            o.put("agg_soc", soc);
            o.put("Max_energy", Math.round(b.capacityWh()));
            o.put("ENC_agg_soc", soc);
            o.put("ENC_agg_soh", 100);
            o.put("ENC_agg_backup_energy", Math.round(b.capacityWh() * SimulatedBattery.MIN_SOC_PCT / 100));
            o.put("ENC_agg_avail_energy", Math.round(b.storedWh(t)));
            o.put("Enc_commissioned_capacity", Math.round(b.capacityWh()));
            o.put("Enc_max_available_capacity", Math.round(b.capacityWh()));
            return o;
        }
        return ivpEnsembleSecctrl();
    }

    private ObjectNode ivpEnsembleSecctrl() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("shutdown", false);
        o.put("freq_bias_hz", 0.0);
        o.put("voltage_bias_v", 0.0);
        o.put("freq_bias_hz_q8", 0);
        o.put("voltage_bias_v_q5", 0);
        ObjectNode off = o.putObject("offgrid_secctrl");
        off.put("F", 0.0);
        off.put("V", 0.0);
        off.put("is_active", false);
        off.put("is_system_balanced", true);
        o.put("configured_backup_soc", 0);
        o.put("adjusted_backup_soc", 0);
        o.put("agg_soc", 0);
        o.put("Max_energy", 0);
        o.put("ENC_agg_soc", 0);
        o.put("ENC_agg_soh", 0);
        o.put("ENC_agg_backup_energy", 0);
        o.put("ENC_agg_avail_energy", 0);
        o.put("Enc_commissioned_capacity", 0);
        o.put("Enc_max_available_capacity", 0);
        o.put("ACB_agg_soc", 0);
        o.put("ACB_agg_energy", 0);
        o.put("VLS_Limit", 5);
        o.put("soc_rec_enabled", false);
        o.put("Commission_in_progress", false);
        o.put("ESS_in_progress", false);
        return o;
    }
}
