package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/**
 * /ivp/pdm/energy: {@code pdm_energy} per direction (production, consumption) and source class (pcu, rgm, eim). The
 * payload has no timestamp: readings are dated with the latest device timestamp of the gateway.
 */
final class PdmEnergyParser {

    private static final Endpoint EP = Endpoint.IVP_PDM_ENERGY;

    private PdmEnergyParser() {}

    private record Source(String direction, String source, Values values) {}

    static List<Reading> parse(String gateway, JsonNode root, GatewayState state) throws PayloadException {
        Json.object(EP, root, "the payload");
        List<Source> sources = new ArrayList<>();
        for (String direction : List.of("production", "consumption")) {
            JsonNode d = root.get(direction);
            if (d == null || d.isNull()) {
                continue;
            }
            Json.object(EP, d, direction);
            for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> src = it.next();
                String source = Json.cleanTag(src.getKey());
                Values v = src.getValue().isObject() ? Values.ofApiV1(src.getValue()) : null;
                if (source != null && v != null && !v.isEmpty()) {
                    sources.add(new Source(direction, source, v));
                }
            }
        }
        if (sources.isEmpty()) {
            throw new PayloadException(EP.path() + ": no production or consumption values");
        }
        long time = requireLatest(EP, state);
        List<Reading> out = new ArrayList<>();
        for (Source s : sources) {
            Values v = s.values();
            out.add(Reading.of("pdm_energy", time).tag("gateway", gateway).tag("direction", s.direction())
                    .tag("source", s.source()).field("power_w", v.wNow()).field("energy_wh_today", v.whToday())
                    .field("energy_wh_last_7_days", v.whLast7Days()).field("energy_wh_lifetime", v.whLifetime())
                    .build());
        }
        return out;
    }

    /** The latest device timestamp for payloads without one; a clear error when none is known yet. */
    static long requireLatest(Endpoint ep, GatewayState state) throws PayloadException {
        OptionalLong t = state.latestDeviceTime();
        if (t.isEmpty()) {
            throw new PayloadException(ep.path() + ": the payload has no timestamp and no device timestamp of this"
                    + " gateway is known yet");
        }
        return t.getAsLong();
    }
}
