package dev.enphaseetl.parse;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.GatewayState.ApiV1Status;

/**
 * /api/v1/production: whole-system production from the inverters. Recorded in the state (all-zero payloads mark the
 * known firmware bug); a {@code system} reading is written only when this endpoint is the production source.
 */
final class ApiV1ProductionParser {

    private static final Endpoint EP = Endpoint.API_V1_PRODUCTION;

    private ApiV1ProductionParser() {}

    static List<Reading> parse(String gateway, JsonNode root, GatewayState state) throws PayloadException {
        Json.object(EP, root, "the payload");
        Values v = Values.ofApiV1(root);
        if (v.isEmpty()) {
            throw new PayloadException(EP.path() + ": none of wattsNow, wattHoursToday, wattHoursSevenDays,"
                    + " wattHoursLifetime is a number");
        }
        state.setApiV1(allWattHoursZero(root) ? ApiV1Status.ALL_ZERO : ApiV1Status.USABLE, v);
        return SystemDeriver.fromApiV1(gateway, v, state);
    }

    /** pyenphase's test for the broken endpoint: every {@code wattHours*} value is zero. */
    static boolean allWattHoursZero(JsonNode root) {
        boolean any = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().startsWith("wattHours")) {
                any = true;
                if (!f.getValue().isNumber() || f.getValue().doubleValue() != 0) {
                    return false;
                }
            }
        }
        return any;
    }
}
