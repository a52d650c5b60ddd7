package dev.enphaseetl.sink.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.render.LineProtocol;

/**
 * Appends readings as line protocol (second precision) to daily files chosen by each reading's UTC date; one
 * fsynced append per file and batch (see {@link LineAppender} for the guarantee). The files can be replayed into
 * InfluxDB with {@code influx -import -precision s} or {@code InfluxSink.deliverLines}.
 */
public class LineProtocolFileSink {

    private final DailyFileNames names;

    public LineProtocolFileSink(FileSinkConfig config) {
        this.names = config.names();
    }

    /**
     * Delivers a batch. Returns nothing on purpose: as a Camel bean step it leaves the message body (the readings)
     * untouched, so several sinks can follow each other in one route.
     */
    public synchronized void deliver(List<Reading> readings) {
        Map<Path, StringBuilder> blocks = new LinkedHashMap<>();
        for (Reading r : readings) {
            String line;
            try {
                line = LineProtocol.render(r);
            } catch (IllegalArgumentException e) {
                throw new PermanentSinkException("cannot render as line protocol: " + e.getMessage(),
                        List.of(r.toString()), e);
            }
            blocks.computeIfAbsent(names.resolve(r.measurement(), r.time()), p -> new StringBuilder())
                    .append(line).append('\n');
        }
        for (Map.Entry<Path, StringBuilder> e : blocks.entrySet()) {
            try {
                LineAppender.append(e.getKey(), null, e.getValue().toString());
            } catch (IOException ex) {
                throw new TransientSinkException("cannot append to " + e.getKey() + ": " + ex, ex);
            }
        }
    }
}
