package dev.enphaseetl.history;

import java.time.Duration;
import java.time.Instant;

/**
 * A period with no local reading of one measurement of one gateway: from the last reading before it (or the start of
 * the local day of the first reading) to the next reading (or now).
 */
public record Gap(String gateway, String measurement, Instant start, Instant end) {

    public Duration length() {
        return Duration.between(start, end);
    }

    @Override
    public String toString() {
        return gateway + " " + measurement + " " + start + ".." + end;
    }
}
