package dev.enphaseetl.cloud;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The plan's limits, kept before each call: at most {@code perMinute} calls in any 60 s (a sliding window) and
 * {@code perMonth} calls per calendar month (UTC, as Enphase counts). Every call is counted on disk
 * ({@code <dir>/quota.json}, written atomically) before it is made, with the times of the last minute's calls, so a
 * restart (or a kill -9 right after a call) cannot spend the month twice nor burst past the minute limit.
 * <p>
 * Hand-written rather than Camel's throttle EIP or a token-bucket library: the count must survive restarts and be
 * shared by the timer route and the {@code backfill} command, the history import must leave a reserve of the month
 * for gap filling, and the tests drive it with the simulator's clock (no real waiting).
 */
public final class CallBudget {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MINUTE = Duration.ofSeconds(60);

    /** Who asks: gap filling may use the whole month, the history import leaves the reserve. */
    public enum Purpose {
        FILL, IMPORT
    }

    private final Path file;
    private final int perMinute;
    private final int perMonth;
    private final int reserve;
    private final Clock clock;
    private final Sleeper sleeper;

    // guarded by this
    private YearMonth month;
    private int used;
    private final Deque<Instant> recent = new ArrayDeque<>();
    private Instant notBefore = Instant.EPOCH;
    private boolean loaded;

    public CallBudget(Path dir, int perMinute, int perMonth, int reserve, Clock clock, Sleeper sleeper) {
        if (perMinute < 1 || perMonth < 1) {
            throw new IllegalArgumentException("enphase.cloud.requests-per-minute and requests-per-month must be"
                    + " at least 1");
        }
        this.file = dir.resolve("quota.json");
        this.perMinute = perMinute;
        this.perMonth = perMonth;
        this.reserve = Math.max(0, Math.min(reserve, perMonth - 1));
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Waits until a call is allowed by the minute window (and any backoff), counts it on disk and returns.
     *
     * @throws CloudException.QuotaExhausted when the month's calls for this purpose are used up
     */
    public synchronized void acquire(Purpose purpose) throws InterruptedException {
        load();
        while (true) {
            Instant now = clock.instant();
            rollMonth(now);
            if (used >= limit(purpose)) {
                throw new CloudException.QuotaExhausted("the monthly quota of the Enlighten API is used: " + used
                        + " of " + perMonth + " calls in " + month
                        + (purpose == Purpose.IMPORT ? " (" + reserve + " kept for gap filling)" : "")
                        + "; calls resume on " + month.plusMonths(1).atDay(1));
            }
            while (!recent.isEmpty() && !recent.peekFirst().plus(MINUTE).isAfter(now)) {
                recent.removeFirst();
            }
            Instant free = recent.size() < perMinute ? now : recent.peekFirst().plus(MINUTE);
            if (notBefore.isAfter(free)) {
                free = notBefore;
            }
            if (!free.isAfter(now)) {
                recent.addLast(now);
                used++;
                save();
                return;
            }
            sleeper.sleep(Duration.between(now, free));
        }
    }

    /** No call before {@code until} (an HTTP 429: Retry-After or backoff). */
    public synchronized void holdUntil(Instant until) {
        if (until.isAfter(notBefore)) {
            notBefore = until;
        }
    }

    /** The API says the month is used up (e.g. calls made by another tool with the same key): count it so. */
    public synchronized void exhausted() {
        load();
        rollMonth(clock.instant());
        used = Math.max(used, perMonth);
        save();
    }

    public synchronized int usedThisMonth() {
        load();
        rollMonth(clock.instant());
        return used;
    }

    public int perMonth() {
        return perMonth;
    }

    public int perMinute() {
        return perMinute;
    }

    /** Calls this purpose may still make this month. */
    public synchronized int left(Purpose purpose) {
        return Math.max(0, limit(purpose) - usedThisMonth());
    }

    public int reserve() {
        return reserve;
    }

    public synchronized YearMonth month() {
        usedThisMonth();
        return month;
    }

    private int limit(Purpose purpose) {
        return purpose == Purpose.FILL ? perMonth : perMonth - reserve;
    }

    private void rollMonth(Instant now) {
        YearMonth m = YearMonth.from(now.atZone(ZoneOffset.UTC));
        if (!m.equals(month)) {
            month = m;
            used = 0;
        }
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            month = YearMonth.parse(n.path("month").asText());
            used = n.path("used").asInt();
            for (JsonNode t : n.path("recent")) {
                recent.addLast(Instant.ofEpochMilli(t.asLong()));
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable count must not let the month be spent twice: count it as used
            month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
            used = perMonth;
        }
    }

    private void save() {
        ObjectNode n = JSON.createObjectNode();
        n.put("month", month.toString());
        n.put("used", used);
        ArrayNode r = n.putArray("recent");
        recent.forEach(t -> r.add(t.toEpochMilli()));
        try {
            writeAtomically(file, n.toString());
        } catch (IOException e) {
            throw new CloudException("cannot record the cloud call count in " + file, e);
        }
    }

    /**
     * Temporary file in the same directory, fsync, atomic rename: a reader sees the old or the new content (also the
     * history import's progress files).
     */
    public static void writeAtomically(Path target, String content) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
