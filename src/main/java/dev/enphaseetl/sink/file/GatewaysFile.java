package dev.enphaseetl.sink.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jboss.logging.Logger;

import dev.enphaseetl.model.GatewayIdentity;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.render.CsvRows;

/**
 * {@code <csv dir>/gateways.csv}: one row per gateway serial with its configured name and extra tags (see
 * {@link GatewayIdentity}), so that a spreadsheet can look up the {@code gateway} column of every other CSV file. It
 * is rewritten (to a temporary file, then renamed) only when a delivered reading shows a gateway not in it yet or a
 * changed name or tag set; it is derived from the readings, so a damaged file is set aside and written again.
 */
final class GatewaysFile {

    private static final Logger LOG = Logger.getLogger(GatewaysFile.class);
    static final String NAME = "gateways.csv";

    private static final ConcurrentMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private Map<String, Map.Entry<GatewayIdentity, Long>> known;

    GatewaysFile(Path directory) {
        this.file = directory.resolve(NAME);
    }

    void update(List<Reading> readings) throws IOException {
        Map<String, GatewayIdentity> seen = GatewayIdentity.of(readings);
        if (seen.isEmpty() || (known != null && seen.values().stream()
                .allMatch(id -> known.containsKey(id.serial()) && known.get(id.serial()).getKey().equals(id)))) {
            return;
        }
        // a change: merged with the file as it is now (another sink instance may write the same file), under a lock
        // per file for this JVM, written to a temporary file of its own, then renamed over it
        synchronized (LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new Object())) {
            known = null;
            Map<String, Map.Entry<GatewayIdentity, Long>> current = load();
            Map<String, Map.Entry<GatewayIdentity, Long>> next = new LinkedHashMap<>(current);
            for (GatewayIdentity id : seen.values()) {
                Map.Entry<GatewayIdentity, Long> was = current.get(id.serial());
                if (was == null || !was.getKey().equals(id)) {
                    long since = GatewayIdentity.firstTime(readings, id.serial());
                    next.put(id.serial(), Map.entry(id, since));
                }
            }
            if (next.equals(current)) {
                return;
            }
            Map<GatewayIdentity, Long> rows = new LinkedHashMap<>();
            next.values().forEach(e -> rows.put(e.getKey(), e.getValue()));
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), NAME + ".", ".tmp");
            try {
                Files.writeString(tmp, CsvRows.gateways(rows), StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            known = next;
        }
    }

    private Map<String, Map.Entry<GatewayIdentity, Long>> load() throws IOException {
        if (known != null) {
            return known;
        }
        Map<String, Map.Entry<GatewayIdentity, Long>> loaded = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try {
                CsvRows.parseGateways(Files.readString(file, StandardCharsets.UTF_8))
                        .forEach((id, since) -> loaded.put(id.serial(), Map.entry(id, since)));
            } catch (IllegalArgumentException | IOException e) {
                Path aside = file.resolveSibling(NAME + ".unreadable");
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                LOG.warnf("CSV sink: %s could not be read (%s): moved to %s and written again from the readings",
                        file, e.getMessage(), aside.getFileName());
            }
        }
        known = loaded;
        return loaded;
    }
}
