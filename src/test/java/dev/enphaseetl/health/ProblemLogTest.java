package dev.enphaseetl.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A problem that repeats every poll is logged once, a change of reason once more, the recovery once. */
class ProblemLogTest {

    private final List<String> lines = new ArrayList<>();
    private final java.util.logging.Logger jul = java.util.logging.Logger.getLogger("test.problems");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                lines.add(r.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        jul.addHandler(handler);
    }

    @AfterEach
    void release() {
        jul.removeHandler(handler);
    }

    @Test
    void oneLinePerProblemNotPerPoll() {
        ProblemLog log = new ProblemLog(Logger.getLogger("test.problems"));
        for (int poll = 0; poll < 100; poll++) {
            log.problem("gw1", "AUTH", Logger.Level.ERROR, "Gateway gw1 rejected the token");
        }
        assertThat(lines).containsExactly("Gateway gw1 rejected the token");
        log.problem("gw1", "TIMEOUT", Logger.Level.WARN, "Gateway gw1 timed out");
        log.problem("gw1", "TIMEOUT", Logger.Level.WARN, "Gateway gw1 timed out");
        log.ok("gw1", "Gateway gw1 answers again");
        log.ok("gw1", "Gateway gw1 answers again");
        assertThat(lines).containsExactly("Gateway gw1 rejected the token", "Gateway gw1 timed out",
                "Gateway gw1 answers again");
        assertThat(log.hasProblem("gw1")).isFalse();
    }

    @Test
    void aLastingProblemIsRemindedEveryTenMinutesNotEveryPoll() {
        long[] now = {0};
        ProblemLog log = new ProblemLog(Logger.getLogger("test.problems"), java.time.Duration.ofMinutes(10),
                () -> now[0]);
        // one failure every 30 s for 25 minutes
        for (int i = 0; i <= 50; i++) {
            now[0] = java.time.Duration.ofSeconds(30L * i).toNanos();
            log.problem("influxdb", "TransientSinkException", Logger.Level.WARN, "Sink influxdb is failing");
        }
        assertThat(lines).containsExactly("Sink influxdb is failing", "Still, for 10 min: Sink influxdb is failing",
                "Still, for 20 min: Sink influxdb is failing");
        log.ok("influxdb", "Sink influxdb delivers again");
        assertThat(lines).hasSize(4).last().isEqualTo("Sink influxdb delivers again");
    }
}
