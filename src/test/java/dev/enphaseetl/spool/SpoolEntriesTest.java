package dev.enphaseetl.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.model.Reading;

/**
 * The steps of the sink route with the background deletion: an entry is deleted only after {@code remove} (the sink
 * confirmed it), a confirmed entry is never taken again, and when the sink's loop ends nothing confirmed is left.
 */
class SpoolEntriesTest {

    @TempDir
    Path dir;

    @Test
    void confirmedEntriesAreDeletedInTheBackgroundButNeverTakenAgain() throws Exception {
        Spool spool = new Spool(dir, SinkSwitches.of(List.of("s")));
        for (int i = 0; i < 3; i++) {
            spool.offer(List.of(Reading.of("system", 1_780_000_000L + i).tag("gateway", "g")
                    .field("production_w", 100.0 + i).build()));
        }
        SpoolEntries entries = new SpoolEntries(dir);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getIn().setHeader("sink", "s");
            exchange.setProperty(SpoolEntries.BATCH_POINTS, 1);
            List<Long> delivered = new ArrayList<>();
            List<Reading> batch = entries.take(exchange);
            while (entries.waiting(exchange)) {
                assertThat(files()).as("not deleted before the sink confirmed")
                        .containsAll(exchange.getProperty(SpoolEntries.BATCH, List.class));
                batch.forEach(r -> delivered.add(r.time()));
                entries.remove(exchange);
                batch = entries.take(exchange);
            }
            assertThat(delivered).as("each entry once, in order")
                    .containsExactly(1_780_000_000L, 1_780_000_001L, 1_780_000_002L);
            assertThat(files()).as("the loop ends with every confirmed entry deleted").isEmpty();
            assertThat(entries.take(exchange)).isEmpty();
        } finally {
            entries.close();
        }
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("s"))) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).toList();
        }
    }
}
