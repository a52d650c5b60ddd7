package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/**
 * /ivp/livedata/status: {@code livedata} power per source (pv, storage, grid, load, generator) as a total and for
 * each phase the gateway reports (ph_a/b/c -> L1..L3), mW and mVA converted to W and VA; {@code livedata_battery}
 * for the battery aggregate. Dated with meters.last_update.
 */
final class LivedataParser {

    private static final Endpoint EP = Endpoint.IVP_LIVEDATA_STATUS;
    private static final List<String> SOURCES = List.of("pv", "storage", "grid", "load", "generator");
    private static final String[] PH = {"a", "b", "c"};

    private LivedataParser() {}

    static List<Reading> parse(String gateway, JsonNode root) throws PayloadException {
        Json.object(EP, root, "the payload");
        JsonNode meters = Json.object(EP, root.get("meters"), "meters");
        Long time = Json.time(meters, "last_update");
        if (time == null) {
            throw new PayloadException(EP.path() + ": meters.last_update is missing or not a plausible timestamp");
        }
        List<Reading> out = new ArrayList<>();
        for (String source : SOURCES) {
            JsonNode s = meters.get(source);
            if (s == null || !s.isObject()) {
                continue;
            }
            Reading.of("livedata", time).tag("gateway", gateway).tag("source", source).tag("phase", "total")
                    .field("active_power_w", Json.scaled(s, "agg_p_mw", 1000))
                    .field("apparent_power_va", Json.scaled(s, "agg_s_mva", 1000)).addTo(out);
            for (int i = 0; i < PH.length; i++) {
                Reading.of("livedata", time).tag("gateway", gateway).tag("source", source)
                        .tag("phase", SystemDeriver.PHASES[i])
                        .field("active_power_w", Json.scaled(s, "agg_p_ph_" + PH[i] + "_mw", 1000))
                        .field("apparent_power_va", Json.scaled(s, "agg_s_ph_" + PH[i] + "_mva", 1000)).addTo(out);
            }
        }
        Reading.of("livedata_battery", time).tag("gateway", gateway)
                .field("soc_pct", Json.num(meters, "soc"))
                .field("backup_soc_pct", Json.num(meters, "backup_soc"))
                .field("encharge_soc_pct", Json.num(meters, "enc_agg_soc"))
                .field("encharge_energy_wh", Json.num(meters, "enc_agg_energy"))
                .field("acb_soc_pct", Json.num(meters, "acb_agg_soc"))
                .field("acb_energy_wh", Json.num(meters, "acb_agg_energy")).addTo(out);
        return out;
    }
}
