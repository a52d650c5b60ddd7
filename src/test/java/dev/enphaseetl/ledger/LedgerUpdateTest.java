package dev.enphaseetl.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.auth.LogCapture;
import dev.enphaseetl.spool.SinkSwitches;

class LedgerUpdateTest {

    @Test
    void withoutTheSqlArchiveTheLedgerSaysSoOnceAndWritesNothing() {
        // no config and no sinks: with the jdbc sink off, neither may be touched
        LedgerUpdate update = new LedgerUpdate(null, null, SinkSwitches.of(List.of("lineprotocol", "csv")));
        try (LogCapture logs = new LogCapture()) {
            assertThat(update.recomputeRecent()).isZero();
            assertThat(update.recomputeRecent()).isZero();
            assertThat(logs.messagesAt(Level.WARNING)).filteredOn(m -> m.contains("daily ledger")).hasSize(1)
                    .allMatch(m -> m.contains("enphase.sink.jdbc.enabled"));
        }
    }
}
