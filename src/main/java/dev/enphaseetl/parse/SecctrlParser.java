package dev.enphaseetl.parse;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/**
 * /ivp/ensemble/secctrl: the {@code battery_aggregate} reading. Not written when the gateway reports no battery at all
 * (capacity, available energy, AC battery energy and state of charge all zero or absent: a system controller without
 * batteries). The payload has no timestamp: dated with the latest device timestamp of the gateway.
 */
final class SecctrlParser {

    private static final Endpoint EP = Endpoint.IVP_ENSEMBLE_SECCTRL;

    private SecctrlParser() {}

    static List<Reading> parse(String gateway, JsonNode root, GatewayState state) throws PayloadException {
        Json.object(EP, root, "the payload");
        if (!hasBattery(root)) {
            return List.of();
        }
        long time = PdmEnergyParser.requireLatest(EP, state);
        Reading.Builder b = Reading.of("battery_aggregate", time).tag("gateway", gateway)
                .field("soc_pct", Json.num(root, "agg_soc"))
                .field("max_energy_wh", Json.num(root, "Max_energy"))
                .field("encharge_soc_pct", Json.num(root, "ENC_agg_soc"))
                .field("encharge_soh_pct", Json.num(root, "ENC_agg_soh"))
                .field("encharge_available_energy_wh", Json.num(root, "ENC_agg_avail_energy"))
                .field("encharge_backup_energy_wh", Json.num(root, "ENC_agg_backup_energy"))
                .field("acb_soc_pct", Json.num(root, "ACB_agg_soc"))
                .field("acb_energy_wh", Json.num(root, "ACB_agg_energy"))
                .field("backup_soc_pct", Json.num(root, "configured_backup_soc"));
        return b.hasFields() ? List.of(b.build()) : List.of();
    }

    private static boolean hasBattery(JsonNode root) {
        for (String f : List.of("Max_energy", "ENC_agg_avail_energy", "ACB_agg_energy", "agg_soc", "ACB_agg_soc")) {
            Double v = Json.num(root, f);
            if (v != null && v != 0) {
                return true;
            }
        }
        return false;
    }
}
