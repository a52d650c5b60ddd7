package dev.enphaseetl.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.enphaseetl.cloud.CallBudget;
import dev.enphaseetl.cloud.CloudException;
import dev.enphaseetl.cloud.CloudKind;
import dev.enphaseetl.cloud.CloudTelemetry;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.spool.Spool;

/**
 * The history import ({@code enphase-etl backfill}): daily energy since the system's start ({@code cloud_day}, two
 * calls) and then the 15-minute telemetry ({@code cloud_interval}) week by week, from {@code since} (or as far back as
 * {@code enphase.cloud.telemetry-history} allows) up to now, four calls a week, through the spool into every sink.
 * <p>
 * Resumable: after every unit (the days, or one week) the readings are in the spool and then the progress is written
 * atomically to {@code <data-dir>/cloud/backfill-<gateway>.json}; a stop at any moment (kill -9 included) repeats at
 * most the unit that was running. When the month's quota (less {@code enphase.cloud.fill-reserve}) would be passed,
 * the import stops and says when it can go on; run the same command again then.
 */
public final class HistoryImport {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final long WEEK_S = 7 * 86_400;
    static final int CALLS_PER_WEEK = CloudKind.values().length;

    /** Where an import stands. */
    public record Progress(String gateway, int unitsDone, int unitsLeft, int quotaUsed, int quotaPerMonth,
            Optional<Instant> expectedFinish, boolean paused, String note) {
        public boolean finished() {
            return unitsLeft == 0;
        }

        @Override
        public String toString() {
            return String.format("%s: %d done, %d left, quota %d/%d this month, expected finish %s%s", gateway,
                    unitsDone, unitsLeft, quotaUsed, quotaPerMonth,
                    expectedFinish.map(Instant::toString).orElse(unitsLeft == 0 ? "done" : "unknown"),
                    note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    private final CloudTelemetry cloud;
    private final Spool spool;
    private final Path dir;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration telemetryHistory;

    public HistoryImport(CloudTelemetry cloud, Spool spool, Path dir, Clock clock, ZoneId zone,
            Duration telemetryHistory) {
        this.cloud = cloud;
        this.spool = spool;
        this.dir = dir;
        this.clock = clock;
        this.zone = zone;
        this.telemetryHistory = telemetryHistory;
    }

    public Path progressFile(String gateway) {
        return dir.resolve("backfill-" + gateway.replaceAll("[^A-Za-z0-9_.-]", "_") + ".json");
    }

    /** The {@code --since} of this gateway's import ({@code install} or a date), if one was started. */
    public Optional<String> since(String gateway) {
        return load(gateway).map(p -> p.path("since").asText("install"));
    }

    /** Whether an import of this gateway was started and is not finished. */
    public boolean unfinished(String gateway) {
        Optional<ObjectNode> p = load(gateway);
        return p.isPresent() && !p.get().path("finished").asBoolean(false);
    }

    /**
     * Imports (or resumes) the history of one gateway.
     *
     * @param since    first day to import, or null for the system's start ({@code --since install})
     * @param progress receives one line per finished unit
     */
    public Progress run(String gateway, LocalDate since, Consumer<Progress> progress) throws IOException {
        ObjectNode state = load(gateway).orElseGet(JSON::createObjectNode);
        if (!state.has("since")) {
            state.put("since", since == null ? "install" : since.toString());
        }
        CallBudget budget = cloud.api().budget();
        try {
            String systemId = state.path("system_id").asText("");
            if (systemId.isEmpty()) {
                systemId = cloud.systemId(gateway, CallBudget.Purpose.IMPORT);
                state.put("system_id", systemId);
                save(gateway, state);
            }
            if (!state.path("days_done").asBoolean(false)) {
                if (budget.left(CallBudget.Purpose.IMPORT) < 2) {
                    return report(gateway, state, true, "monthly quota used");
                }
                LocalDate first = since;
                LocalDate last = LocalDate.ofInstant(clock.instant(), zone).minusDays(1);
                List<Reading> days = cloud.days(systemId, gateway, first, last, zone, CallBudget.Purpose.IMPORT);
                spool.offer(days);
                LocalDate start = days.stream().map(r -> LocalDate.ofInstant(Instant.ofEpochSecond(r.time()), zone))
                        .min(LocalDate::compareTo).orElse(last);
                state.put("days_done", true);
                state.put("system_start", start.toString());
                state.put("days", days.size());
                if (!state.has("next_week")) { // the weeks to come are known now: the report counts them
                    state.put("next_week", firstWeek(state, since, clock.instant().getEpochSecond()));
                }
                save(gateway, state);
                progress.accept(report(gateway, state, false, days.size() + " days of daily energy"));
            }
            long now = clock.instant().getEpochSecond();
            long next = state.has("next_week")
                    ? state.path("next_week").asLong()
                    : firstWeek(state, since, now);
            state.put("next_week", next);
            while (next < now) {
                if (budget.left(CallBudget.Purpose.IMPORT) < CALLS_PER_WEEK) {
                    save(gateway, state);
                    return report(gateway, state, true, "monthly quota used; resumes on "
                            + budget.month().plusMonths(1).atDay(1));
                }
                List<Reading> week = new ArrayList<>();
                for (CloudKind kind : CloudKind.values()) {
                    week.addAll(cloud.intervals(systemId, gateway, kind, Instant.ofEpochSecond(next), "week",
                            CallBudget.Purpose.IMPORT));
                }
                spool.offer(week); // durable in the spool before the week counts as done
                next += WEEK_S;
                state.put("next_week", next);
                state.put("weeks_done", state.path("weeks_done").asInt(0) + 1);
                save(gateway, state);
                progress.accept(report(gateway, state, false, ""));
            }
            state.put("finished", true);
            save(gateway, state);
            return report(gateway, state, false, "");
        } catch (CloudException.QuotaExhausted e) {
            save(gateway, state);
            return report(gateway, state, true, e.getMessage());
        }
    }

    /** The oldest week the API serves: since (or the system's start), at most telemetry-history back. */
    private long firstWeek(ObjectNode state, LocalDate since, long now) {
        LocalDate start = since != null
                ? since
                : LocalDate.parse(state.path("system_start").asText(
                        LocalDate.ofInstant(clock.instant(), zone).toString()));
        long from = start.atStartOfDay(zone).toEpochSecond();
        return Math.max(from, now - telemetryHistory.toSeconds());
    }

    private Progress report(String gateway, ObjectNode state, boolean paused, String note) {
        CallBudget budget = cloud.api().budget();
        long now = clock.instant().getEpochSecond();
        long next = state.path("next_week").asLong(0);
        int weeksLeft = next == 0
                ? (int) Math.ceil(Math.min(telemetryHistory.toSeconds(), 20L * 365 * 86_400) / (double) WEEK_S)
                : (int) Math.max(0, Math.ceil((now - next) / (double) WEEK_S));
        int done = state.path("weeks_done").asInt(0) + (state.path("days_done").asBoolean(false) ? 1 : 0);
        int left = weeksLeft + (state.path("days_done").asBoolean(false) ? 0 : 1);
        int callsLeft = weeksLeft * CALLS_PER_WEEK + (state.path("days_done").asBoolean(false) ? 0 : 2);
        return new Progress(gateway, done, left, budget.usedThisMonth(), budget.perMonth(),
                left == 0 ? Optional.empty() : Optional.of(expectedFinish(callsLeft, budget)), paused, note);
    }

    /** At the plan's per-minute rate, moving to following months when this one's quota does not suffice. */
    Instant expectedFinish(int callsLeft, CallBudget budget) {
        Instant now = clock.instant();
        int thisMonth = budget.left(CallBudget.Purpose.IMPORT);
        if (callsLeft <= thisMonth) {
            return now.plusSeconds((long) Math.ceil(callsLeft * 60.0 / budget.perMinute()));
        }
        int perMonth = Math.max(1, budget.perMonth() - budget.reserve());
        int rest = callsLeft - thisMonth;
        int months = (rest + perMonth - 1) / perMonth;
        int lastMonthCalls = rest - (months - 1) * perMonth;
        return budget.month().plusMonths(months).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .plusSeconds((long) Math.ceil(lastMonthCalls * 60.0 / budget.perMinute()));
    }

    private Optional<ObjectNode> load(String gateway) {
        Path f = progressFile(gateway);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
            return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void save(String gateway, ObjectNode state) throws IOException {
        CallBudget.writeAtomically(progressFile(gateway), state.toString());
    }
}
