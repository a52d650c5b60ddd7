package dev.enphaseetl.spool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.model.Reading;

/** Readings as JSON Lines, one reading per line: the lossless format of spool entries. */
public final class SpoolCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();

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

    public static List<Reading> decode(String jsonLines) {
        List<Reading> readings = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new StringReader(jsonLines))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    readings.add(MAPPER.readValue(line, Reading.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("spool entry is not readable JSON Lines: " + e.getMessage(), e);
        }
        return readings;
    }
}
