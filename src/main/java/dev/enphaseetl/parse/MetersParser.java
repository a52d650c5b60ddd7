package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/** /ivp/meters: the CT configuration, kept in the state; no readings of its own. {@code []} = no meters. */
final class MetersParser {

    private static final Endpoint EP = Endpoint.IVP_METERS;

    private MetersParser() {}

    static List<Reading> parse(JsonNode root, GatewayState state) throws PayloadException {
        Json.array(EP, root, "the payload");
        List<MeterConfig> configs = new ArrayList<>();
        for (JsonNode m : root) {
            Json.object(EP, m, "a meter entry");
            Long eid = Json.integer(m, "eid");
            if (eid == null) {
                throw new PayloadException(EP.path() + ": a meter entry has no numeric eid");
            }
            Long phases = Json.integer(m, "phaseCount");
            int phaseCount = phases == null ? 1 : (int) Math.max(1, Math.min(3, phases));
            configs.add(new MeterConfig(eid, "enabled".equals(Json.text(m, "state")),
                    Json.text(m, "measurementType"), Json.text(m, "phaseMode"), phaseCount,
                    Json.text(m, "meteringStatus")));
        }
        state.setMeters(configs);
        return List.of();
    }
}
