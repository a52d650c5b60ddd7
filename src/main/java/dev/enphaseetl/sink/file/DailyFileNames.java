package dev.enphaseetl.sink.file;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Resolves a file name pattern for a reading: {@code {date}} becomes the reading's UTC date (YYYY-MM-DD) and
 * {@code {measurement}} its measurement (restricted to letters, digits, '_' and '-').
 */
public record DailyFileNames(Path directory, String pattern) {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    public DailyFileNames {
        if (!pattern.contains("{date}")) {
            throw new IllegalArgumentException("file pattern needs {date} for daily rotation: " + pattern);
        }
    }

    public Path resolve(String measurement, long epochSecond) {
        String safe = measurement.replaceAll("[^A-Za-z0-9_-]", "_");
        String name = pattern.replace("{date}", DATE.format(Instant.ofEpochSecond(epochSecond)))
                .replace("{measurement}", safe);
        Path p = directory.resolve(name).normalize();
        if (!p.startsWith(directory.normalize())) {
            throw new IllegalArgumentException("file pattern leaves the directory: " + pattern);
        }
        return p;
    }
}
