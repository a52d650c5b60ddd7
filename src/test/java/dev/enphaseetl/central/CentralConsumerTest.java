package dev.enphaseetl.central;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.delivery.TransientSinkException;

/** The verdicts of the central consumer's health from the Kafka client's metrics, and what is left to Sinks. */
class CentralConsumerTest {

    static final Duration LIMIT = Duration.ofSeconds(60);

    static java.util.Optional<String> problem(OptionalDouble hb, OptionalDouble poll, long sinceS) {
        return CentralConsumer.problem(hb, poll, Duration.ofSeconds(sinceS), LIMIT, "127.0.0.1:9", "g");
    }

    @Test
    void aConsumerThatNeverReachedABrokerIsDownOnlyAfterTheThreshold() {
        assertThat(problem(OptionalDouble.of(-1), OptionalDouble.of(0), 30)).isEmpty();
        assertThat(problem(OptionalDouble.of(-1), OptionalDouble.of(0), 61)).get().asString()
                .contains("not in consumer group g for 61 s").contains("127.0.0.1:9")
                .contains("enphase.status.stale-after=60 s");
        assertThat(problem(OptionalDouble.empty(), OptionalDouble.empty(), 61)).get().asString()
                .contains("not running");
    }

    @Test
    void anOldHeartbeatOrPollIsDownAtOnceAndAFreshOneIsUp() {
        assertThat(problem(OptionalDouble.of(3), OptionalDouble.of(1), 0)).isEmpty();
        assertThat(problem(OptionalDouble.of(90), OptionalDouble.of(1), 0)).get().asString()
                .contains("no heartbeat").contains("90 s");
        assertThat(problem(OptionalDouble.of(2), OptionalDouble.of(75), 0)).get().asString()
                .contains("has not polled for 75 s");
    }

    @Test
    void aBatchThatFailedInASinkIsLeftToTheSinksLine() {
        assertThat(CentralErrors.causedBySink(new RuntimeException(new TransientSinkException("influx away", null))))
                .isTrue();
        assertThat(CentralErrors.causedBySink(new IllegalStateException("commit failed"))).isFalse();
        assertThat(CentralErrors.causedBySink(null)).isFalse();
    }
}
