package dev.enphaseetl.sink.file;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.model.Schema;
import dev.enphaseetl.render.CsvRows;

/**
 * Appends readings as RFC 4180 CSV (CRLF, formula-safe, column order from {@link Schema} via {@link CsvRows}) to one
 * file per measurement and UTC day. The header is written once, when the file is created. If the schema gained
 * columns since a file was started, its header no longer matches: rows then go to {@code <name>.v2.csv} (then v3, ...)
 * so that no file mixes two layouts. {@code gateways.csv} beside the measurement folders names each gateway serial
 * (configured name and extra tags, see {@link GatewaysFile}).
 */
public class CsvFileSink {

    private final DailyFileNames names;
    private final GatewaysFile gateways;

    private final ZoneId zone;

    /** Local times in UTC. */
    public CsvFileSink(FileSinkConfig config) {
        this(config, ZoneOffset.UTC);
    }

    /** @param zone the zone of the {@code local_time} column (the ledger's, {@code enphase.ledger.zone}) */
    public CsvFileSink(FileSinkConfig config, ZoneId zone) {
        this.names = config.names();
        this.gateways = new GatewaysFile(config.directory());
        this.zone = zone;
    }

    /**
     * Delivers a batch. Returns nothing on purpose: as a Camel bean step it leaves the message body (the readings)
     * untouched, so several sinks can follow each other in one route.
     */
    public synchronized void deliver(List<Reading> readings) {
        Map<Path, StringBuilder> blocks = new LinkedHashMap<>();
        Map<Path, String> headers = new LinkedHashMap<>();
        for (Reading r : readings) {
            if (Schema.find(r.measurement()).isEmpty()) {
                throw new PermanentSinkException("measurement " + r.measurement() + " is not in the schema",
                        List.of(r.toString()), null);
            }
            Path file = names.resolve(r.measurement(), r.time());
            headers.putIfAbsent(file, CsvRows.headerLine(r.measurement()));
            blocks.computeIfAbsent(file, p -> new StringBuilder()).append(CsvRows.row(r, zone));
        }
        for (Map.Entry<Path, StringBuilder> e : blocks.entrySet()) {
            String header = headers.get(e.getKey());
            try {
                LineAppender.append(fileWithHeader(e.getKey(), header), header, e.getValue().toString());
            } catch (IOException ex) {
                throw new TransientSinkException("cannot append to " + e.getKey() + ": " + ex, ex);
            }
        }
        try {
            gateways.update(readings);
        } catch (IOException ex) {
            throw new TransientSinkException("cannot write " + GatewaysFile.NAME + ": " + ex, ex);
        }
    }

    /** The file itself, or the first {@code .vN} sibling whose header matches (or that does not exist yet). */
    static Path fileWithHeader(Path file, String header) throws IOException {
        String expected = header.stripTrailing();
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        Path candidate = file;
        for (int v = 2;; v++) {
            String first = LineAppender.firstLine(candidate);
            if (first == null || first.equals(expected)) {
                return candidate;
            }
            candidate = file.resolveSibling(stem + ".v" + v + ext);
        }
    }
}
