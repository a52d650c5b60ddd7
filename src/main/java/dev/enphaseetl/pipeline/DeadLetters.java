package dev.enphaseetl.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.health.ProblemLog;
import dev.enphaseetl.spool.DurableFiles;

/**
 * Keeps what could not be used: the raw payload as the gateway sent it plus a metadata file saying which gateway,
 * endpoint and why. Files live under {@code <data-dir>/dead-letter/poll/<gateway>/<endpoint>/}.
 *
 * <p>
 * Bounded: per gateway, endpoint and reason (digits in the reason ignored) the first payload and the latest one are
 * kept, a newer one replaces the latest, and the {@code .json} of the latest says how many occurred
 * ({@code occurrences}); the rest are counted (metric {@code enphase_poll_dead_letters}, outcome {@code dropped}). Over
 * {@code enphase.dead-letter.max-bytes} in total nothing more is written, only counted.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.poll");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long DEFAULT_MAX_BYTES = 64L << 20;

    /** The kept files of one gateway, endpoint and reason. */
    private static final class Slot {
        private long occurrences;
        private Path latestPayload;
        private Path latestMeta;
    }

    private final Path root;
    private final long maxBytes;
    private final PipelineMetrics metrics;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final ProblemLog full = new ProblemLog(LOG);
    private long usedBytes = -1;

    @Inject
    public DeadLetters(EnphaseConfig config, PipelineMetrics metrics) {
        this(Path.of(config.dataDir(), "dead-letter"), config.deadLetter().maxBytes(), metrics);
    }

    public DeadLetters(Path root) {
        this(root, DEFAULT_MAX_BYTES, null);
    }

    public DeadLetters(Path root, long maxBytes, PipelineMetrics metrics) {
        this.root = root;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    /**
     * Parks a rejected payload of {@code task} (the poll that failed: its gateway and endpoint name the place, never
     * whatever answer an exchange held before); returns the payload file, empty when it was only counted.
     */
    public synchronized Optional<Path> parkPayload(PollTask task, Fetched fetched, String reason) throws IOException {
        String gateway = safe(task.gateway().id());
        String endpoint = task.endpoint().id();
        Slot slot = slots.computeIfAbsent(gateway + "/" + endpoint + "/" + reason.replaceAll("[0-9]+", "#"),
                k -> new Slot());
        slot.occurrences++;
        String body = fetched == null || fetched.body() == null ? "" : fetched.body();
        byte[] payloadBytes = body.getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now();
        String base = STAMP.format(now) + "-" + sequence.incrementAndGet();
        Path dir = root.resolve("poll").resolve(gateway).resolve(endpoint);
        Path payload = dir.resolve(base + ".payload");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("gateway", task.gateway().id());
        meta.put("endpoint", endpoint);
        meta.put("path", task.endpoint().path());
        meta.put("httpStatus", fetched == null ? null : fetched.status());
        meta.put("contentType", fetched == null ? null : fetched.contentType());
        meta.put("reason", reason);
        meta.put("parkedAt", now.toString());
        meta.put("payloadFile", payload.getFileName().toString());
        meta.put("occurrences", slot.occurrences);
        byte[] metaBytes = JSON.writeValueAsBytes(meta);

        long freed = slot.occurrences > 2 ? size(slot.latestPayload) + size(slot.latestMeta) : 0;
        if (used() - freed + payloadBytes.length + metaBytes.length > maxBytes) {
            count(gateway, endpoint, "dropped");
            full.problem("full", "full", Logger.Level.WARN, "Poll dead letters reached enphase.dead-letter.max-bytes="
                    + maxBytes + " in " + root.resolve("poll") + ": further rejected payloads are counted"
                    + " (metric enphase_poll_dead_letters, outcome dropped), not kept; move or delete old ones");
            return Optional.empty();
        }
        full.ok("full", "Poll dead letters are kept again (below enphase.dead-letter.max-bytes)");
        Path tmp = root.resolve(".tmp");
        DurableFiles.writeAtomically(tmp, payload, payloadBytes);
        Path metaFile = dir.resolve(base + ".json");
        DurableFiles.writeAtomically(tmp, metaFile, metaBytes);
        usedBytes += payloadBytes.length + metaBytes.length;
        count(gateway, endpoint, "written");
        if (slot.occurrences > 2) {
            // the previous latest is replaced: only the first and the latest of a repeating problem are kept
            usedBytes -= freed;
            Files.deleteIfExists(slot.latestPayload);
            Files.deleteIfExists(slot.latestMeta);
            count(gateway, endpoint, "dropped");
        }
        if (slot.occurrences > 1) {
            slot.latestPayload = payload;
            slot.latestMeta = metaFile;
        }
        return Optional.of(payload);
    }

    private void count(String gateway, String endpoint, String outcome) {
        if (metrics != null) {
            metrics.pollDeadLetter(gateway, endpoint, outcome);
        }
    }

    private long used() {
        if (usedBytes < 0) {
            Path poll = root.resolve("poll");
            if (!Files.isDirectory(poll)) {
                usedBytes = 0;
            } else {
                try (Stream<Path> files = Files.walk(poll)) {
                    usedBytes = files.filter(Files::isRegularFile).mapToLong(DeadLetters::size).sum();
                } catch (IOException | UncheckedIOException e) {
                    usedBytes = 0;
                }
            }
        }
        return usedBytes;
    }

    private static long size(Path file) {
        try {
            return file == null ? 0 : Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    public Path root() {
        return root;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
