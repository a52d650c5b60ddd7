package dev.enphaseetl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.pipeline.DeadLetterReplay;
import dev.enphaseetl.spool.SinkSwitches;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enphase-etl replay}: dead letters back into the spool (sink dead letters) or the inbox (poll ones). */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Move dead letters back: a sink's parked entries into its spool, poll dead letters into the"
        + " inbox, each by one rename (safe while the pipeline runs, and when run twice). Prints what moved."
        + " Exit 0 when done (also when nothing waited), 1 on a file error, 2 on bad usage.")
public class ReplayCommand implements Callable<Integer> {

    @Option(names = "--sink", paramLabel = "S", description = "Only the dead letters of this sink (lineprotocol, csv, influxdb, jdbc, a YAML output),"
            + " or 'poll' for the poll dead letters. Default: all.")
    String sink;
    @Option(names = "--since", paramLabel = "T", description = "Only dead letters parked at or after T: 2026-11-23, 2026-11-23T17:00 (local time in"
            + " enphase.ledger.zone), 2026-11-23T17:00:00Z, or a time ago such as 90m, 2h, 3d.")
    String since;

    @Inject
    EnphaseConfig config;
    @Inject
    SinkSwitches switches;

    @Override
    public Integer call() {
        return run(new DeadLetterReplay(Path.of(config.dataDir())), switches.enabled(), ZoneId.of(config.ledger()
                .zone()), System.out, System.err);
    }

    Integer run(DeadLetterReplay replay, List<String> enabledSinks, ZoneId zone, PrintStream out, PrintStream err) {
        String path = EnphaseEtl.NAME + " replay";
        try {
            Optional<Instant> from = Optional.empty();
            if (since != null) {
                try {
                    from = Optional.of(DeadLetterReplay.parseSince(since, zone, Instant.now()));
                } catch (IllegalArgumentException e) {
                    err.println(path + ": --since " + e.getMessage() + " (see: " + path + " --help)");
                    return 2;
                }
            }
            List<String> kinds = replay.kinds();
            if (sink != null && !kinds.contains(sink) && !SinkSwitches.builtIn(sink)
                    && !DeadLetterReplay.POLL.equals(sink) && !enabledSinks.contains(sink)) {
                err.println(path + ": --sink " + sink + " names no sink; dead letters are there for "
                        + (kinds.isEmpty() ? "none" : String.join(", ", kinds)) + " (see: " + path + " --help)");
                return 2;
            }
            DeadLetterReplay.Summary summary = replay.replay(Optional.ofNullable(sink), from);
            for (DeadLetterReplay.Moved m : summary.moved()) {
                out.println(m.line());
                if (!DeadLetterReplay.POLL.equals(m.kind()) && !enabledSinks.contains(m.kind())) {
                    out.println("note: sink " + m.kind() + " is off: the entries wait in " + m.to()
                            + " until it is on");
                }
            }
            summary.notes().forEach(n -> out.println("note: " + n));
            out.println(summary.entries() == 0
                    ? "nothing to replay"
                    : "replayed " + summary.entries() + " dead letter file(s); the pipeline delivers them on its"
                            + " next scan (a refused one is parked again)");
            return 0;
        } catch (IOException e) {
            err.println(path + ": " + e.getMessage());
            return 1;
        }
    }
}
