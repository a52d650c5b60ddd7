package dev.enphaseetl.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One normalized reading: the single model every output (line protocol, CSV, SQL, InfluxDB) is rendered from.
 *
 * <p>
 * {@code time} is epoch seconds taken from the device, never from the poll clock. Fields are always doubles so that
 * InfluxDB never sees a field flip between integer and float. A field the gateway did not report is absent, never
 * zero.
 */
public record Reading(String measurement, SortedMap<String, String> tags, SortedMap<String, Double> fields, long time) {

    /** The latest time a reading may have: 9999-12-31T23:59:59Z, the last instant every sink can write. */
    public static final long MAX_TIME = 253_402_300_799L;

    public Reading {
        Objects.requireNonNull(measurement, "measurement");
        if (time < 0 || time > MAX_TIME) {
            // e.g. milli- or nanoseconds where seconds belong: no sink could file or store it
            throw new IllegalArgumentException("time " + time + " of " + measurement
                    + " is not an epoch second between 1970 and 9999 (milliseconds or nanoseconds?)");
        }
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        fields = Collections.unmodifiableSortedMap(new TreeMap<>(fields));
        for (Map.Entry<String, Double> f : fields.entrySet()) {
            if (f.getValue() == null || !Double.isFinite(f.getValue())) {
                throw new IllegalArgumentException(
                        "field " + f.getKey() + " of " + measurement + " is not a finite number");
            }
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("reading of " + measurement + " has no fields");
        }
    }

    public String tag(String name) {
        return tags.get(name);
    }

    public Double field(String name) {
        return fields.get(name);
    }

    public static Builder of(String measurement, long time) {
        return new Builder(measurement, time);
    }

    /** Collects tags and fields; {@link #field(String, Double)} skips absent values so nothing is invented. */
    public static final class Builder {
        private final String measurement;
        private final long time;
        private final SortedMap<String, String> tags = new TreeMap<>();
        private final SortedMap<String, Double> fields = new TreeMap<>();

        private Builder(String measurement, long time) {
            this.measurement = measurement;
            this.time = time;
        }

        public Builder tag(String name, String value) {
            if (value != null && !value.isEmpty()) {
                tags.put(name, value);
            }
            return this;
        }

        /** Adds the field when the value is present and finite; absent or non-finite values are left out. */
        public Builder field(String name, Double value) {
            if (value != null && Double.isFinite(value)) {
                fields.put(name, value);
            }
            return this;
        }

        public boolean hasFields() {
            return !fields.isEmpty();
        }

        public Reading build() {
            return new Reading(measurement, tags, fields, time);
        }

        /** Builds the reading into {@code out} when it has a field: a reading with nothing reported is not written. */
        public void addTo(List<Reading> out) {
            if (hasFields()) {
                out.add(build());
            }
        }
    }
}
