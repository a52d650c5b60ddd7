package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/**
 * /ivp/ensemble/inventory: one {@code battery} reading per Encharge battery (state of charge, capacity,
 * temperatures), dated with its last_rpt_date. Other device groups (Enpower, collar, combiner) are not batteries.
 */
final class EnsembleInventoryParser {

    private static final Endpoint EP = Endpoint.IVP_ENSEMBLE_INVENTORY;

    private EnsembleInventoryParser() {}

    static List<Reading> parse(String gateway, JsonNode root) throws PayloadException {
        Json.array(EP, root, "the payload");
        List<Reading> out = new ArrayList<>();
        for (JsonNode group : root) {
            Json.object(EP, group, "a device group");
            JsonNode devices = group.get("devices");
            if (!"ENCHARGE".equals(Json.text(group, "type")) || devices == null || !devices.isArray()) {
                continue;
            }
            for (JsonNode d : devices) {
                String serial = Json.text(d, "serial_num");
                Long time = Json.time(d, "last_rpt_date");
                if (!d.isObject() || serial == null || time == null) {
                    continue;
                }
                Reading.Builder b = Reading.of("battery", time).tag("gateway", gateway).tag("serial", serial)
                        .field("soc_pct", Json.num(d, "percentFull"))
                        .field("capacity_wh", Json.num(d, "encharge_capacity"))
                        .field("temperature_c", Json.num(d, "temperature"))
                        .field("max_cell_temperature_c", Json.num(d, "maxCellTemp"));
                b.addTo(out);
            }
        }
        return out;
    }
}
