package dev.enphaseetl.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.spool.SpoolCodec;

/**
 * The Kafka record format of readings (docs/kafka.md "Record format"): one record per gateway and spool entry, key =
 * the gateway serial (tag {@code gateway}; Kafka keeps the order per key), value = the readings as the spool's JSON
 * Lines (UTF-8, one reading per line), header {@value #SCHEMA_HEADER} = {@value #SCHEMA_VERSION}. Pure functions; the
 * producer is {@link KafkaDelivery}, the consumer the central tier.
 */
public final class ReadingRecords {

    /** Header naming the version of the value's format. */
    public static final String SCHEMA_HEADER = "enphase-schema";
    /** The version this code writes and reads. */
    public static final String SCHEMA_VERSION = "1";
    /** Key of readings that carry no gateway tag (none of the built-in parsers makes such readings). */
    public static final String NO_GATEWAY = "-";

    /** One record's key and value. */
    public record Record(String key, byte[] value) {}

    private ReadingRecords() {}

    /** The records of a batch of readings: one per gateway, in the order the gateways first appear. */
    public static List<Record> records(List<Reading> readings) {
        Map<String, List<Reading>> byGateway = new LinkedHashMap<>();
        for (Reading r : readings) {
            String gateway = r.tag("gateway");
            byGateway.computeIfAbsent(gateway == null || gateway.isBlank() ? NO_GATEWAY : gateway,
                    k -> new ArrayList<>()).add(r);
        }
        List<Record> out = new ArrayList<>(byGateway.size());
        byGateway.forEach((gateway, group) -> out.add(new Record(gateway, SpoolCodec.encode(group))));
        return out;
    }

    /**
     * The readings of a record value.
     *
     * @param schema the value of header {@value #SCHEMA_HEADER}, null when absent
     * @throws PermanentSinkException when the record cannot be read (another schema, not JSON Lines, not readings):
     *         no retry makes it readable, it belongs on the dead-letter topic
     */
    public static List<Reading> readings(byte[] value, String schema) {
        if (!SCHEMA_VERSION.equals(schema)) {
            throw new PermanentSinkException("record has " + SCHEMA_HEADER + " " + (schema == null
                    ? "missing"
                    : "'" + schema + "'") + "; this version reads " + SCHEMA_VERSION, null);
        }
        if (value == null || value.length == 0) {
            throw new PermanentSinkException("record has no value", null);
        }
        try {
            return SpoolCodec.decode(new String(value, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new PermanentSinkException("record value is not readings as JSON Lines: " + e.getMessage(), e);
        }
    }
}
