package dev.enphaseetl.cloud;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/**
 * The v4 calls the archive needs, as readings of the one model: 15-minute interval energy
 * ({@code cloud_interval}, from {@code telemetry/production_meter}, {@code telemetry/consumption_meter},
 * {@code energy_import_telemetry}, {@code energy_export_telemetry}) and daily energy since the system's start
 * ({@code cloud_day}, from {@code energy_lifetime} and {@code consumption_lifetime}). Every reading is tagged
 * {@code source=cloud} and the gateway's serial.
 */
public final class CloudTelemetry {

    public static final String SOURCE = "cloud";
    /** Length of one v4 meter telemetry interval. */
    public static final long INTERVAL_S = 900;
    /** Length of one per-micro-inverter interval. */
    public static final long MICRO_INTERVAL_S = 300;
    /** Largest page of {@code devices/micros/telemetry}. */
    public static final int MICROS_PER_PAGE = 20;
    /** The {@code kind} tags of battery telemetry. */
    public static final String BATTERY_CHARGE = "battery_charge";
    public static final String BATTERY_DISCHARGE = "battery_discharge";
    public static final String BATTERY_SOC = "battery_soc";
    /** The {@code kind} tag of per-micro-inverter production (with a {@code device} tag: the inverter's serial). */
    public static final String MICRO = "micro";

    private final EnlightenApi api;
    private final Map<String, String> systemIds = new ConcurrentHashMap<>();
    private final Map<String, Integer> microCounts = new ConcurrentHashMap<>();

    public CloudTelemetry(EnlightenApi api, Map<String, String> configuredSystems) {
        this.api = api;
        this.systemIds.putAll(configuredSystems);
    }

    public EnlightenApi api() {
        return api;
    }

    /** The system id of a gateway if configured or looked up already (no call). */
    public java.util.Optional<String> knownSystemId(String serial) {
        return java.util.Optional.ofNullable(systemIds.get(serial));
    }

    /** The Enlighten system id of a gateway: configured, else {@code systems/retrieve_system_id} (one call, kept). */
    public String systemId(String serial, CallBudget.Purpose purpose) {
        String known = systemIds.get(serial);
        if (known != null) {
            return known;
        }
        JsonNode n = api.get("/systems/retrieve_system_id", Map.of("serial_num", serial), purpose);
        String id = n.path("system_id").asText("");
        if (id.isEmpty()) {
            throw new CloudException("systems/retrieve_system_id knows no system for gateway " + serial
                    + "; set enphase.cloud.systems.\"" + serial + "\" to its system id", 200);
        }
        systemIds.put(serial, id);
        return id;
    }

    /**
     * The intervals of one series ending after {@code startAt}: {@code granularity} {@code day} (96 intervals) or
     * {@code week} (672).
     */
    public List<Reading> intervals(String systemId, String gateway, CloudKind kind, Instant startAt,
            String granularity, CallBudget.Purpose purpose) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("start_at", Long.toString(startAt.getEpochSecond()));
        q.put("granularity", granularity);
        JsonNode n = api.get("/systems/" + systemId + kind.path(), q, purpose);
        return intervalReadings(n, gateway, kind);
    }

    /** Pure: the {@code intervals} of a telemetry answer (flat, or nested per day as the import/export series). */
    public static List<Reading> intervalReadings(JsonNode answer, String gateway, CloudKind kind) {
        List<Reading> out = new ArrayList<>();
        for (JsonNode i : answer.path("intervals")) {
            if (i.isArray()) {
                for (JsonNode j : i) {
                    add(j, gateway, kind, out);
                }
            } else {
                add(i, gateway, kind, out);
            }
        }
        return out;
    }

    private static void add(JsonNode i, String gateway, CloudKind kind, List<Reading> out) {
        JsonNode end = i.get("end_at");
        JsonNode wh = i.get(kind.energyField());
        if (end == null || !end.canConvertToLong() || wh == null || !wh.isNumber() || wh.asDouble() < 0) {
            return; // an interval without its energy is not invented
        }
        JsonNode dev = i.get("devices_reporting");
        Reading.of("cloud_interval", end.asLong()).tag("gateway", gateway).tag("source", SOURCE)
                .tag("kind", kind.tag()).field("energy_wh", wh.asDouble())
                .field("power_w", wh.asDouble() * 3600.0 / INTERVAL_S).field("duration_s", (double) INTERVAL_S)
                .field("devices_reporting", dev != null && dev.isNumber() ? dev.asDouble() : null).addTo(out);
    }

    /**
     * Battery telemetry of one day ({@code telemetry/battery}, {@code granularity=day}, one call): per 15-minute
     * interval a {@code battery_charge} and a {@code battery_discharge} reading ({@code energy_wh}) and a
     * {@code battery_soc} reading ({@code soc_pct} at the interval's end).
     */
    public List<Reading> battery(String systemId, String gateway, Instant startAt, CallBudget.Purpose purpose) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("start_at", Long.toString(startAt.getEpochSecond()));
        q.put("granularity", "day");
        return batteryReadings(api.get("/systems/" + systemId + "/telemetry/battery", q, purpose), gateway);
    }

    /** Pure: the readings of a {@code telemetry/battery} answer. */
    public static List<Reading> batteryReadings(JsonNode answer, String gateway) {
        List<Reading> out = new ArrayList<>();
        for (JsonNode i : answer.path("intervals")) {
            JsonNode end = i.get("end_at");
            if (end == null || !end.canConvertToLong()) {
                continue;
            }
            energy(i.path("charge"), end.asLong(), gateway, BATTERY_CHARGE, out);
            energy(i.path("discharge"), end.asLong(), gateway, BATTERY_DISCHARGE, out);
            JsonNode soc = i.path("soc").get("percent");
            if (soc != null && soc.isNumber() && soc.asDouble() >= 0 && soc.asDouble() <= 100) {
                Reading.of("cloud_interval", end.asLong()).tag("gateway", gateway).tag("source", SOURCE)
                        .tag("kind", BATTERY_SOC).field("soc_pct", soc.asDouble())
                        .field("duration_s", (double) INTERVAL_S)
                        .field("devices_reporting", number(i.path("soc").get("devices_reporting"))).addTo(out);
            }
        }
        return out;
    }

    private static void energy(JsonNode part, long end, String gateway, String kind, List<Reading> out) {
        JsonNode wh = part.get("enwh");
        if (wh == null || !wh.isNumber() || wh.asDouble() < 0) {
            return;
        }
        Reading.of("cloud_interval", end).tag("gateway", gateway).tag("source", SOURCE).tag("kind", kind)
                .field("energy_wh", wh.asDouble()).field("power_w", wh.asDouble() * 3600.0 / INTERVAL_S)
                .field("duration_s", (double) INTERVAL_S).field("devices_reporting", number(part.get(
                        "devices_reporting")))
                .addTo(out);
    }

    private static Double number(JsonNode n) {
        return n != null && n.isNumber() ? n.asDouble() : null;
    }

    /** The micro-inverters of a system as the last {@code devices/micros/telemetry} answer counted them, if asked. */
    public java.util.Optional<Integer> microCount(String systemId) {
        return java.util.Optional.ofNullable(microCounts.get(systemId));
    }

    /**
     * One page of per-micro-inverter 5-minute production of one day ({@code devices/micros/telemetry},
     * {@code granularity=day}, {@link #MICROS_PER_PAGE} inverters a page, one call); the answer's device count is
     * kept ({@link #microCount}).
     */
    public List<Reading> micros(String systemId, String gateway, Instant startAt, int page,
            CallBudget.Purpose purpose) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("start_at", Long.toString(startAt.getEpochSecond()));
        q.put("granularity", "day");
        q.put("page", Integer.toString(page));
        q.put("size", Integer.toString(MICROS_PER_PAGE));
        JsonNode n = api.get("/systems/" + systemId + "/devices/micros/telemetry", q, purpose);
        JsonNode total = n.get("total_devices");
        if (total != null && total.canConvertToInt() && total.asInt() >= 0) {
            microCounts.put(systemId, total.asInt());
        }
        return microReadings(n, gateway);
    }

    /** Pure: {@code cloud_interval} readings {@code kind=micro}, {@code device=<serial>} of a micros answer. */
    public static List<Reading> microReadings(JsonNode answer, String gateway) {
        List<Reading> out = new ArrayList<>();
        for (JsonNode m : answer.path("micros")) {
            String serial = m.path("serial_number").asText("");
            if (serial.isBlank()) {
                continue;
            }
            for (JsonNode i : m.path("intervals")) {
                JsonNode end = i.get("end_at");
                JsonNode wh = i.get("enwh");
                if (end == null || !end.canConvertToLong() || wh == null || !wh.isNumber() || wh.asDouble() < 0) {
                    continue;
                }
                JsonNode w = i.get("powr");
                Reading.of("cloud_interval", end.asLong()).tag("gateway", gateway).tag("source", SOURCE)
                        .tag("kind", MICRO).tag("device", serial).field("energy_wh", wh.asDouble())
                        .field("power_w", w != null && w.isNumber()
                                ? w.asDouble()
                                : wh.asDouble() * 3600.0 / MICRO_INTERVAL_S)
                        .field("duration_s", (double) MICRO_INTERVAL_S).addTo(out);
            }
        }
        return out;
    }

    /**
     * Daily energy {@code first..last} (the system's local days; {@code first} null: since the system's start): {@code energy_lifetime} and
     * {@code consumption_lifetime}, two calls.
     */
    public List<Reading> days(String systemId, String gateway, LocalDate first, LocalDate last, ZoneId zone,
            CallBudget.Purpose purpose) {
        Map<String, String> q = new LinkedHashMap<>();
        if (first != null) {
            q.put("start_date", first.toString());
        }
        q.put("end_date", last.toString());
        JsonNode production = api.get("/systems/" + systemId + "/energy_lifetime", q, purpose);
        JsonNode consumption = api.get("/systems/" + systemId + "/consumption_lifetime", q, purpose);
        return dayReadings(production, consumption, gateway, zone);
    }

    /** Pure: one {@code cloud_day} reading per day of the two lifetime answers. */
    public static List<Reading> dayReadings(JsonNode production, JsonNode consumption, String gateway, ZoneId zone) {
        Map<LocalDate, Reading.Builder> days = new java.util.TreeMap<>();
        collect(production, "production", "production_wh", gateway, zone, days);
        collect(consumption, "consumption", "consumption_wh", gateway, zone, days);
        List<Reading> out = new ArrayList<>();
        days.values().forEach(b -> b.addTo(out));
        return out;
    }

    private static void collect(JsonNode answer, String array, String field, String gateway, ZoneId zone,
            Map<LocalDate, Reading.Builder> days) {
        if (answer == null || !answer.path("start_date").isTextual()) {
            return;
        }
        LocalDate d = LocalDate.parse(answer.path("start_date").asText());
        for (JsonNode wh : answer.path(array)) {
            if (wh.isNumber() && wh.asDouble() >= 0) {
                days.computeIfAbsent(d, k -> Reading.of("cloud_day", k.atStartOfDay(zone).toEpochSecond())
                        .tag("gateway", gateway).tag("source", SOURCE)).field(field, wh.asDouble());
            }
            d = d.plusDays(1);
        }
    }
}
