package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The first ledger rows appear as soon as the archive holds two readings of a counter, not one ledger period later:
 * the first recomputation comes before the second poll (it finds a single reading and nothing to count), and with
 * the default 15-minute period the next one used to come only 15 minutes later.
 */
@QuarkusTest
@TestProfile(LedgerFirstRowTest.Profile.class)
class LedgerFirstRowTest {

    static final Path DATA = Path.of("target", "ledger-first-" + Long.toString(System.nanoTime(), 36));

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("enphase.data-dir", DATA.toString());
            m.put("enphase.poll.first-delay", "200");
            m.put("enphase.poll.production-json.period", "10s");
            m.put("enphase.sink.poll-delay", "200");
            // the first recomputation finds one reading of each counter; the period stays at its default (15 min)
            m.put("enphase.ledger.first-delay", "3s");
            m.put("enphase.ledger.check-period", "2s");
            return m;
        }
    }

    @Test
    void theFirstLedgerRowsFollowTheSecondReadingWithoutWaitingAWholePeriod() throws Exception {
        Path file = DATA.resolve("ledger").resolve("ledger-" + LocalDate.now(ZoneOffset.UTC).getYear() + ".csv");
        // generous bound for a loaded machine; far below the 15-minute period the ledger used to wait
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> Files.exists(file)
                && Files.readAllLines(file, StandardCharsets.UTF_8).size() > 1);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("gateway,day,day_start_utc,day_start_local,zone,produced_kwh");
        assertThat(lines.get(1)).startsWith("200509000001,");
    }
}
