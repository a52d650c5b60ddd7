package dev.enphaseetl.ledger;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * @param zone            the zone whose local days the ledger counts (UTC by default)
 * @param maxCrossDayGap  an interval between two readings that crosses local midnight is split across the days it
 *                        touches in proportion to time when it is at most this long; a longer one cannot be placed
 *                        honestly and is left out, both days flagged {@code gap}
 */
public record LedgerConfig(ZoneId zone, Duration maxCrossDayGap) {

    public static final Duration DEFAULT_MAX_CROSS_DAY_GAP = Duration.ofHours(2);

    public LedgerConfig {
        zone = zone == null ? ZoneOffset.UTC : zone;
        maxCrossDayGap = maxCrossDayGap == null ? DEFAULT_MAX_CROSS_DAY_GAP : maxCrossDayGap;
    }

    public static LedgerConfig utc() {
        return new LedgerConfig(ZoneOffset.UTC, DEFAULT_MAX_CROSS_DAY_GAP);
    }
}
