package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/**
 * /ivp/pdm/device_data: one {@code inverter_detail} reading per inverter (first channel), milli-units converted to
 * base units, dated with lastReading.endDate. CT entries ({@code devName: eim}) and devices without a plausible
 * endDate (inactive ones) are skipped.
 * <p>
 * Where the payload is complete it is also the source of the {@code inverter} readings, as in the reference client
 * (pyenphase): {@code deviceCount} below {@code deviceDataLimit} (at the limit, inverters beyond it are missing) and
 * every active {@code pcu} device carrying endDate, watts now and max. Then each active pcu gives an {@code inverter}
 * reading (watts = watts.now, max_watts = watts.max, dated endDate) and /api/v1/production/inverters is not used for
 * those serials; otherwise that endpoint stays the source.
 */
final class DeviceDataParser {

    private static final Endpoint EP = Endpoint.IVP_PDM_DEVICE_DATA;

    private DeviceDataParser() {}

    static List<Reading> parse(String gateway, JsonNode root, GatewayState state) throws PayloadException {
        Json.object(EP, root, "the payload");
        List<Reading> out = new ArrayList<>();
        List<Reading> inverters = inverters(gateway, root);
        state.setDeviceDataInverters(inverters.stream().map(r -> r.tag("serial")).collect(Collectors.toSet()));
        out.addAll(inverters);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            JsonNode dev = it.next().getValue();
            if (!dev.isObject()) {
                continue; // deviceCount, deviceDataLimit
            }
            String devName = Json.text(dev, "devName");
            String serial = Json.text(dev, "sn");
            JsonNode channels = dev.get("channels");
            if (serial == null || "eim".equals(devName) || channels == null || !channels.isArray()
                    || channels.isEmpty() || !channels.get(0).isObject()) {
                continue;
            }
            JsonNode ch = channels.get(0);
            JsonNode last = ch.get("lastReading");
            Long time = Json.time(last, "endDate");
            if (time == null) {
                continue;
            }
            JsonNode watts = ch.get("watts");
            JsonNode wh = ch.get("wattHours");
            Reading.Builder b = Reading.of("inverter_detail", time).tag("gateway", gateway).tag("serial", serial)
                    .tag("dev_name", devName)
                    .field("power_w", Json.num(watts, "now"))
                    .field("max_power_w", Json.num(watts, "max"))
                    .field("energy_wh_today", Json.num(wh, "today"))
                    .field("energy_wh_yesterday", Json.num(wh, "yesterday"))
                    .field("energy_wh_week", Json.num(wh, "week"))
                    .field("interval_energy_j", Json.num(last, "joulesProduced"))
                    .field("interval_duration_s", Json.num(last, "duration"))
                    .field("lifetime_energy_j", Json.num(ch.get("lifetime"), "joulesProduced"))
                    .field("ac_voltage_v", Json.scaled(last, "acVoltageINmV", 1000))
                    .field("ac_current_a", Json.scaled(last, "acCurrentInmA", 1000))
                    .field("ac_frequency_hz", Json.scaled(last, "acFrequencyINmHz", 1000))
                    .field("dc_voltage_v", Json.scaled(last, "dcVoltageINmV", 1000))
                    .field("dc_current_a", Json.scaled(last, "dcCurrentINmA", 1000))
                    .field("temperature_c", Json.num(last, "channelTemp"))
                    .field("leading_var", Json.num(last, "leadingVArs"))
                    .field("lagging_var", Json.num(last, "laggingVArs"));
            b.addTo(out);
        }
        return out;
    }

    /** The {@code inverter} readings of the active pcu devices; none when the payload is incomplete. */
    private static List<Reading> inverters(String gateway, JsonNode root) {
        Long count = Json.integer(root, "deviceCount");
        Long limit = Json.integer(root, "deviceDataLimit");
        if (count == null || limit == null || count >= limit) {
            return List.of();
        }
        List<Reading> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            JsonNode dev = it.next().getValue();
            if (!dev.isObject() || !"pcu".equals(Json.text(dev, "devName")) || !Json.isTrue(dev, "active")) {
                continue;
            }
            JsonNode channels = dev.get("channels");
            JsonNode ch = channels != null && channels.isArray() && !channels.isEmpty() ? channels.get(0) : null;
            String serial = Json.text(dev, "sn");
            Long time = ch == null ? null : Json.time(ch.get("lastReading"), "endDate");
            Double watts = ch == null ? null : Json.num(ch.get("watts"), "now");
            Double max = ch == null ? null : Json.num(ch.get("watts"), "max");
            if (serial == null || time == null || watts == null || max == null) {
                return List.of(); // an active inverter without its values: the payload cannot replace the other
            }
            out.add(Reading.of("inverter", time).tag("gateway", gateway).tag("serial", serial).tag("dev_type", "1")
                    .field("watts", watts).field("max_watts", max).build());
        }
        return out;
    }
}
