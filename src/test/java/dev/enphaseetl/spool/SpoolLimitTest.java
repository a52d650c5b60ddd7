package dev.enphaseetl.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.model.Reading;

class SpoolLimitTest {

    static List<Reading> readings(int n) {
        List<Reading> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Reading.of("system", 1_700_000_000L + i).tag("gateway", "g1").field("production_w", 100.0 + i)
                    .build());
        }
        return out;
    }

    @Test
    void refusesWhenFullAndCountsDeletedEntriesAgain(@TempDir Path dir) throws Exception {
        int entry = SpoolCodec.encode(readings(10)).length;
        Spool spool = new Spool(dir, SinkSwitches.of(List.of("a", "b")), entry * 2L * 3 + 10, 50,
                Duration.ofHours(1), Clock.systemUTC());
        spool.offer(readings(10));
        spool.offer(readings(10));
        spool.offer(readings(10));
        assertThatThrownBy(() -> spool.offer(readings(10))).isInstanceOf(SpoolFullException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("max-bytes=" + (entry * 6L + 10));
        assertThat(spool.state().full()).isTrue();
        assertThat(spool.state().sinks().get("a").entries()).isEqualTo(3);
        assertThat(spool.state().sinks().get("a").oldest()).isPresent();
        // a sink delivers (deletes) its entries: after the next count the spool accepts again
        try (var files = Files.list(dir.resolve("a"))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Thread.sleep(600);
        assertThat(spool.offer(readings(10))).isEqualTo(2);
        assertThat(spool.state().full()).isFalse();
    }

    @Test
    void aSpoolThatCannotBeWrittenIsRecorded(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(".tmp"), "a file where the spool wants a directory");
        Spool spool = new Spool(dir, SinkSwitches.of(List.of("a")));
        assertThatThrownBy(() -> spool.offer(readings(1))).isInstanceOf(IOException.class);
        assertThat(spool.state().writeError()).get().asString().contains("cannot write spool " + dir);
        Files.delete(dir.resolve(".tmp"));
        spool.offer(readings(1));
        assertThat(spool.state().writeError()).isEmpty();
    }

    @Test
    void stagingFilesLeftByAKilledProcessAreRemoved(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve(".tmp"));
        Path old = Files.writeString(dir.resolve(".tmp").resolve("spool-1.part"), "{\"half");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = Files.writeString(dir.resolve(".tmp").resolve("spool-2.part"), "{\"in progress");
        Spool spool = new Spool(dir, SinkSwitches.of(List.of("a")));
        spool.recount();
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
    }
}
