package dev.enphaseetl.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.spool.DurableFiles;

/**
 * Keeps what could not be used: the raw payload as the gateway sent it plus a metadata file saying which gateway,
 * endpoint and why. Files live under {@code <data-dir>/dead-letter/poll/<gateway>/<endpoint>/}.
 */
@ApplicationScoped
public class DeadLetters {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final AtomicLong sequence = new AtomicLong();

    @Inject
    public DeadLetters(EnphaseConfig config) {
        this(Path.of(config.dataDir(), "dead-letter"));
    }

    public DeadLetters(Path root) {
        this.root = root;
    }

    /** Parks a rejected gateway payload; returns the payload file. */
    public Path parkPayload(Fetched fetched, String reason) throws IOException {
        PollTask task = fetched.task();
        Instant now = Instant.now();
        String base = STAMP.format(now) + "-" + sequence.incrementAndGet();
        Path dir = root.resolve("poll").resolve(safe(task.gateway().id())).resolve(task.endpoint().id());
        Path payload = dir.resolve(base + ".payload");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("gateway", task.gateway().id());
        meta.put("endpoint", task.endpoint().id());
        meta.put("path", task.endpoint().path());
        meta.put("httpStatus", fetched.status());
        meta.put("contentType", fetched.contentType());
        meta.put("reason", reason);
        meta.put("parkedAt", now.toString());
        meta.put("payloadFile", payload.getFileName().toString());
        Path tmp = root.resolve(".tmp");
        String body = fetched.body() == null ? "" : fetched.body();
        DurableFiles.writeAtomically(tmp, payload, body.getBytes(StandardCharsets.UTF_8));
        DurableFiles.writeAtomically(tmp, dir.resolve(base + ".json"), JSON.writeValueAsBytes(meta));
        return payload;
    }

    public Path root() {
        return root;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
