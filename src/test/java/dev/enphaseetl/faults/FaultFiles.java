package dev.enphaseetl.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File helpers of the fault tests. */
final class FaultFiles {

    private FaultFiles() {}

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    /** Files of a directory whose name ends with {@code suffix}; none when it does not exist. */
    static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every non-blank line of the {@code .lp} files the line protocol sink wrote under {@code data}. */
    static List<String> lineProtocol(Path data) {
        return list(data.resolve("lineprotocol"), ".lp").stream().flatMap(p -> {
            try {
                return Files.readAllLines(p, StandardCharsets.UTF_8).stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).filter(l -> !l.isBlank()).toList();
    }
}
