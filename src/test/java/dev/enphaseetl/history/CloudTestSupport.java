package dev.enphaseetl.history;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.enphaseetl.cloud.CloudSettings;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.simulator.EnlightenApiSimulator;
import dev.enphaseetl.spool.SpoolCodec;

/** Cloud settings pointing at an {@link EnlightenApiSimulator}, and reading a spool back in tests. */
final class CloudTestSupport {

    private CloudTestSupport() {}

    static CloudSettings settings(EnlightenApiSimulator sim, Path dir, int perMinute, int perMonth, int reserve) {
        return new CloudSettings(URI.create(sim.apiUrl()), URI.create(sim.authorizeUrl()), URI.create(sim.tokenUrl()),
                "https://example.invalid/redirect", Optional.of(sim.clientId()), Optional.of(sim.clientSecret()),
                Optional.of(sim.apiKey()), perMinute, perMonth, reserve, Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofMinutes(15), Map.of(), dir);
    }

    /** Every entry of one sink's spool, oldest first, handed to {@code sink} and deleted (as a sink route does). */
    static int drain(Path spoolRoot, String sink, Consumer<List<Reading>> deliver) throws IOException {
        Path dir = spoolRoot.resolve(sink);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        int n = 0;
        for (Path f : files) {
            List<Reading> rs = SpoolCodec.decode(Files.readString(f, StandardCharsets.UTF_8));
            deliver.accept(rs);
            n += rs.size();
            Files.delete(f);
        }
        return n;
    }

    /** Every reading in one sink's spool, file by file (without keeping them all), without removing anything. */
    static void forEach(Path spoolRoot, String sink, Consumer<Reading> each) throws IOException {
        Path dir = spoolRoot.resolve(sink);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                SpoolCodec.decode(Files.readString(f, StandardCharsets.UTF_8)).forEach(each);
            }
        }
    }

    /** Every reading in one sink's spool, without removing anything. */
    static List<Reading> read(Path spoolRoot, String sink) throws IOException {
        List<Reading> out = new ArrayList<>();
        Path dir = spoolRoot.resolve(sink);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                out.addAll(SpoolCodec.decode(Files.readString(f, StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    /** A clock both JVMs of a test agree on: {@code start} at real time {@code originMillis}, {@code factor} faster. */
    static Clock accelerated(long startMillis, long originMillis, double factor) {
        return new Clock() {
            @Override
            public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(startMillis
                        + (long) ((System.currentTimeMillis() - originMillis) * factor));
            }
        };
    }
}
