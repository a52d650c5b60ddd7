package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.ProductionSnapshot.Entry;

/**
 * /production.json with or without {@code ?details=1}: {@code eim} readings for active CT entries (total and per
 * phase line), {@code storage} readings, and the derived {@code system} / {@code system_phase} readings.
 */
final class ProductionJsonParser {

    private static final Endpoint EP = Endpoint.PRODUCTION_JSON;

    private ProductionJsonParser() {}

    static List<Reading> parse(String gateway, JsonNode root, GatewayState state) throws PayloadException {
        Json.object(EP, root, "the payload");
        if (!root.has("production") && !root.has("consumption") && !root.has("storage")) {
            throw new PayloadException(EP.path() + ": none of production, consumption, storage present");
        }
        Entry inverters = null;
        Entry productionEim = null;
        Entry total = null;
        Entry net = null;
        List<Reading> out = new ArrayList<>();
        for (JsonNode e : section(root, "production")) {
            String type = Json.text(e, "type");
            String mt = Json.text(e, "measurementType");
            if ("inverters".equals(type) && inverters == null) {
                inverters = entry(e);
            } else if ("eim".equals(type) && productionEim == null && (mt == null || "production".equals(mt))) {
                // firmware 4.2.33 omits measurementType on the production CT entry
                productionEim = entry(e);
                eimReadings(gateway, "production", productionEim, e, state, out);
            }
        }
        for (JsonNode e : section(root, "consumption")) {
            String mt = Json.text(e, "measurementType");
            if (!"eim".equals(Json.text(e, "type"))) {
                continue;
            }
            if ("total-consumption".equals(mt) && total == null) {
                total = entry(e);
                eimReadings(gateway, mt, total, e, state, out);
            } else if ("net-consumption".equals(mt) && net == null) {
                net = entry(e);
                eimReadings(gateway, mt, net, e, state, out);
            }
        }
        for (JsonNode e : section(root, "storage")) {
            storageReading(gateway, e).ifPresent(out::add);
        }
        ProductionSnapshot snapshot = new ProductionSnapshot(inverters, productionEim, total, net);
        state.setProduction(snapshot);
        out.addAll(SystemDeriver.fromProductionJson(gateway, snapshot, state));
        return out;
    }

    private static List<JsonNode> section(JsonNode root, String name) throws PayloadException {
        JsonNode s = root.get(name);
        List<JsonNode> list = new ArrayList<>();
        if (s == null || s.isNull()) {
            return list;
        }
        Json.array(EP, s, "section " + name);
        for (JsonNode e : s) {
            list.add(Json.object(EP, e, "an entry of " + name));
        }
        return list;
    }

    private static Entry entry(JsonNode e) throws PayloadException {
        Long count = Json.integer(e, "activeCount");
        List<Values> lines = new ArrayList<>();
        JsonNode ls = e.get("lines");
        if (ls != null && !ls.isNull()) {
            Json.array(EP, ls, "lines");
            for (JsonNode l : ls) {
                lines.add(Values.ofProductionJson(Json.object(EP, l, "a line")));
            }
        }
        return new Entry(Json.time(e, "readingTime"), count == null ? 0 : count, Values.ofProductionJson(e), lines);
    }

    /** CT entries with activeCount 0 carry garbage (firmware 8.2.4264): they are not written. */
    private static void eimReadings(String gateway, String type, Entry entry, JsonNode e, GatewayState state,
            List<Reading> out) {
        if (!entry.active() || entry.readingTime() == null) {
            return;
        }
        Reading.Builder total = eim(gateway, type, "total", entry.readingTime(), e);
        total.field("active_count", (double) entry.activeCount());
        total.addTo(out);
        JsonNode ls = e.get("lines");
        int n = Math.min(entry.lines().size(), state.metersKnown() ? state.phaseCount() : 3);
        for (int i = 0; i < n; i++) {
            Reading.Builder b = eim(gateway, type, SystemDeriver.PHASES[i], entry.readingTime(), ls.get(i));
            b.addTo(out);
        }
    }

    private static Reading.Builder eim(String gateway, String type, String phase, long time, JsonNode n) {
        return Reading.of("eim", time).tag("gateway", gateway).tag("type", type).tag("phase", phase)
                .field("active_power_w", Json.num(n, "wNow"))
                .field("apparent_power_va", Json.num(n, "apprntPwr"))
                .field("reactive_power_var", Json.num(n, "reactPwr"))
                .field("voltage_v", Json.num(n, "rmsVoltage"))
                .field("current_a", Json.num(n, "rmsCurrent"))
                .field("power_factor", Json.num(n, "pwrFactor"))
                .field("energy_wh_today", Json.num(n, "whToday"))
                .field("energy_wh_last_7_days", Json.num(n, "whLastSevenDays"))
                .field("energy_wh_lifetime", Json.num(n, "whLifetime"))
                .field("apparent_energy_vah_today", Json.num(n, "vahToday"))
                .field("apparent_energy_vah_lifetime", Json.num(n, "vahLifetime"))
                .field("reactive_energy_lead_varh_lifetime", Json.num(n, "varhLeadLifetime"))
                .field("reactive_energy_lag_varh_lifetime", Json.num(n, "varhLagLifetime"));
    }

    /** Storage entries without a plausible readingTime (the idle {@code acb} placeholder has 0) are not written. */
    private static Optional<Reading> storageReading(String gateway, JsonNode e) {
        Long time = Json.time(e, "readingTime");
        String type = Json.text(e, "type");
        if (time == null || type == null) {
            return Optional.empty();
        }
        Reading.Builder b = Reading.of("storage", time).tag("gateway", gateway).tag("type", type)
                .field("power_w", Json.num(e, "wNow"))
                .field("energy_wh", Json.num(e, "whNow"))
                .field("soc_pct", Json.num(e, "percentFull"))
                .field("active_count", Json.num(e, "activeCount"));
        return b.hasFields() ? Optional.of(b.build()) : Optional.empty();
    }
}
