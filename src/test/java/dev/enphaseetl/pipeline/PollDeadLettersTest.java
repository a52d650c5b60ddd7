package dev.enphaseetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.parse.PayloadException;
import dev.enphaseetl.testing.MutableClock;

/** Poll dead letters are bounded (issue #12: 6.4 MB in 100 s from one broken gateway) and name the failed poll. */
class PollDeadLettersTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayTarget gw = new GatewayTarget("gw", URI.create("https://192.0.2.1"), null, Map.of());

    private double counted(String endpoint, String outcome) {
        var c = registry.find("enphase_poll_dead_letters").tags("endpoint", endpoint, "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private List<Path> files(String ext) throws IOException {
        if (!Files.isDirectory(dir.resolve("poll"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir.resolve("poll"))) {
            return s.filter(p -> p.toString().endsWith(ext)).sorted().toList();
        }
    }

    @Test
    void aRepeatingRejectionKeepsTheFirstAndTheLatestPayloadAndCountsTheRest() throws Exception {
        DeadLetters dead = new DeadLetters(dir, 64L << 20, new PipelineMetrics(registry));
        PollTask task = new PollTask(gw, Endpoint.API_V1_PRODUCTION);
        for (int i = 1; i <= 200; i++) {
            // the reason differs in its numbers only (position of the error): the same problem
            dead.parkPayload(task, new Fetched(task, 200, "application/json", "{broken " + i),
                    "malformed JSON at column " + (i % 17));
        }
        dead.parkPayload(task, new Fetched(task, 200, "application/json", "[]"), "empty list where an object belongs");

        List<Path> payloads = files(".payload");
        assertThat(payloads).hasSize(3);
        List<String> bodies = payloads.stream().map(p -> {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(bodies).containsExactlyInAnyOrder("{broken 1", "{broken 200", "[]");
        assertThat(files(".json")).hasSize(3)
                .anySatisfy(m -> assertThat(read(m)).contains("\"occurrences\" : 200")
                        .contains("\"endpoint\" : \"api-v1-production\""));
        assertThat(counted("api-v1-production", "written")).isEqualTo(201);
        assertThat(counted("api-v1-production", "dropped")).isEqualTo(198);
    }

    @Test
    void theTotalSizeIsCappedAndWhatDoesNotFitIsCounted() throws Exception {
        DeadLetters dead = new DeadLetters(dir, 10_000, new PipelineMetrics(registry));
        PollTask task = new PollTask(gw, Endpoint.IVP_METERS);
        String body = "x".repeat(1_000);
        int kept = 0;
        for (int i = 0; i < 50; i++) {
            // every reason different: nothing is a repeat, only the cap holds it
            if (dead.parkPayload(task, new Fetched(task, 500, "text/plain", body), "reason " + (char) ('A' + i % 26)
                    + (char) ('a' + i / 26)).isPresent()) {
                kept++;
            }
        }
        long bytes = 0;
        for (Path p : files("")) {
            if (Files.isRegularFile(p)) {
                bytes += Files.size(p);
            }
        }
        assertThat(bytes).isLessThanOrEqualTo(10_000);
        assertThat(kept).isPositive().isLessThan(50);
        assertThat(counted("ivp-meters", "dropped")).isEqualTo(50 - kept);
    }

    @Test
    void anUnexpectedFailureIsFiledUnderThePollThatFailedNotThePreviousAnswer() throws Exception {
        DeadLetters dead = new DeadLetters(dir, 64L << 20, new PipelineMetrics(registry));
        PollProblems problems = new PollProblems(dead, new PipelineMetrics(registry),
                RetryPlanTest.plan(new MutableClock(Instant.parse("2026-06-21T23:00:00Z"))), Duration.ofMinutes(30));
        PollTask info = new PollTask(gw, Endpoint.INFO);
        PollTask meters = new PollTask(gw, Endpoint.IVP_METERS);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        // the exchange handed on from the /info poll still holds its answer when the ivp-meters poll breaks
        exchange.setProperty(PollProblems.FETCHED, new Fetched(info, 200, "application/xml", "<envoy_info/>"));
        exchange.setProperty(PollProblems.TASK, meters);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("out of memory, say"));
        problems.unexpected(exchange);
        assertThat(files(".payload")).as("no /info payload filed under any endpoint").isEmpty();

        // its own answer, rejected: filed under ivp-meters with its own payload
        exchange.setProperty(PollProblems.FETCHED, new Fetched(meters, 200, "application/json", "[{\"eid\":"));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new PayloadException("unexpected end"));
        problems.payloadRejected(exchange);
        assertThat(files(".payload")).singleElement().satisfies(p -> {
            assertThat(p.getParent().getFileName().toString()).isEqualTo("ivp-meters");
            assertThat(Files.readString(p)).isEqualTo("[{\"eid\":");
        });
        assertThat(read(files(".json").get(0))).contains("\"endpoint\" : \"ivp-meters\"").contains("/ivp/meters");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
