package dev.enphaseetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DeadLetterReplay}: what moves where, twice in a row, two at once, --since, and what stays. */
class DeadLetterReplayTest {

    @TempDir
    Path data;

    private Path sinkLetter(String sink, String base, int readings) throws Exception {
        Path dir = Files.createDirectories(data.resolve("dead-letter").resolve(sink));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < readings; i++) {
            lines.append("{\"measurement\":\"system\",\"time\":").append(i).append("}\n");
        }
        Files.writeString(dir.resolve(base + ".jsonl"), lines);
        Files.writeString(dir.resolve(base + ".json"), "{\"sink\":\"" + sink + "\",\"readings\":" + readings + "}");
        return dir.resolve(base + ".jsonl");
    }

    private Path pollLetter(String gatewayId, String endpoint, String base) throws Exception {
        Path dir = Files.createDirectories(data.resolve("dead-letter/poll")
                .resolve(gatewayId.replaceAll("[^A-Za-z0-9._-]", "_")).resolve(endpoint));
        Files.writeString(dir.resolve(base + ".payload"), "{\"production\":[]}");
        Files.writeString(dir.resolve(base + ".json"), "{\"gateway\":\"" + gatewayId + "\",\"endpoint\":\""
                + endpoint + "\"}");
        return dir.resolve(base + ".payload");
    }

    private static List<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void sinkEntriesGoToTheirSpoolAndPayloadsToTheInboxOfTheRealGatewayIdOnceOnly() throws Exception {
        sinkLetter("influxdb", "20261123T170102.345Z-1", 3);
        sinkLetter("influxdb", "20261123T170102.346Z-2", 2);
        sinkLetter("jdbc", "20261124T080000.000Z-1", 1);
        pollLetter("192.168.1.50:8443", "production-json", "20261123T170000.000Z-4");
        DeadLetterReplay replay = new DeadLetterReplay(data);
        assertThat(replay.waiting()).containsEntry("influxdb", 2).containsEntry("jdbc", 1).containsEntry("poll", 1);

        DeadLetterReplay.Summary s = replay.replay(Optional.empty(), Optional.empty());

        assertThat(s.entries()).isEqualTo(4);
        assertThat(s.moved()).extracting(DeadLetterReplay.Moved::what, DeadLetterReplay.Moved::entries,
                DeadLetterReplay.Moved::readings).containsExactly(
                        Tuple.tuple("influxdb", 2, 5L),
                        Tuple.tuple("jdbc", 1, 1L),
                        Tuple.tuple("192.168.1.50:8443/production-json", 1, 0L));
        assertThat(s.moved().get(0).line()).isEqualTo("moved 2 entries (5 readings) of sink influxdb from "
                + data.resolve("dead-letter/influxdb") + " to " + data.resolve("spool/influxdb"));
        assertThat(names(data.resolve("spool/influxdb"))).containsExactly("20261123T170102.345Z-1.jsonl",
                "20261123T170102.346Z-2.jsonl");
        assertThat(Files.readString(data.resolve("spool/influxdb/20261123T170102.345Z-1.jsonl")).lines())
                .hasSize(3);
        // the inbox folder is the gateway id itself (the dead-letter folder name had ':' replaced)
        assertThat(names(data.resolve("inbox/192.168.1.50:8443/production-json")))
                .containsExactly("20261123T170000.000Z-4.payload");
        // metadata deleted, nothing left behind
        assertThat(names(data.resolve("dead-letter/influxdb"))).isEmpty();
        assertThat(names(data.resolve("dead-letter/poll/192.168.1.50_8443/production-json"))).isEmpty();
        assertThat(replay.waiting()).isEmpty();

        DeadLetterReplay.Summary again = replay.replay(Optional.empty(), Optional.empty());
        assertThat(again.entries()).as("a second run moves nothing").isZero();
        assertThat(names(data.resolve("spool/influxdb"))).hasSize(2);
    }

    @Test
    void oneSinkOnlyAndSince() throws Exception {
        sinkLetter("influxdb", "20261123T170102.345Z-1", 1);
        sinkLetter("influxdb", "20261125T000000.000Z-2", 1);
        sinkLetter("jdbc", "20261125T000000.000Z-1", 1);
        pollLetter("roof", "info", "20261125T000000.000Z-3");
        DeadLetterReplay replay = new DeadLetterReplay(data);

        Instant since = DeadLetterReplay.parseSince("2026-11-24", ZoneOffset.UTC, Instant.now());
        DeadLetterReplay.Summary s = replay.replay(Optional.of("influxdb"), Optional.of(since));

        assertThat(names(data.resolve("spool/influxdb"))).containsExactly("20261125T000000.000Z-2.jsonl");
        assertThat(s.notes()).singleElement().asString().startsWith("1 dead letter(s) of sink influxdb parked before"
                + " --since left in");
        assertThat(names(data.resolve("dead-letter/influxdb"))).contains("20261123T170102.345Z-1.jsonl");
        assertThat(names(data.resolve("dead-letter/jdbc"))).contains("20261125T000000.000Z-1.jsonl");
        assertThat(names(data.resolve("inbox"))).isEmpty();

        replay.replay(Optional.of(DeadLetterReplay.POLL), Optional.empty());
        assertThat(names(data.resolve("inbox/roof/info"))).containsExactly("20261125T000000.000Z-3.payload");
        assertThat(names(data.resolve("dead-letter/jdbc"))).as("poll only").hasSize(2);
    }

    @Test
    void aFileOfTheSameNameInTheSpoolIsNeverOverwritten() throws Exception {
        sinkLetter("csv", "20261123T170102.345Z-1", 2);
        Path occupied = Files.createDirectories(data.resolve("spool/csv")).resolve("20261123T170102.345Z-1.jsonl");
        Files.writeString(occupied, "other\n");

        DeadLetterReplay.Summary s = new DeadLetterReplay(data).replay(Optional.empty(), Optional.empty());

        assertThat(s.entries()).isZero();
        assertThat(Files.readString(occupied)).isEqualTo("other\n");
        assertThat(names(data.resolve("dead-letter/csv"))).containsExactly("20261123T170102.345Z-1.json",
                "20261123T170102.345Z-1.jsonl");
        assertThat(s.notes()).singleElement().asString().contains("already: left in");
    }

    @Test
    void twoReplaysAtOnceMoveEveryEntryExactlyOnce() throws Exception {
        int n = 300;
        for (int i = 0; i < n; i++) {
            sinkLetter("influxdb", String.format("20261123T170102.%03dZ-%d", i % 1000, i), 1);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> runs = new ArrayList<>();
        try {
            for (int t = 0; t < 2; t++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return new DeadLetterReplay(data).replay(Optional.empty(), Optional.empty()).entries();
                }));
            }
            start.countDown();
            int moved = 0;
            for (Future<Integer> f : runs) {
                moved += f.get();
            }
            assertThat(moved).as("moves counted over both runs").isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
        assertThat(names(data.resolve("spool/influxdb"))).hasSize(n);
        assertThat(names(data.resolve("dead-letter/influxdb"))).isEmpty();
    }

    @Test
    void orphanMetadataIsRemovedAfterAMinuteOnly() throws Exception {
        Path dir = Files.createDirectories(data.resolve("dead-letter/jdbc"));
        Path old = Files.writeString(dir.resolve("20261123T170102.345Z-1.json"), "{}");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(120)));
        Path fresh = Files.writeString(dir.resolve("20261123T170102.345Z-2.json"), "{}");

        new DeadLetterReplay(data).replay(Optional.empty(), Optional.empty());

        assertThat(old).doesNotExist();
        assertThat(fresh).as("may be the metadata the pipeline writes just after its entry").exists();
    }

    @Test
    void sinceForms() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(DeadLetterReplay.parseSince("2026-11-24", berlin, now)).isEqualTo("2026-11-23T23:00:00Z");
        assertThat(DeadLetterReplay.parseSince("2026-11-24T17:00", berlin, now)).isEqualTo("2026-11-24T16:00:00Z");
        assertThat(DeadLetterReplay.parseSince("2026-11-24T17:00:00Z", berlin, now))
                .isEqualTo("2026-11-24T17:00:00Z");
        assertThat(DeadLetterReplay.parseSince("2026-11-24T17:00:00+02:00", berlin, now))
                .isEqualTo("2026-11-24T15:00:00Z");
        assertThat(DeadLetterReplay.parseSince("90m", berlin, now)).isEqualTo("2026-11-25T10:30:00Z");
        assertThat(DeadLetterReplay.parseSince("3d", berlin, now)).isEqualTo("2026-11-22T12:00:00Z");
        assertThat(DeadLetterReplay.parseSince("PT2H", berlin, now)).isEqualTo("2026-11-25T10:00:00Z");
        for (String bad : List.of("yesterday", "2026-13-01", "2h30", "")) {
            assertThatThrownBy(() -> DeadLetterReplay.parseSince(bad, berlin, now))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a time: use");
        }
    }
}
