package dev.enphaseetl.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.health.ProblemLog;
import dev.enphaseetl.model.Reading;

/**
 * The durable hand-off between transform and sinks: each poll's readings are written once, complete and fsynced,
 * into {@code .staged/}, then hard-linked into the spool directory of every enabled sink, before the poll counts as
 * done. Polls finishing while an entry is written share the next entry ({@link #offerAsync}); the directory fsyncs are
 * group-committed: offers finishing at the same time share them ({@link GroupCommit}). An entry a crash left in
 * {@code .staged/} is completed for every sink before the next offer, so that no sink misses a poll that another got.
 * Each sink route consumes its own directory and deletes an entry only after the sink confirmed it.
 *
 * <p>
 * The spool is bounded ({@code enphase.spool.max-bytes}): an offer that would pass the limit is refused with a
 * {@link SpoolFullException}; nothing already spooled is touched. The size is kept cheaply: bytes written are added
 * as they are written, and the directories are counted again (which also sees the entries the sinks deleted) at
 * most every {@code enphase.spool.recount-interval}, and before an offer is refused.
 */
@ApplicationScoped
@Named("spool")
public class Spool {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.spool");
    /** Full and unwritable: one line when it starts, a reminder every 10 min, one when it ends. */
    private final ProblemLog problems = new ProblemLog(LOG);
    /** A refusal is only decided on a fresh count, but the directories are not counted more often than this. */
    private static final Duration MIN_RECOUNT = Duration.ofMillis(500);
    /** A staging file this old belongs to no write in progress. */
    private static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

    /** Entries and the age of the oldest one, per sink, as of the last count. */
    public record SinkDepth(long entries, long bytes, Optional<Instant> oldest) {}

    /** The fill state for health: bytes used, limit, whether full, and the last write failure if the last offer failed. */
    public record State(long usedBytes, long maxBytes, boolean full, Optional<String> writeError,
            Map<String, SinkDepth> sinks) {
        public int percent() {
            return maxBytes <= 0 ? 0 : (int) Math.min(100, usedBytes * 100.0 / maxBytes);
        }
    }

    private final Path root;
    private final SinkSwitches sinks;
    private final long maxBytes;
    private final int warnPercent;
    private final Duration recountInterval;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    /** Where an entry is written once before it is linked into each sink's directory. */
    static final String STAGED = ".staged";
    /** Whether staged entries were completed once since this process started. */
    private volatile boolean stagedChecked;
    /** Directory fsyncs shared by concurrent offers. */
    private final GroupCommit commits;
    /** The polls' offers, written together by one thread ({@link #offerAsync}). */
    private final OfferBatcher batcher = new OfferBatcher(this::offer, writerThread());
    /** Entries offers are writing right now (never completed by {@link #completeStaged()}). */
    private final Set<String> writing = ConcurrentHashMap.newKeySet();

    // guarded by this
    private long countedBytes;
    private long writtenSinceCount;
    private Instant countedAt = Instant.EPOCH;
    private Map<String, SinkDepth> depths = Map.of();
    private boolean warned;
    private boolean refusing;
    private long refusedNeed;
    private String writeError;

    @Inject
    public Spool(EnphaseConfig config, SinkSwitches sinks) {
        this(Path.of(config.dataDir(), "spool"), sinks, config.spool().maxBytes(), config.spool().warnPercent(),
                config.spool().recountInterval(), Clock.systemUTC());
    }

    /** An unbounded spool (tests and tools). */
    public Spool(Path root, SinkSwitches sinks) {
        this(root, sinks, Long.MAX_VALUE, 80, Duration.ofSeconds(10), Clock.systemUTC());
    }

    public Spool(Path root, SinkSwitches sinks, long maxBytes, int warnPercent, Duration recountInterval,
            Clock clock) {
        this(root, sinks, maxBytes, warnPercent, recountInterval, clock, DurableFiles::fsyncDirectory);
    }

    /** With the directory sync given (tests observe or delay it). */
    Spool(Path root, SinkSwitches sinks, long maxBytes, int warnPercent, Duration recountInterval, Clock clock,
            Consumer<Path> directorySync) {
        this.commits = new GroupCommit(directorySync);
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("enphase.spool.max-bytes must be positive, not " + maxBytes);
        }
        if (warnPercent < 1 || warnPercent > 100) {
            throw new IllegalArgumentException("enphase.spool.warn-percent must be 1..100, not " + warnPercent);
        }
        this.root = root;
        this.sinks = sinks;
        this.maxBytes = maxBytes;
        this.warnPercent = warnPercent;
        this.recountInterval = recountInterval;
        this.clock = clock;
    }

    /**
     * {@link #offer}, on the spool's writer thread: the polls of routes/20 hand their readings over and hold no thread
     * while the disk syncs; offers arriving while an entry is written go into the next entry together
     * ({@link OfferBatcher}). The future completes, on the writer thread, once the readings are durable for every sink,
     * or fails as {@link #offer} would throw (then nothing of them counts as spooled).
     */
    public CompletableFuture<Integer> offerAsync(List<Reading> readings) {
        return batcher.offer(readings);
    }

    /** One daemon thread that ends when idle for a while (a single home spools once in a few seconds). */
    private static Executor writerThread() {
        ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "spool-writer");
                    t.setDaemon(true);
                    return t;
                });
        writer.allowCoreThreadTimeOut(true);
        return writer;
    }

    /**
     * Writes the readings to every enabled sink's spool; returns how many entries were written.
     *
     * @throws SpoolFullException when the entries would pass the size limit (nothing is written)
     * @throws IOException when the spool cannot be written (recorded for health until an offer succeeds)
     */
    public int offer(List<Reading> readings) throws IOException {
        if (readings == null || readings.isEmpty()) {
            return 0;
        }
        byte[] content = SpoolCodec.encode(readings);
        long needed = (long) content.length * sinks.enabled().size();
        reserve(needed);
        String name = String.format("%013d-%09d.jsonl", System.currentTimeMillis(),
                sequence.incrementAndGet() % 1_000_000_000L);
        int written = 0;
        writing.add(name);
        try {
            if (!stagedChecked) {
                recount(); // completes what an earlier process left staged, before the first new entry
            }
            // durable once, for all sinks; an entry left staged (a crash, a failed link) is completed by the next
            // count, or the next start. Directory syncs are shared with offers finishing at the same time (group
            // commit): the staged entry is durable before any link to it can be, the links before the poll counts
            Path staged = root.resolve(STAGED).resolve(name);
            DurableFiles.writeAndRename(root.resolve(".tmp"), staged, content);
            commits.await(List.of(staged.getParent()));
            List<Path> linked = new ArrayList<>();
            for (String sink : sinks.enabled()) {
                Path dir = root.resolve(sink);
                if (DurableFiles.linkOrCopyUnsynced(staged, dir.resolve(name), root.resolve(".tmp"))) {
                    linked.add(dir);
                }
                written++;
            }
            commits.await(linked);
            // not synced: a staged entry that comes back after a power loss is linked again, which the sinks absorb
            Files.delete(staged);
        } catch (IOException | UncheckedIOException e) {
            synchronized (this) {
                writtenSinceCount -= (long) content.length * (sinks.enabled().size() - written);
                writeError = "cannot write spool " + root + ": " + e;
            }
            problems.problem("write", "write", Logger.Level.ERROR, String.format("Cannot write to spool %s (%s: %s);"
                    + " polls are not acknowledged until it is writable (logged once, reminded every 10 min)", root,
                    e.getClass().getSimpleName(), e.getMessage()));
            throw new SpoolWriteException("cannot write spool " + root + ": " + e.getMessage(), e);
        } finally {
            writing.remove(name);
        }
        synchronized (this) {
            if (writeError != null) {
                problems.ok("write", "Spool " + root + " is writable again");
            }
            writeError = null;
        }
        return written;
    }

    /**
     * Staged entries that no offer is writing (left by a killed process, or by an offer that failed half way): handed
     * to every enabled sink now (a sink that got and delivered one already gets it again, which the sinks absorb).
     * Runs with every count of the spool.
     */
    private synchronized void completeStaged() throws IOException {
        Path dir = root.resolve(STAGED);
        if (!Files.isDirectory(dir)) {
            stagedChecked = true;
            return;
        }
        List<Path> left;
        try (Stream<Path> files = Files.list(dir)) {
            left = files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .filter(p -> !writing.contains(p.getFileName().toString())).sorted().toList();
        }
        for (Path staged : left) {
            for (String sink : sinks.enabled()) {
                DurableFiles.linkOrCopy(staged, root.resolve(sink).resolve(staged.getFileName()), root.resolve(".tmp"));
            }
            Files.deleteIfExists(staged);
            LOG.infof("Completed spool entry %s, left by an interrupted write, for sinks %s", staged.getFileName(),
                    sinks.enabled());
        }
        DurableFiles.fsyncDirectory(dir);
        stagedChecked = true;
    }

    /** Counts {@code needed} bytes in, or refuses when the limit would be passed (on a fresh count). */
    private synchronized void reserve(long needed) throws SpoolFullException {
        Instant now = clock.instant();
        if (countedAt.plus(recountInterval).isBefore(now)) {
            recount();
        }
        if (used() + needed > maxBytes && countedAt.plus(MIN_RECOUNT).isBefore(now)) {
            recount();
        }
        long used = used();
        if (used + needed > maxBytes) {
            problems.problem("full", "full", Logger.Level.ERROR, String.format("Spool %s is full (%d of %d bytes,"
                    + " enphase.spool.max-bytes): new readings are refused until the sinks catch up", root, used,
                    maxBytes));
            refusing = true;
            refusedNeed = needed;
            throw new SpoolFullException(root, used, needed, maxBytes);
        }
        if (refusing) {
            problems.ok("full", String.format("Spool %s accepts readings again (%d of %d bytes)", root, used,
                    maxBytes));
            refusing = false;
        }
        writtenSinceCount += needed;
        checkWarn();
    }

    private void checkWarn() {
        long used = used();
        boolean above = used > 0 && used >= (long) (maxBytes * (warnPercent / 100.0));
        if (above && !warned) {
            LOG.warnf("Spool %s is %d%% full (%d of %d bytes, warning at %d%%): the sinks are not keeping up", root,
                    (int) (used * 100.0 / maxBytes), used, maxBytes, warnPercent);
        }
        warned = above;
    }

    private long used() {
        return countedBytes + writtenSinceCount;
    }

    /** Counts the spool directories again: size, and per sink the entries and the oldest one. */
    public synchronized void recount() {
        try {
            completeStaged();
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Cannot complete interrupted spool entries in %s: %s", root.resolve(STAGED), e.getMessage());
        }
        long total = 0;
        Map<String, SinkDepth> d = new LinkedHashMap<>();
        for (String sink : sinks.enabled()) {
            SinkDepth depth = count(root.resolve(sink));
            d.put(sink, depth);
            total += depth.bytes();
        }
        removeAbandonedParts();
        countedBytes = total;
        writtenSinceCount = 0;
        depths = Map.copyOf(d);
        countedAt = clock.instant();
        checkWarn();
    }

    /** Temporary files a killed process left in {@code .tmp} (never renamed, so never acknowledged). */
    private void removeAbandonedParts() {
        Path tmp = root.resolve(".tmp");
        if (!Files.isDirectory(tmp)) {
            return;
        }
        Instant before = clock.instant().minus(ABANDONED_AFTER);
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try {
                    if (p.getFileName().toString().endsWith(".part")
                            && Files.getLastModifiedTime(p).toInstant().isBefore(before)) {
                        Files.deleteIfExists(p);
                        LOG.infof("Removed %s, left by an interrupted spool write", p);
                    }
                } catch (IOException e) {
                    // gone or not removable: tried again on the next count
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the next count tries again
        }
    }

    private static SinkDepth count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new SinkDepth(0, 0, Optional.empty());
        }
        long entries = 0;
        long bytes = 0;
        Instant oldest = null;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException gone) {
                    continue; // delivered and deleted while counting
                }
                if (!a.isRegularFile()) {
                    continue;
                }
                bytes += a.size();
                if (p.getFileName().toString().endsWith(".jsonl")) {
                    entries++;
                    Instant t = a.lastModifiedTime().toInstant();
                    if (oldest == null || t.isBefore(oldest)) {
                        oldest = t;
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Cannot count spool %s: %s", dir, e.getMessage());
        }
        return new SinkDepth(entries, bytes, Optional.ofNullable(oldest));
    }

    /** The fill state, counted again if entries were written since the last count or it is older than a second. */
    public synchronized State state() {
        if (writtenSinceCount != 0 || countedAt.plusSeconds(1).isBefore(clock.instant())) {
            recount();
        }
        long used = used();
        boolean full = used >= maxBytes || refusing && used + refusedNeed > maxBytes;
        return new State(used, maxBytes, full, Optional.ofNullable(writeError), depths);
    }

    public Path directory(String sink) {
        return root.resolve(sink);
    }

    public Path root() {
        return root;
    }
}
