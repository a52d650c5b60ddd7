package dev.enphaseetl.history;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * already are not asked for again (per series and day of a gap: a day whose intervals are all there costs no call).
 * Intervals the gateway has not uploaded yet (the cloud lags 15 min to hours) are asked for again at the next round.
 * <p>
 * Besides the four meter series: battery telemetry ({@code telemetry/battery}) for a gateway with a battery (the
 * archive holds a {@code battery} or {@code battery_aggregate} reading of it: the gateway reported an Encharge), and,
 * when {@code micros} is on ({@code enphase.cloud.micros}), 5-minute per-micro-inverter production
 * ({@code devices/micros/telemetry}, one call per 20 inverters and day) for the daylight part of a gap: the 5-minute
 * intervals inside the gap's 15-minute production intervals that have energy.
 * <p>
 * One round makes at most {@code maxCallsPerRound} calls ({@code enphase.cloud.max-calls-per-round}): the gaps are
 * taken oldest first (the oldest are the next to leave {@code enphase.cloud.gap-window} and would then never be
 * filled; the newest may not be uploaded yet anyway), and when the cap is reached the rest waits for the next round.
 */
public final class GapFiller {

    /**
     * What one round did.
     *
     * @param gapsWaiting gaps with calls still to make that this round left for the next one (the cap was reached)
     */
    public record Result(int gapsSeen, int gapsComplete, int intervalsWritten, long calls, int gapsWaiting) {}

    private static final long DAY_S = 86_400;
    private static final long STEP = CloudTelemetry.INTERVAL_S;
    private static final long MICRO_STEP = CloudTelemetry.MICRO_INTERVAL_S;

    private final CloudTelemetry cloud;
    private final Spool spool;
    private final int maxCallsPerRound;
    private final boolean micros;

    /** Without a cap per round (the plan's limits still hold), without micro-inverter data. */
    public GapFiller(CloudTelemetry cloud, Spool spool) {
        this(cloud, spool, Integer.MAX_VALUE, false);
    }

    public GapFiller(CloudTelemetry cloud, Spool spool, int maxCallsPerRound) {
        this(cloud, spool, maxCallsPerRound, false);
    }

    public GapFiller(CloudTelemetry cloud, Spool spool, int maxCallsPerRound, boolean micros) {
        if (maxCallsPerRound < 1) {
            throw new IllegalArgumentException("enphase.cloud.max-calls-per-round is " + maxCallsPerRound
                    + ": set it to 1 or more (ENPHASE_CLOUD_MAX_CALLS_PER_ROUND; default 20)");
        }
        this.cloud = cloud;
        this.spool = spool;
        this.maxCallsPerRound = maxCallsPerRound;
        this.micros = micros;
    }

    /** The round in progress: its calls against the cap, the gateway's system id once asked. */
    private final class Round {
        final long callsBefore = cloud.api().calls();
        final Map<String, Boolean> battery = new HashMap<>();

        boolean capped() {
            return cloud.api().calls() - callsBefore >= maxCallsPerRound;
        }

        long calls() {
            return cloud.api().calls() - callsBefore;
        }
    }

    /** What the archive and this round hold of one gap. */
    private static final class Held {
        final Map<String, Set<Long>> times = new HashMap<>();
        final Map<Long, Double> productionWh = new HashMap<>();
        final Map<Long, Set<String>> microDevices = new HashMap<>();

        Set<Long> of(String kind) {
            return times.computeIfAbsent(kind, k -> new HashSet<>());
        }

        /** Takes a reading unless held already; true when taken. */
        boolean take(Reading r) {
            String kind = r.tag("kind");
            boolean fresh = CloudTelemetry.MICRO.equals(kind)
                    ? microDevices.computeIfAbsent(r.time(), k -> new HashSet<>()).add(r.tag("device"))
                    : of(kind).add(r.time());
            if (fresh && CloudKind.PRODUCTION.tag().equals(kind) && r.field("energy_wh") != null) {
                productionWh.put(r.time(), r.field("energy_wh"));
            }
            return fresh;
        }
    }

    public Result fill(List<Gap> gaps, JdbcSink archive) throws IOException {
        Round round = new Round();
        int complete = 0;
        int written = 0;
        int seen = 0;
        int waiting = 0;
        List<Gap> todo = gaps.stream().filter(g -> g.measurement().equals("system"))
                .sorted(Comparator.comparing(Gap::start).thenComparing(Gap::gateway)).toList();
        for (Gap gap : todo) {
            long first = ceil(gap.start().getEpochSecond(), STEP) + STEP; // first end inside
            long last = Math.floorDiv(gap.end().getEpochSecond(), STEP) * STEP;
            if (last < first) {
                continue; // shorter than one whole interval
            }
            seen++;
            Held held = stored(archive, gap.gateway(), first - STEP, last);
            List<Reading> out = new ArrayList<>();
            String[] systemId = {null};
            boolean all = true;
            boolean capped = false;
            for (CloudKind kind : CloudKind.values()) {
                Set<Long> got = held.of(kind.tag());
                for (long start = first - STEP; start < last && !capped; start += DAY_S) {
                    if (missing(got, start + STEP, Math.min(last, start + DAY_S)) == 0) {
                        continue; // this day of the gap is in the archive already: no call
                    }
                    if (!ready(round, gap, systemId)) {
                        capped = true;
                        break;
                    }
                    keep(cloud.intervals(systemId[0], gap.gateway(), kind, Instant.ofEpochSecond(start), "day",
                            CallBudget.Purpose.FILL), first, last, held, out);
                }
                all &= missing(got, first, last) == 0;
            }
            if (round.battery.computeIfAbsent(gap.gateway(), gw -> hasBattery(archive, gw))) {
                Set<Long> got = held.of(CloudTelemetry.BATTERY_CHARGE);
                for (long start = first - STEP; start < last && !capped; start += DAY_S) {
                    if (missing(got, start + STEP, Math.min(last, start + DAY_S)) == 0) {
                        continue;
                    }
                    if (!ready(round, gap, systemId)) {
                        capped = true;
                        break;
                    }
                    keep(cloud.battery(systemId[0], gap.gateway(), Instant.ofEpochSecond(start),
                            CallBudget.Purpose.FILL), first, last, held, out);
                }
                all &= missing(got, first, last) == 0;
            }
            if (micros) {
                for (long start = first - STEP; start < last && !capped; start += DAY_S) {
                    long chunkLast = Math.min(last, start + DAY_S);
                    if (microsMissing(held, start + MICRO_STEP, chunkLast, gap) == 0) {
                        continue; // night, production not uploaded yet, or all there
                    }
                    int pages = 1;
                    for (int page = 1; page <= pages; page++) {
                        if (!ready(round, gap, systemId)) {
                            capped = true;
                            break;
                        }
                        keep(cloud.micros(systemId[0], gap.gateway(), Instant.ofEpochSecond(start), page,
                                CallBudget.Purpose.FILL), start + MICRO_STEP, chunkLast, held, out);
                        int count = cloud.microCount(systemId[0]).orElse(0);
                        pages = (count + CloudTelemetry.MICROS_PER_PAGE - 1) / CloudTelemetry.MICROS_PER_PAGE;
                    }
                }
                all &= microsMissing(held, first - STEP + MICRO_STEP, last, gap) == 0;
            }
            if (!out.isEmpty()) {
                spool.offer(out);
                written += out.size();
            }
            if (all) {
                complete++;
            } else if (capped) {
                waiting++;
            }
        }
        return new Result(seen, complete, written, round.calls(), waiting);
    }

    /** Room for one more call in this round, and the gateway's system id known (asking it is a call too). */
    private boolean ready(Round round, Gap gap, String[] systemId) {
        if (round.capped()) {
            return false;
        }
        if (systemId[0] == null) {
            systemId[0] = cloud.systemId(gap.gateway(), CallBudget.Purpose.FILL);
            return !round.capped();
        }
        return true;
    }

    private static void keep(List<Reading> answer, long first, long last, Held held, List<Reading> out) {
        for (Reading r : answer) {
            if (r.time() >= first && r.time() <= last && held.take(r)) {
                out.add(r);
            }
        }
    }

    /**
     * 5-minute ends in {@code [first, last]} in daylight (their 15-minute production interval is held with energy)
     * that lack a micro-inverter (all of those the cloud counted, or any when it was not asked yet).
     */
    private int microsMissing(Held held, long first, long last, Gap gap) {
        int expected = knownMicros(gap);
        int n = 0;
        for (long e = first; e <= last; e += MICRO_STEP) {
            Double wh = held.productionWh.get(ceil(e, STEP));
            if (wh == null || wh <= 0) {
                continue;
            }
            Set<String> d = held.microDevices.get(e);
            if (d == null || d.size() < expected) {
                n++;
            }
        }
        return n;
    }

    private int knownMicros(Gap gap) {
        return Math.max(1, cloud.knownSystemId(gap.gateway()).flatMap(cloud::microCount).orElse(1));
    }

    private static long ceil(long t, long step) {
        return Math.floorDiv(t + step - 1, step) * step;
    }

    private static int missing(Set<Long> got, long first, long last) {
        int n = 0;
        for (long e = first; e <= last; e += STEP) {
            if (!got.contains(e)) {
                n++;
            }
        }
        return n;
    }

    /** What the archive holds already of this gateway's cloud intervals ending in {@code (from, to]}. */
    private static Held stored(JdbcSink archive, String gateway, long from, long to) {
        Held held = new Held();
        for (Reading r : archive.read("cloud_interval", from + 1, to + 1)) {
            if (gateway.equals(r.tag("gateway"))) {
                held.take(r);
            }
        }
        return held;
    }

    /**
     * The gateway has a battery when the archive holds an Encharge reading of it: {@code battery} (a unit of
     * {@code /ivp/ensemble/inventory}) or {@code battery_aggregate} ({@code /ivp/ensemble/secctrl}, written only when
     * a battery reports).
     */
    static boolean hasBattery(JdbcSink archive, String gateway) {
        return archive.withConnection((c, d) -> {
            for (String table : new String[]{"battery", "battery_aggregate"}) {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table
                        + " WHERE gateway = ? LIMIT 1")) {
                    ps.setString(1, gateway);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return true;
                        }
                    }
                }
            }
            return false;
        });
    }
}
