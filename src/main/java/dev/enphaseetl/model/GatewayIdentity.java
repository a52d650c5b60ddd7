package dev.enphaseetl.model;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the operator configured about one gateway, keyed by its serial (the {@code gateway} tag): its name
 * ({@code enphase.gateways[n].name}) and extra tags ({@code enphase.gateways[n].tags.*}). Every reading carries them
 * as tags ({@link #NAME_TAG} for the name), so line protocol and InfluxDB get them on every point, and sinks with
 * fixed columns (CSV, SQL) derive one row per gateway from the readings themselves: a {@code gateways} table or file
 * that joins on {@code gateway}. Deriving it from the readings keeps it in the spool with them: nothing to lose, and
 * the same for polled, inbox and converted readings.
 */
public record GatewayIdentity(String serial, String name, SortedMap<String, String> tags) {

    /** The tag that carries the configured name of a gateway on each of its readings. */
    public static final String NAME_TAG = "gateway_name";

    public GatewayIdentity {
        Objects.requireNonNull(serial, "serial");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    /**
     * The tags a gateway's readings get from its configuration: its extra tags, and its name as {@link #NAME_TAG}
     * when one is configured (the name wins over an extra tag of that key). Schema tags are added over these by the
     * caller, so a configured tag can never replace a schema tag such as {@code gateway}.
     */
    public static Map<String, String> readingTags(String name, Map<String, String> extraTags) {
        Map<String, String> tags = new TreeMap<>(extraTags);
        if (name != null && !name.isBlank()) {
            tags.put(NAME_TAG, name.strip());
        }
        return tags;
    }

    /** Readings with {@code extra} tags added (a reading's own tag of the same key wins). */
    public static List<Reading> withTags(List<Reading> readings, Map<String, String> extra) {
        if (extra.isEmpty()) {
            return readings;
        }
        List<Reading> out = new java.util.ArrayList<>(readings.size());
        for (Reading r : readings) {
            TreeMap<String, String> tags = new TreeMap<>(extra);
            tags.putAll(r.tags());
            out.add(new Reading(r.measurement(), tags, r.fields(), r.time()));
        }
        return out;
    }

    /**
     * One identity per serial found in the readings: the tags of a reading that are not tags of its measurement in
     * the {@link Schema}, with {@link #NAME_TAG} as the name. Readings without a {@code gateway} tag or of a
     * measurement outside the schema are skipped. When readings of one serial disagree (the configuration changed
     * while entries waited in the spool), the last one wins, as it does for the rows it describes.
     */
    public static Map<String, GatewayIdentity> of(Collection<Reading> readings) {
        Map<String, GatewayIdentity> out = new LinkedHashMap<>();
        for (Reading r : readings) {
            String serial = r.tag("gateway");
            if (serial == null) {
                continue;
            }
            Schema.find(r.measurement()).ifPresent(m -> {
                SortedMap<String, String> extra = new TreeMap<>(r.tags());
                extra.keySet().removeAll(m.tagNames());
                String name = extra.remove(NAME_TAG);
                out.put(serial, new GatewayIdentity(serial, name, extra));
            });
        }
        return out;
    }

    /** The time of the oldest of these readings that belongs to gateway {@code serial} (0 when none does). */
    public static long firstTime(Collection<Reading> readings, String serial) {
        return readings.stream().filter(r -> serial.equals(r.tag("gateway"))).mapToLong(Reading::time).min()
                .orElse(0);
    }

    /** The extra tags as {@code key=value} pairs joined by {@code ;} (sorted by key), for one text cell. */
    public String tagsText() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            sb.append(t.getKey()).append('=').append(t.getValue());
        }
        return sb.toString();
    }
}
