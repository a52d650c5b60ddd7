package dev.enphaseetl.history;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.enphaseetl.cloud.CallBudget;
import dev.enphaseetl.cloud.CloudKind;
import dev.enphaseetl.cloud.CloudTelemetry;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.spool.Spool;

/**
 * Fills the gaps of the {@code system} measurement (the gateway's production and consumption: what the ledger and
 * the page show) with the cloud's 15-minute intervals that lie wholly inside them, written as {@code cloud_interval}
 * readings tagged {@code source=cloud} through the spool into every sink. Local readings are never touched: the cloud
 * readings are a measurement of their own, only for times with no local reading, and intervals the archive holds
 * already are not asked for again. Intervals the gateway has not uploaded yet (the cloud lags 15 min to hours) are
 * asked for again at the next round.
 */
public final class GapFiller {

    /** What one round did. */
    public record Result(int gapsSeen, int gapsComplete, int intervalsWritten, long calls) {}

    private final CloudTelemetry cloud;
    private final Spool spool;

    public GapFiller(CloudTelemetry cloud, Spool spool) {
        this.cloud = cloud;
        this.spool = spool;
    }

    public Result fill(List<Gap> gaps, JdbcSink archive) throws IOException {
        long callsBefore = cloud.api().calls();
        int complete = 0;
        int written = 0;
        int seen = 0;
        for (Gap gap : gaps) {
            if (!gap.measurement().equals("system")) {
                continue;
            }
            long first = ceil(gap.start().getEpochSecond()) + CloudTelemetry.INTERVAL_S; // first end inside
            long last = Math.floorDiv(gap.end().getEpochSecond(), CloudTelemetry.INTERVAL_S)
                    * CloudTelemetry.INTERVAL_S;
            if (last < first) {
                continue; // shorter than one whole interval
            }
            seen++;
            Map<String, Set<Long>> have = stored(archive, gap.gateway(), first, last);
            boolean all = true;
            List<Reading> out = new ArrayList<>();
            String systemId = null;
            for (CloudKind kind : CloudKind.values()) {
                Set<Long> got = have.getOrDefault(kind.tag(), new HashSet<>());
                if (missing(got, first, last) == 0) {
                    continue;
                }
                if (systemId == null) {
                    systemId = cloud.systemId(gap.gateway(), CallBudget.Purpose.FILL);
                }
                for (long start = first - CloudTelemetry.INTERVAL_S; start < last; start += 86_400) {
                    for (Reading r : cloud.intervals(systemId, gap.gateway(), kind, Instant.ofEpochSecond(start),
                            "day", CallBudget.Purpose.FILL)) {
                        if (r.time() >= first && r.time() <= last && got.add(r.time())) {
                            out.add(r);
                        }
                    }
                }
                all &= missing(got, first, last) == 0;
            }
            if (!out.isEmpty()) {
                spool.offer(out);
                written += out.size();
            }
            if (all) {
                complete++;
            }
        }
        return new Result(seen, complete, written, cloud.api().calls() - callsBefore);
    }

    private static long ceil(long t) {
        return Math.floorDiv(t + CloudTelemetry.INTERVAL_S - 1, CloudTelemetry.INTERVAL_S) * CloudTelemetry.INTERVAL_S;
    }

    private static int missing(Set<Long> got, long first, long last) {
        int n = 0;
        for (long e = first; e <= last; e += CloudTelemetry.INTERVAL_S) {
            if (!got.contains(e)) {
                n++;
            }
        }
        return n;
    }

    /** Interval ends per kind the archive holds already for this gateway. */
    private static Map<String, Set<Long>> stored(JdbcSink archive, String gateway, long first, long last) {
        Map<String, Set<Long>> out = new TreeMap<>();
        for (Reading r : archive.read("cloud_interval", first, last + 1)) {
            if (gateway.equals(r.tag("gateway"))) {
                out.computeIfAbsent(r.tag("kind"), k -> new HashSet<>()).add(r.time());
            }
        }
        return out;
    }
}
