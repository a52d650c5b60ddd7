package dev.enphaseetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.GatewayStates;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.parse.DefaultPayloadParser;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.parse.GatewayState;
import dev.enphaseetl.testing.MutableClock;

/** A firmware update seen in /info makes the pipeline detect the gateway's endpoints anew. */
class FirmwareChangeTest {

    @TempDir
    Path dir;

    @Test
    void aNewFirmwareForgetsWhichEndpointsTheOldOneLacked() throws Exception {
        GatewayStates states = new GatewayStates();
        PollProblems problems = new PollProblems(new DeadLetters(dir), new PipelineMetrics(new SimpleMeterRegistry()),
                RetryPlanTest
                        .plan(new dev.enphaseetl.testing.MutableClock(java.time.Instant.parse("2026-06-21T23:00:00Z"))),
                java.time.Duration.ofMinutes(30));
        ReadingExtractor extractor = new ReadingExtractor(new DefaultPayloadParser(), problems, states,
                new DeadLetters(dir));
        GatewayTarget gw = new GatewayTarget("gw", URI.create("https://192.0.2.1"), null, Map.of());
        String info = Files.readString(Path.of("src/test/resources/fixtures/captures/7.6.175_with_cts/info"));
        String firmware = info.replaceAll("(?s).*<software>([^<]+)</software>.*", "$1");

        extractor.extract(new Fetched(new PollTask(gw, Endpoint.INFO), 200, "application/xml", info));
        extractor.extract(new Fetched(new PollTask(gw, Endpoint.API_V1_PRODUCTION), 404, "text/html",
                "<html>Not Found</html>"));
        assertThat(states.of("gw").apiV1Status()).isEqualTo(GatewayState.ApiV1Status.UNAVAILABLE);

        // the same firmware again changes nothing
        extractor.extract(new Fetched(new PollTask(gw, Endpoint.INFO), 200, "application/xml", info));
        assertThat(states.of("gw").apiV1Status()).isEqualTo(GatewayState.ApiV1Status.UNAVAILABLE);

        String updated = info.replace("<software>" + firmware + "</software>", "<software>D8.3.9999</software>");
        extractor.extract(new Fetched(new PollTask(gw, Endpoint.INFO), 200, "application/xml", updated));
        assertThat(states.of("gw").firmware()).isPresent().get().asString().contains("8.3.9999");
        assertThat(states.of("gw").apiV1Status()).isEqualTo(GatewayState.ApiV1Status.UNKNOWN);
    }
}
