package dev.enphaseetl.spool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.enphaseetl.model.Reading;

/** Readings as JSON Lines, one reading per line: the lossless format of spool entries. */
public final class SpoolCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** One reader for every entry (thread-safe): no per-line lookup of the deserializer. */
    private static final ObjectReader READER = MAPPER.readerFor(Reading.class);

    private SpoolCodec() {}

    public static byte[] encode(List<Reading> readings) {
        StringBuilder sb = new StringBuilder(readings.size() * 200);
        try {
            for (Reading r : readings) {
                sb.append(MAPPER.writeValueAsString(r)).append('\n');
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a reading", e);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The readings of an entry straight from its bytes (UTF-8), one streaming parser for the whole entry: no
     * intermediate String, no parser per line. Whitespace and blank lines between readings are skipped, as
     * {@link #decode(String)} does.
     *
     * @throws UncheckedIOException when a line is not a reading
     */
    public static List<Reading> decode(byte[] jsonLines) {
        List<Reading> readings = new ArrayList<>();
        try (MappingIterator<Reading> it = READER.readValues(jsonLines)) {
            while (it.hasNextValue()) {
                readings.add(it.nextValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("spool entry is not readable JSON Lines: " + e.getMessage(), e);
        }
        return readings;
    }

    public static List<Reading> decode(String jsonLines) {
        List<Reading> readings = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new StringReader(jsonLines))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    readings.add(READER.readValue(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("spool entry is not readable JSON Lines: " + e.getMessage(), e);
        }
        return readings;
    }
}
