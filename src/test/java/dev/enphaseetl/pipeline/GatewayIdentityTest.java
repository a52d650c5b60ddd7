package dev.enphaseetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.enphaseetl.auth.LogCapture;
import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.GatewayStates;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.DefaultPayloadParser;
import dev.enphaseetl.parse.Endpoint;

/**
 * One identity per gateway from the first reading: the {@code gateway} tag is the serial even for polls made before
 * /info answered, with a configured {@code name}; a configured serial that /info contradicts is said once.
 */
class GatewayIdentityTest {

    static final Path CAPTURE = Path.of("src/test/resources/fixtures/captures/7.6.175_with_cts");

    @TempDir
    Path dir;

    private ReadingExtractor extractor(GatewayStates states) {
        PollProblems problems = new PollProblems(new DeadLetters(dir), new PipelineMetrics(new SimpleMeterRegistry()),
                RetryPlanTest.plan(new dev.enphaseetl.testing.MutableClock(java.time.Instant.parse(
                        "2026-06-21T23:00:00Z"))),
                java.time.Duration.ofMinutes(30));
        return new ReadingExtractor(new DefaultPayloadParser(), problems, states, new DeadLetters(dir));
    }

    private static Fetched answer(GatewayTarget gw, Endpoint ep, String file) throws Exception {
        return new Fetched(new PollTask(gw, ep), 200, "application/json", Files.readString(CAPTURE.resolve(file)));
    }

    private static String infoSerial() throws Exception {
        return Files.readString(CAPTURE.resolve("info")).replaceAll("(?s).*<sn>([^<]+)</sn>.*", "$1").strip();
    }

    @Test
    void pollsBeforeInfoAreHeldAndWrittenWithTheSerialAndTheConfiguredTags() throws Exception {
        GatewayTarget roof = new GatewayTarget("roof", URI.create("https://192.0.2.1"), null, Map.of("site", "home"));
        ReadingExtractor extractor = extractor(new GatewayStates());
        List<Reading> written = new ArrayList<>();

        // the timers fired in another order than the routes list them: data before /info
        written.addAll(extractor.extract(answer(roof, Endpoint.PRODUCTION_JSON, "production.json")));
        written.addAll(extractor.extract(answer(roof, Endpoint.IVP_METERS, "ivp_meters")));
        written.addAll(extractor.extract(answer(roof, Endpoint.IVP_METERS_READINGS, "ivp_meters_readings")));
        assertThat(written).as("nothing is written under the name").isEmpty();
        assertThat(extractor.heldCount("roof")).isEqualTo(3);

        written.addAll(extractor.extract(answer(roof, Endpoint.INFO, "info")));
        written.addAll(extractor.extract(answer(roof, Endpoint.PRODUCTION_JSON, "production.json")));

        String serial = infoSerial();
        assertThat(serial).matches("\\d{12}");
        assertThat(extractor.heldCount("roof")).isZero();
        assertThat(written).extracting(Reading::measurement).contains("system", "meter", "eim");
        assertThat(written).allSatisfy(r -> {
            assertThat(r.tag("gateway")).isEqualTo(serial);
            assertThat(r.tag("site")).isEqualTo("home");
        });
        // the held production.json was parsed after /ivp/meters and /info, like a later poll: same readings
        List<Reading> held = written.stream().filter(r -> r.measurement().equals("system")).toList();
        assertThat(held).hasSize(2);
        assertThat(held.get(0).fields()).isEqualTo(held.get(1).fields());
    }

    @Test
    void heldAnswersGoOutWithTheNextPollWhenTheSerialCameFromAnInboxInfoFile() throws Exception {
        GatewayStates states = new GatewayStates();
        GatewayTarget roof = new GatewayTarget("roof", URI.create("https://192.0.2.1"), null, Map.of());
        ReadingExtractor extractor = extractor(states);
        assertThat(extractor.extract(answer(roof, Endpoint.PRODUCTION_JSON, "production.json"))).isEmpty();
        // inbox/roof/info: the inbox parses it into the same state
        new DefaultPayloadParser().parse("roof", Endpoint.INFO, 200, Files.readString(CAPTURE.resolve("info")),
                states.of("roof"));

        List<Reading> out = extractor.extract(answer(roof, Endpoint.IVP_METERS, "ivp_meters"));

        String serial = infoSerial();
        assertThat(extractor.heldCount("roof")).isZero();
        assertThat(out).extracting(Reading::measurement).contains("system");
        assertThat(out).allMatch(r -> r.tag("gateway").equals(serial));
    }

    @Test
    void aConfiguredSerialTagsReadingsBeforeInfoAndAContradictingInfoIsSaidOnce() throws Exception {
        String serial = infoSerial();
        GatewayTarget ok = new GatewayTarget("roof", URI.create("https://192.0.2.1"), null, Map.of(), null, null, null,
                serial);
        ReadingExtractor extractor = extractor(new GatewayStates());
        assertThat(extractor.extract(answer(ok, Endpoint.PRODUCTION_JSON, "production.json")))
                .isNotEmpty().allMatch(r -> serial.equals(r.tag("gateway")));

        GatewayTarget wrong = new GatewayTarget("garage", URI.create("https://192.0.2.2"), null, Map.of(), null, null,
                null, "999999999999");
        try (LogCapture logs = new LogCapture()) {
            assertThat(extractor.extract(answer(wrong, Endpoint.PRODUCTION_JSON, "production.json")))
                    .isNotEmpty().allMatch(r -> "999999999999".equals(r.tag("gateway")));
            extractor.extract(answer(wrong, Endpoint.INFO, "info"));
            extractor.extract(answer(wrong, Endpoint.INFO, "info"));
            assertThat(extractor.extract(answer(wrong, Endpoint.PRODUCTION_JSON, "production.json")))
                    .isNotEmpty().allMatch(r -> serial.equals(r.tag("gateway")));
            assertThat(logs.messagesAt(Level.WARNING)).filteredOn(m -> m.contains("999999999999")).hasSize(1)
                    .allMatch(m -> m.contains(serial) && m.contains("enphase.gateways[n].serial"));
        }
    }
}
