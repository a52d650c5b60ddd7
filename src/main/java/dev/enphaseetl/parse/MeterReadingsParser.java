package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/**
 * /ivp/meters/readings matched to /ivp/meters by {@code eid}: enabled meters only, the meter total as phase
 * {@code total} and only the first {@code phaseCount} channels as L1..L3 (firmware 8.2.4286 reports a third channel
 * with real-looking numbers on a two-phase system).
 */
final class MeterReadingsParser {

    private static final Endpoint EP = Endpoint.IVP_METERS_READINGS;

    private MeterReadingsParser() {}

    static List<Reading> parse(String gateway, JsonNode root, GatewayState state) throws PayloadException {
        Json.array(EP, root, "the payload");
        if (!state.metersKnown()) {
            throw new PayloadException(EP.path() + ": the meter configuration (/ivp/meters) of this gateway is not"
                    + " known yet, readings cannot be matched");
        }
        List<Reading> out = new ArrayList<>();
        for (JsonNode m : root) {
            Json.object(EP, m, "a meter reading");
            Long eid = Json.integer(m, "eid");
            MeterConfig cfg = eid == null ? null : state.meter(eid).orElse(null);
            Long time = Json.time(m, "timestamp");
            if (cfg == null || !cfg.enabled() || time == null) {
                continue;
            }
            String type = cfg.measurementType() == null ? "unknown" : cfg.measurementType();
            meter(gateway, cfg, type, "total", time, m).addTo(out);
            JsonNode channels = m.get("channels");
            if (channels != null && channels.isArray()) {
                for (int i = 0; i < Math.min(cfg.phaseCount(), channels.size()); i++) {
                    JsonNode c = Json.object(EP, channels.get(i), "a channel");
                    Long ct = Json.time(c, "timestamp");
                    meter(gateway, cfg, type, SystemDeriver.PHASES[i], ct == null ? time : ct, c).addTo(out);
                }
            }
        }
        return out;
    }

    private static Reading.Builder meter(String gateway, MeterConfig cfg, String type, String phase, long time,
            JsonNode n) {
        return Reading.of("meter", time).tag("gateway", gateway).tag("eid", Long.toString(cfg.eid()))
                .tag("type", Json.cleanTag(type)).tag("phase", phase)
                .field("active_power_w", Json.num(n, "activePower"))
                .field("apparent_power_va", Json.num(n, "apparentPower"))
                .field("reactive_power_var", Json.num(n, "reactivePower"))
                .field("energy_delivered_wh", Json.num(n, "actEnergyDlvd"))
                .field("energy_received_wh", Json.num(n, "actEnergyRcvd"))
                .field("voltage_v", Json.num(n, "voltage"))
                .field("current_a", Json.num(n, "current"))
                .field("frequency_hz", Json.num(n, "freq"))
                .field("power_factor", Json.num(n, "pwrFactor"));
    }
}
