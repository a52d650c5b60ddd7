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
}
