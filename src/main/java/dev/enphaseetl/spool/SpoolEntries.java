package dev.enphaseetl.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.model.Reading;

/**
 * Route steps of the {@code spool-to-sink} template that hand a sink its spool entries in batches: {@link #take}
 * reads the oldest entries of the sink's directory (name = arrival order) until their readings reach the batch size,
 * {@link #remove} deletes exactly those entries once the sink confirmed them (or their refused readings were parked).
 * Nothing is deleted before: a batch that fails, or a process killed between the write and the delete, leaves every
 * entry of the batch in the spool, and the next scan delivers it again (the sinks are idempotent).
 *
 * <p>
 * One scan lists the directory once and takes batches from that listing until it is used up, then lists again, so
 * that a backlog of many entries costs one directory listing per backlog rather than one per batch.
 */
@ApplicationScoped
@Named("spoolEntries")
public class SpoolEntries {

    /** Exchange property: the readings of the batch, for steps after the body became something else. */
    public static final String READINGS = "readings";
    /** Exchange property: the spool entries (paths) whose readings the batch holds. */
    public static final String BATCH = "spoolBatch";
    /** Exchange property: the batch size of the sink, in readings (route template parameter batchPoints). */
    public static final String BATCH_POINTS = "batchPoints";
    /** Exchange property: how many scans a sink skips after a failed delivery (enphase.sink.retry.scan-backoff). */
    public static final String SCAN_BACKOFF = "scanBackoff";
    /** Exchange property: the entries of this scan's listing not taken yet. */
    static final String LISTING = "spoolListing";

    private final Path root;
    /** Per sink: scans still to skip after a failed delivery. */
    private final Map<String, AtomicInteger> skip = new ConcurrentHashMap<>();
    /**
     * Per sink: the deletion of its last confirmed batch, running on {@link #deleter} while the next batch is read and
     * delivered. Awaited before the next deletion and before the sink's directory is listed again, so that a listing
     * never holds an entry already confirmed.
     */
    private final Map<String, Future<?>> deleting = new ConcurrentHashMap<>();
    /**
     * Unlinking an entry (the last link of its file: the kernel frees it) costs about as much as reading, decoding and
     * delivering it; one thread for all sinks overlaps it with the next batch.
     */
    private final ExecutorService deleter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spool-deleter");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public SpoolEntries(EnphaseConfig config) {
        this(Path.of(config.dataDir(), "spool"));
    }

    public SpoolEntries(Path root) {
        this.root = root;
    }

    /**
     * Route step: the readings of the next batch of the sink in header {@code sink} (exchange property
     * {@link #READINGS}; the entries in {@link #BATCH}): the oldest entries, in name order, as long as their readings
     * stay within {@link #BATCH_POINTS} (at least one entry). Empty when no entry waits, when the route is stopping,
     * or while the sink backs off after a failure.
     *
     * @throws PermanentSinkException when the oldest entry is not readable (the batch is then that entry alone, its
     *             raw bytes in the body, to be parked as it is)
     */
    @SuppressWarnings("unchecked")
    public List<Reading> take(Exchange exchange) throws IOException {
        String sink = exchange.getIn().getHeader("sink", String.class);
        int maxPoints = Math.max(1, exchange.getProperty(BATCH_POINTS, 5000, Integer.class));
        List<Path> files = new ArrayList<>();
        List<Reading> batch = new ArrayList<>();
        exchange.setProperty(BATCH, files);
        exchange.setProperty(READINGS, batch);
        exchange.getIn().setBody(batch);
        if (stopping(exchange) || backingOff(sink)) {
            return batch;
        }
        Deque<Path> listing = exchange.getProperty(LISTING, Deque.class);
        if (listing == null || listing.isEmpty()) {
            awaitDeleted(sink); // no confirmed entry in the new listing; and none left once the loop ends
            listing = list(root.resolve(sink));
            exchange.setProperty(LISTING, listing);
        }
        while (!listing.isEmpty() && batch.size() < maxPoints) {
            Path entry = listing.peekFirst();
            byte[] raw;
            try {
                raw = Files.readAllBytes(entry);
            } catch (NoSuchFileException gone) {
                listing.pollFirst(); // moved away by an operator
                continue;
            }
            List<Reading> readings;
            try {
                readings = SpoolCodec.decode(raw);
            } catch (RuntimeException e) {
                if (!files.isEmpty()) {
                    break; // the readable entries before it go first; it is the next batch, alone
                }
                listing.pollFirst();
                files.add(entry);
                exchange.removeProperty(READINGS);
                exchange.getIn().setHeader(Exchange.FILE_NAME, entry.getFileName().toString());
                exchange.getIn().setBody(raw);
                // no retry makes it readable: parked as it is, with the reason (sink-errors, on-sink-permanent)
                throw new PermanentSinkException("spool entry " + entry.getFileName() + " is not readable: "
                        + e.getMessage(), e);
            }
            if (!files.isEmpty() && batch.size() + readings.size() > maxPoints) {
                break;
            }
            listing.pollFirst();
            files.add(entry);
            batch.addAll(readings);
        }
        return batch;
    }

    /** Loop condition of the template: whether the last {@link #take} found entries. */
    public boolean waiting(Exchange exchange) {
        List<?> files = exchange.getProperty(BATCH, List.class);
        return files != null && !files.isEmpty();
    }

    /**
     * Route step after the sink confirmed the batch (or parked what it refused): its entries are deleted, in the
     * background while the route reads and delivers the next batch (never before this step: the sink has confirmed).
     * A deletion that failed fails the sink's next {@code remove} or listing; a kill before the deletion ran only
     * delivers the entries again.
     */
    @SuppressWarnings("unchecked")
    public void remove(Exchange exchange) throws IOException {
        List<Path> files = exchange.getProperty(BATCH, List.class);
        if (files == null) {
            return;
        }
        if (files.isEmpty()) {
            return;
        }
        String sink = exchange.getIn().getHeader("sink", String.class);
        awaitDeleted(sink); // what it throws leaves this batch in place, for a retry of this step
        exchange.setProperty(BATCH, new ArrayList<Path>());
        List<Path> confirmed = List.copyOf(files);
        Callable<Void> delete = () -> {
            for (Path p : confirmed) {
                // not synced: a delete lost in a crash only delivers the entry again
                Files.deleteIfExists(p);
            }
            return null;
        };
        try {
            deleting.put(String.valueOf(sink), deleter.submit(delete));
        } catch (RejectedExecutionException closed) {
            delete(delete);
        }
    }

    /** Waits for the sink's background deletion, if one runs; throws what it failed with. */
    void awaitDeleted(String sink) throws IOException {
        Future<?> pending = deleting.remove(String.valueOf(sink));
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while deleting delivered spool entries of " + sink);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot delete delivered spool entries of " + sink + ": " + e.getCause(),
                    e.getCause());
        }
    }

    private static void delete(Callable<Void> delete) throws IOException {
        try {
            delete.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Finishes the deletions under way (shutdown): what is confirmed is deleted before the process ends. */
    @PreDestroy
    public void close() {
        deleter.shutdown();
        try {
            deleter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Error step after a delivery failed for good (the entries stay): the sink's next {@link #SCAN_BACKOFF} scans are
     * skipped, as the file consumer's backoff did.
     */
    public void backOff(Exchange exchange) {
        String sink = exchange.getIn().getHeader("sink", String.class);
        int scans = exchange.getProperty(SCAN_BACKOFF, 0, Integer.class);
        skip.computeIfAbsent(sink, k -> new AtomicInteger()).set(Math.max(0, scans));
    }

    private boolean backingOff(String sink) {
        AtomicInteger left = skip.get(sink);
        return left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private static boolean stopping(Exchange exchange) {
        if (exchange.getContext().isStopping()) {
            return true;
        }
        String route = exchange.getFromRouteId();
        if (route == null) {
            return false;
        }
        ServiceStatus status = exchange.getContext().getRouteController().getRouteStatus(route);
        return status != null && (status.isStopping() || status.isStopped());
    }

    /** The sink's entries in name (= arrival) order. */
    static Deque<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new ArrayDeque<>();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .collect(ArrayDeque::new, ArrayDeque::add, ArrayDeque::addAll);
        }
    }
}
