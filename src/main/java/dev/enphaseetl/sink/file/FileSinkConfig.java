package dev.enphaseetl.sink.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a file sink writes: a directory and a file name pattern relative to it ({@code {date}} = UTC date of each
 * reading, {@code {measurement}} = its measurement).
 */
public record FileSinkConfig(Path directory, String pattern) {

    public static final String LINE_PROTOCOL_PATTERN = "enphase-{date}.lp";
    public static final String CSV_PATTERN = "{measurement}/{measurement}-{date}.csv";

    /** {@code <dataDir>/lineprotocol/enphase-YYYY-MM-DD.lp} */
    public static FileSinkConfig lineProtocol(Path dataDir) {
        return new FileSinkConfig(dataDir.resolve("lineprotocol"), LINE_PROTOCOL_PATTERN);
    }

    /** {@code <dataDir>/csv/<measurement>/<measurement>-YYYY-MM-DD.csv} */
    public static FileSinkConfig csv(Path dataDir) {
        return new FileSinkConfig(dataDir.resolve("csv"), CSV_PATTERN);
    }

    /** This one with the configured directory and pattern where they are set. */
    public FileSinkConfig with(Optional<String> configuredDirectory, Optional<String> configuredPattern) {
        return new FileSinkConfig(configuredDirectory.map(Path::of).orElse(directory),
                configuredPattern.orElse(pattern));
    }

    /**
     * Why the sink could not write here, if so: the directory (or the nearest folder that exists, where it would be
     * made) is not a writable directory. Checked by {@code enphase-etl doctor}; nothing is created.
     */
    public Optional<String> problem() {
        Path dir = directory.toAbsolutePath().normalize();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            return Optional.of((existing == null ? dir : existing) + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            return Optional.of(existing + " is not writable by this user");
        }
        return Optional.empty();
    }

    DailyFileNames names() {
        return new DailyFileNames(directory, pattern);
    }
}
