package dev.enphaseetl.spool;

import java.io.IOException;
import java.nio.file.Path;

/** The spool refused a poll's readings because writing them would pass {@code enphase.spool.max-bytes}. */
public class SpoolFullException extends IOException {

    private final Path directory;
    private final long usedBytes;
    private final long neededBytes;
    private final long maxBytes;

    public SpoolFullException(Path directory, long usedBytes, long neededBytes, long maxBytes) {
        super("spool " + directory + " is full: " + usedBytes + " bytes used, " + neededBytes
                + " more needed, limit enphase.spool.max-bytes=" + maxBytes
                + " (the sinks are behind; readings of this poll are not spooled)");
        this.directory = directory;
        this.usedBytes = usedBytes;
        this.neededBytes = neededBytes;
        this.maxBytes = maxBytes;
    }

    public Path directory() {
        return directory;
    }

    public long usedBytes() {
        return usedBytes;
    }

    public long neededBytes() {
        return neededBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
