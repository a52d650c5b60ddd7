package dev.enphaseetl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.pipeline.DeadLetterReplay;

/** {@code enphase-etl replay}'s usage errors and notes (the moves themselves: DeadLetterReplayTest). */
class ReplayCommandTest {

    @TempDir
    Path data;

    private record Run(int exit, String out, String err) {}

    private Run replay(String sink, String since, List<String> enabled) {
        ReplayCommand c = new ReplayCommand();
        c.sink = sink;
        c.since = since;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = c.run(new DeadLetterReplay(data), enabled, ZoneOffset.UTC,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMistypedSinkOrTimeIsOneLineAndExitTwoAndMovesNothing() throws Exception {
        Path dir = Files.createDirectories(data.resolve("dead-letter/influxdb"));
        Files.writeString(dir.resolve("20261123T170102.345Z-1.jsonl"), "{}\n");

        Run typo = replay("influx", null, List.of("influxdb"));
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err().strip().lines()).singleElement().asString()
                .isEqualTo("enphase-etl replay: --sink influx names no sink; dead letters are there for influxdb"
                        + " (see: enphase-etl replay --help)");
        Run badTime = replay(null, "yesterday", List.of("influxdb"));
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err().strip().lines()).singleElement().asString().contains("--since 'yesterday' is not a"
                + " time");
        assertThat(dir.resolve("20261123T170102.345Z-1.jsonl")).exists();
    }

    @Test
    void entriesOfASinkThatIsOffMoveWithANote() throws Exception {
        Path dir = Files.createDirectories(data.resolve("dead-letter/influxdb"));
        Files.writeString(dir.resolve("20261123T170102.345Z-1.jsonl"), "{}\n");
        Run r = replay(null, null, List.of("lineprotocol"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("moved 1 entry (1 readings) of sink influxdb")
                .contains("note: sink influxdb is off: the entries wait in " + data.resolve("spool/influxdb"))
                .contains("replayed 1 dead letter file(s)");
        assertThat(replay(null, null, List.of("lineprotocol")).out().strip()).isEqualTo("nothing to replay");
    }
}
