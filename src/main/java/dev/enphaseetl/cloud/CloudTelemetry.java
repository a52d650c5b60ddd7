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

    private final EnlightenApi api;
    private final Map<String, String> systemIds = new ConcurrentHashMap<>();

    public CloudTelemetry(EnlightenApi api, Map<String, String> configuredSystems) {
        this.api = api;
        this.systemIds.putAll(configuredSystems);
    }

    public EnlightenApi api() {
        return api;
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
