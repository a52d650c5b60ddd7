package dev.enphaseetl.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.faults.SpoolWriterMain;

/**
 * A poll is written once and linked into every sink's spool; a process killed between the links leaves the entry
 * staged, and the next start hands it to every sink, so that no sink misses a poll another one got.
 */
class SpoolCrashTest {

    static final List<String> SINKS = List.of("lineprotocol", "csv", "influxdb", "jdbc");

    @TempDir
    Path dir;

    static Set<String> entries(Path sinkDir) {
        if (!Files.isDirectory(sinkDir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(sinkDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everySinkGetsTheSameEntryAndNothingStaysStaged() throws Exception {
        Spool spool = new Spool(dir, SinkSwitches.of(SINKS));
        spool.offer(SpoolLimitTest.readings(3));
        String name = entries(dir.resolve("lineprotocol")).iterator().next();
        for (String sink : SINKS) {
            assertThat(entries(dir.resolve(sink))).containsExactly(name);
            assertThat(SpoolCodec.decode(Files.readString(dir.resolve(sink).resolve(name))))
                    .isEqualTo(SpoolLimitTest.readings(3));
        }
        assertThat(entries(dir.resolve(Spool.STAGED))).isEmpty();
        // a sink delivering (deleting) its entry leaves the others theirs
        Files.delete(dir.resolve("csv").resolve(name));
        assertThat(Files.readString(dir.resolve("jdbc").resolve(name))).isNotEmpty();
    }

    @Test
    void anEntryStagedByAKilledProcessReachesEverySinkOnTheNextStart() throws Exception {
        // as a crash leaves it: staged, and linked for the first sink only
        Path staged = dir.resolve(Spool.STAGED).resolve("0001700000000000-000000001.jsonl");
        DurableFiles.writeAtomically(dir.resolve(".tmp"), staged, SpoolCodec.encode(SpoolLimitTest.readings(2)));
        Files.createDirectories(dir.resolve("lineprotocol"));
        Files.createLink(dir.resolve("lineprotocol").resolve(staged.getFileName()), staged);

        Spool restarted = new Spool(dir, SinkSwitches.of(SINKS));
        restarted.recount();
        for (String sink : SINKS) {
            assertThat(entries(dir.resolve(sink))).as(sink).containsExactly(staged.getFileName().toString());
        }
        assertThat(entries(dir.resolve(Spool.STAGED))).isEmpty();
    }

    @Test
    void killedAgainAndAgainWhileSpoolingNoSinkMissesAnEntryAnotherGot() throws Exception {
        int kills = 8;
        for (int k = 0; k < kills; k++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), SpoolWriterMain.class.getName(), dir.toString(),
                    String.join(",", SINKS)).redirectErrorStream(true).redirectOutput(dir.resolve("out-" + k).toFile())
                    .start();
            // let it spool some entries, then SIGKILL at a different moment each time
            int before = entries(dir.resolve("spool").resolve("jdbc")).size();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && entries(dir.resolve("spool").resolve("jdbc")).size() < before + 10) {
                Thread.sleep(2);
            }
            Thread.sleep(3L * k);
            p.destroyForcibly();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            // the next start completes what the killed one staged
            new Spool(dir.resolve("spool"), SinkSwitches.of(SINKS)).recount();
        }
        Set<String> first = entries(dir.resolve("spool").resolve(SINKS.get(0)));
        System.out.printf("FIGURES spool-crash: %d SIGKILLs while spooling for %d sinks, %d entries, staged left: %d%n",
                kills, SINKS.size(), first.size(), entries(dir.resolve("spool").resolve(Spool.STAGED)).size());
        assertThat(first).hasSizeGreaterThanOrEqualTo(10 * kills);
        for (String sink : SINKS) {
            assertThat(entries(dir.resolve("spool").resolve(sink))).as(sink).isEqualTo(first);
        }
        assertThat(entries(dir.resolve("spool").resolve(Spool.STAGED))).isEmpty();
    }
}
