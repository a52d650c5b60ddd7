package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/**
 * /api/v1/production/inverters: one {@code inverter} reading per device (microinverters and AC batteries, devType 11),
 * dated with its lastReportDate. Entries without serial or plausible lastReportDate are skipped, and so are the
 * inverters whose readings come from /ivp/pdm/device_data (see {@link DeviceDataParser}), as the reference client
 * does.
 */
final class InvertersParser {

    private static final Endpoint EP = Endpoint.API_V1_PRODUCTION_INVERTERS;

    private InvertersParser() {}

    static List<Reading> parse(String gateway, JsonNode root, GatewayState state) throws PayloadException {
        Json.array(EP, root, "the payload");
        List<Reading> out = new ArrayList<>();
        for (JsonNode e : root) {
            Json.object(EP, e, "an inverter entry");
            String serial = Json.text(e, "serialNumber");
            Long time = Json.time(e, "lastReportDate");
            if (serial == null || time == null || state.invertersFromDeviceData(serial)) {
                continue;
            }
            Long devType = Json.integer(e, "devType");
            Reading.Builder b = Reading.of("inverter", time).tag("gateway", gateway).tag("serial", serial)
                    .tag("dev_type", devType == null ? null : Long.toString(devType))
                    .field("watts", Json.num(e, "lastReportWatts"))
                    .field("max_watts", Json.num(e, "maxReportWatts"));
            b.addTo(out);
        }
        return out;
    }
}
