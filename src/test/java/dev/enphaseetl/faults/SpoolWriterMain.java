package dev.enphaseetl.faults;

import java.nio.file.Path;
import java.util.List;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;

/**
 * Stands in for a pipeline whose sink is down: spools one reading after another (for sink lineprotocol, or the comma-separated sinks of
 * the second argument) and prints {@code ACK n} once the
 * spool accepted reading n (the moment a poll counts as done). Killed with SIGKILL by {@link SpoolFaultsTest}.
 */
public final class SpoolWriterMain {

    private SpoolWriterMain() {}

    public static void main(String[] args) throws Exception {
        List<String> sinks = args.length > 1 ? List.of(args[1].split(",")) : List.of("lineprotocol");
        Spool spool = new Spool(Path.of(args[0], "spool"), SinkSwitches.of(sinks));
        for (long i = 0;; i++) {
            spool.offer(List.of(Reading.of("crashprobe", 1_700_000_000L + i).tag("gateway", "crash")
                    .field("n", (double) i).build()));
            System.out.println("ACK " + i);
            System.out.flush();
        }
    }
}
