package dev.enphaseetl.pipeline;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.spool.DurableFiles;

/**
 * Moves dead letters back to where the pipeline takes them again (docs/delivery.md, "Replay"): a sink dead letter
 * ({@code dead-letter/<sink>/<stamp>-<n>.jsonl}, a spool entry) into {@code spool/<sink>/}, a poll dead letter
 * ({@code dead-letter/poll/<gateway>/<endpoint>/<stamp>-<n>.payload}) into {@code inbox/<gateway id>/<endpoint>/}.
 *
 * <p>
 * Every move is one rename on the data directory's file system, so a running pipeline sees an entry either in the
 * dead letters or in the spool (inbox), never half; the metadata {@code .json} beside it is deleted after the move
 * (the pipeline does not read it). Two replays at once take each file once: the second one's rename finds the source
 * gone and passes over it. A file already at the destination under the same name is left where it is (reported),
 * never overwritten.
 */
public final class DeadLetterReplay {

    /** The kind of {@code dead-letter/poll/}: raw payloads, replayed through the inbox. */
    public static final String POLL = "poll";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STAMP = Pattern.compile("^(\\d{8}T\\d{6}\\.\\d{3}Z)-\\d+\\.");
    private static final DateTimeFormatter STAMP_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSX");
    private static final Pattern AGO = Pattern.compile("(\\d+)\\s*([smhd])");

    /** What moved from one place to another: {@code what} is the sink, or gateway/endpoint for poll dead letters. */
    public record Moved(String kind, String what, Path from, Path to, int entries, long readings) {

        public String line() {
            return POLL.equals(kind)
                    ? "moved " + entries + " payload(s) of " + what + " from " + from + " to " + to
                    : "moved " + entries + " entr" + (entries == 1 ? "y" : "ies") + " (" + readings
                            + " readings) of sink " + what + " from " + from + " to " + to;
        }
    }

    /** The result: what moved, and notes (left in place, older than --since, sinks that are off). */
    public record Summary(List<Moved> moved, List<String> notes) {

        public int entries() {
            return moved.stream().mapToInt(Moved::entries).sum();
        }
    }

    private final Path deadLetters;
    private final Path spool;
    private final Path inbox;

    public DeadLetterReplay(Path dataDir) {
        this(dataDir.resolve("dead-letter"), dataDir.resolve("spool"), dataDir.resolve("inbox"));
    }

    public DeadLetterReplay(Path deadLetters, Path spool, Path inbox) {
        this.deadLetters = deadLetters;
        this.spool = spool;
        this.inbox = inbox;
    }

    /** The kinds of dead letters on disk: sink names and {@code poll}, sorted. */
    public List<String> kinds() throws IOException {
        List<String> kinds = new ArrayList<>();
        for (Path dir : list(deadLetters, Files::isDirectory)) {
            String name = dir.getFileName().toString();
            if (!name.startsWith(".")) {
                kinds.add(name);
            }
        }
        kinds.sort(null);
        return kinds;
    }

    /** The dead letters waiting: entry files ({@code .jsonl}, {@code .payload}) by kind. */
    public Map<String, Integer> waiting() throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String kind : kinds()) {
            Path dir = deadLetters.resolve(kind);
            try (Stream<Path> files = Files.walk(dir)) {
                int n = (int) files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                        .filter(f -> !f.startsWith(".") && (f.endsWith(".jsonl") || f.endsWith(".payload")))
                        .count();
                if (n > 0) {
                    out.put(kind, n);
                }
            }
        }
        return out;
    }

    /**
     * Moves the dead letters of {@code kind} (a sink, or {@code poll}; all when empty) parked at or after
     * {@code since} (all when empty) back.
     */
    public Summary replay(Optional<String> kind, Optional<Instant> since) throws IOException {
        List<Moved> moved = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String k : kinds()) {
            if (kind.isPresent() && !kind.get().equals(k)) {
                continue;
            }
            if (POLL.equals(k)) {
                replayPoll(since, moved, notes);
            } else {
                replaySink(k, since, moved, notes);
            }
        }
        return new Summary(moved, notes);
    }

    private void replaySink(String sink, Optional<Instant> since, List<Moved> moved, List<String> notes)
            throws IOException {
        Path from = deadLetters.resolve(sink);
        Path to = spool.resolve(sink);
        int entries = 0;
        long readings = 0;
        int older = 0;
        for (Path entry : list(from, p -> p.getFileName().toString().endsWith(".jsonl"))) {
            String name = entry.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            if (since.isPresent() && parkedAt(entry).isBefore(since.get())) {
                older++;
                continue;
            }
            Path meta = from.resolve(name.substring(0, name.length() - ".jsonl".length()) + ".json");
            long count = readings(entry, meta);
            if (move(entry, to.resolve(name), notes)) {
                Files.deleteIfExists(meta);
                entries++;
                readings += count;
            }
        }
        deleteOrphanMetadata(from, ".jsonl");
        if (entries > 0) {
            DurableFiles.fsyncDirectory(to);
            moved.add(new Moved(sink, sink, from, to, entries, readings));
        }
        if (older > 0) {
            notes.add(older + " dead letter(s) of sink " + sink + " parked before --since left in " + from);
        }
    }

    private void replayPoll(Optional<Instant> since, List<Moved> moved, List<String> notes) throws IOException {
        Path pollRoot = deadLetters.resolve(POLL);
        int older = 0;
        for (Path gatewayDir : list(pollRoot, Files::isDirectory)) {
            for (Path endpointDir : list(gatewayDir, Files::isDirectory)) {
                String endpoint = endpointDir.getFileName().toString();
                String gateway = null;
                int entries = 0;
                Path to = null;
                for (Path payload : list(endpointDir, p -> p.getFileName().toString().endsWith(".payload"))) {
                    String name = payload.getFileName().toString();
                    if (since.isPresent() && parkedAt(payload).isBefore(since.get())) {
                        older++;
                        continue;
                    }
                    Path meta = endpointDir.resolve(name.substring(0, name.length() - ".payload".length())
                            + ".json");
                    if (gateway == null) {
                        gateway = gatewayId(meta, gatewayDir.getFileName().toString());
                        to = inbox.resolve(gateway).resolve(endpoint);
                    }
                    if (move(payload, to.resolve(name), notes)) {
                        Files.deleteIfExists(meta);
                        entries++;
                    }
                }
                deleteOrphanMetadata(endpointDir, ".payload");
                if (entries > 0) {
                    DurableFiles.fsyncDirectory(to);
                    moved.add(new Moved(POLL, gateway + "/" + endpoint, endpointDir, to, entries, 0));
                }
            }
        }
        if (older > 0) {
            notes.add(older + " poll dead letter(s) parked before --since left in " + pollRoot);
        }
    }

    /**
     * One rename; false when another replay took the file first, or a file of that name is at the destination
     * already (then the dead letter stays, with a note).
     */
    private static boolean move(Path source, Path target, List<String> notes) throws IOException {
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            if (!Files.exists(source)) {
                return false; // moved there by another replay just now
            }
            notes.add(target.getFileName() + " is in " + target.getParent() + " already: left in "
                    + source.getParent());
            return false;
        }
        try {
            // a rename: the only other writer of this target name would be a replay of this very source
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException e) {
            return false; // moved by another replay meanwhile
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + source + " to " + target + ": they are not on one file system;"
                    + " the data directory's dead-letter, spool and inbox folders must be", e);
        }
    }

    /** Metadata whose entry is gone (moved by a replay that stopped before deleting it): not read by anyone. */
    private static void deleteOrphanMetadata(Path dir, String entrySuffix) throws IOException {
        for (Path meta : list(dir, p -> p.getFileName().toString().endsWith(".json"))) {
            String name = meta.getFileName().toString();
            Path entry = dir.resolve(name.substring(0, name.length() - ".json".length()) + entrySuffix);
            if (!Files.exists(entry) && Files.getLastModifiedTime(meta).toInstant()
                    .isBefore(Instant.now().minusSeconds(60))) {
                // a minute's grace: the pipeline writes an entry's metadata just after the entry
                Files.deleteIfExists(meta);
            }
        }
    }

    private static long readings(Path entry, Path meta) {
        try {
            JsonNode n = JSON.readTree(meta.toFile()).get("readings");
            if (n != null && n.canConvertToLong()) {
                return n.asLong();
            }
        } catch (IOException e) {
            // no metadata: count the lines
        }
        try (Stream<String> lines = Files.lines(entry)) {
            return lines.filter(l -> !l.isBlank()).count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String gatewayId(Path meta, String folder) {
        try {
            JsonNode n = JSON.readTree(meta.toFile()).get("gateway");
            if (n != null && n.isTextual() && !n.asText().isBlank() && !n.asText().contains("/")
                    && !n.asText().startsWith(".")) {
                return n.asText();
            }
        } catch (IOException e) {
            // the folder name then
        }
        return folder;
    }

    /** When a dead letter was parked: the UTC stamp of its name, else its file time. */
    static Instant parkedAt(Path file) throws IOException {
        Matcher m = STAMP.matcher(file.getFileName().toString());
        if (m.find()) {
            try {
                return OffsetDateTime.parse(m.group(1), STAMP_FORMAT).toInstant();
            } catch (DateTimeException e) {
                // the file time then
            }
        }
        return Files.getLastModifiedTime(file).toInstant();
    }

    /**
     * Reads {@code --since}: an instant ({@code 2026-11-23T17:00:00Z}), a local date-time or date in {@code zone}
     * ({@code 2026-11-23T17:00}, {@code 2026-11-23}), or a time ago ({@code 90m}, {@code 2h}, {@code 3d},
     * {@code PT2H}).
     *
     * @throws IllegalArgumentException with a message naming the accepted forms
     */
    public static Instant parseSince(String text, ZoneId zone, Instant now) {
        String t = text.strip();
        Matcher ago = AGO.matcher(t.toLowerCase(Locale.ROOT));
        try {
            if (ago.matches()) {
                long n = Long.parseLong(ago.group(1));
                Duration d = switch (ago.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                return now.minus(d);
            }
            if (t.startsWith("P") || t.startsWith("p")) {
                return now.minus(Duration.parse(t));
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(zone).toInstant();
            }
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(t).toInstant();
            }
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use 2026-11-23, 2026-11-23T17:00"
                    + " (local time in " + zone + "), 2026-11-23T17:00:00Z, or a time ago such as 90m, 2h, 3d");
        }
    }

    private interface Filter {
        boolean accept(Path p) throws IOException;
    }

    /** The entries of {@code dir} sorted by name (= parking order); none when it does not exist. */
    private static List<Path> list(Path dir, Filter filter) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (filter.accept(p)) {
                    out.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
