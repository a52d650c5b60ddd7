package dev.enphaseetl.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.model.Reading;

/**
 * The durable hand-off between transform and sinks: each poll's readings are written, complete and fsynced, into
 * the spool directory of every enabled sink before the poll counts as done. Each sink route consumes its own
 * directory and deletes an entry only after the sink confirmed it.
 */
@ApplicationScoped
@Named("spool")
public class Spool {

    private final Path root;
    private final SinkSwitches sinks;
    private final AtomicLong sequence = new AtomicLong();

    @Inject
    public Spool(EnphaseConfig config, SinkSwitches sinks) {
        this(Path.of(config.dataDir(), "spool"), sinks);
    }

    public Spool(Path root, SinkSwitches sinks) {
        this.root = root;
        this.sinks = sinks;
    }

    /** Writes the readings to every enabled sink's spool; returns how many entries were written. */
    public int offer(List<Reading> readings) throws IOException {
        if (readings == null || readings.isEmpty()) {
            return 0;
        }
        byte[] content = SpoolCodec.encode(readings);
        String name = String.format("%013d-%09d.jsonl", System.currentTimeMillis(), sequence.incrementAndGet() % 1_000_000_000L);
        int written = 0;
        for (String sink : sinks.enabled()) {
            DurableFiles.writeAtomically(root.resolve(".tmp"), root.resolve(sink).resolve(name), content);
            written++;
        }
        return written;
    }

    public Path directory(String sink) {
        return root.resolve(sink);
    }
}
