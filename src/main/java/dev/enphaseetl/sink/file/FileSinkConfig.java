package dev.enphaseetl.sink.file;

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

    DailyFileNames names() {
        return new DailyFileNames(directory, pattern);
    }
}
