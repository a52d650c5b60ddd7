package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * What an operator does: copy routes/, edit a poll period and switch a sink off in the YAML, restart. The edits take
 * effect: the timer runs at the new period, the CSV sink route does not start, no CSV file is written and nothing
 * is spooled for it, while the other sinks go on.
 */
@QuarkusTest
@TestProfile(EditedRoutesTest.Profile.class)
class EditedRoutesTest {

    static final Path DATA = Path.of("target", "edited-" + Long.toString(System.nanoTime(), 36));
    static final Path ROUTES = DATA.resolve("routes");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            copyAndEditRoutes();
            Map<String, String> m = new HashMap<>();
            m.put("enphase.data-dir", DATA.toString());
            m.put("camel.main.routes-include-pattern", "file:" + ROUTES + "/*.camel.yaml");
            m.put("enphase.poll.first-delay", "200");
            m.put("enphase.sink.poll-delay", "200");
            return m;
        }
    }

    static void copyAndEditRoutes() {
        try {
            Files.createDirectories(ROUTES);
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path f : files.toList()) {
                    String yaml = Files.readString(f);
                    if (f.getFileName().toString().startsWith("10-")) {
                        yaml = replaceOnce(yaml, "{name: endpoint, value: production-json}, {name: period, value: 60s}",
                                "{name: endpoint, value: production-json}, {name: period, value: 3s}");
                        yaml = replaceOnce(yaml, "{name: endpoint, value: ivp-meters}, {name: period, value: 15m}, "
                                + "{name: delay, value: 0s}",
                                "{name: endpoint, value: ivp-meters}, "
                                        + "{name: period, value: 7m}, {name: delay, value: 1s}");
                    }
                    if (f.getFileName().toString().startsWith("30-")) {
                        yaml = replaceOnce(yaml, "{name: enabled, value: \"{{enphase.sink.csv.enabled}}\"}",
                                "{name: enabled, value: \"false\"}");
                    }
                    Files.writeString(ROUTES.resolve(f.getFileName()), yaml);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String replaceOnce(String text, String from, String to) {
        if (!text.contains(from)) {
            throw new IllegalStateException("the route file no longer contains " + from);
        }
        return text.replace(from, to);
    }

    @Inject
    CamelContext camel;

    @Test
    void aChangedPeriodAndADisabledSinkTakeEffectOnRestart() {
        TimerEndpoint timer = (TimerEndpoint) camel.getRoute("poll-production-json").getEndpoint();
        assertThat(timer.getPeriod()).isEqualTo(3000L);
        assertThat(camel.getRouteController().getRouteStatus("sink-csv")).isEqualTo(ServiceStatus.Stopped);
        assertThat(camel.getRouteController().getRouteStatus("sink-lineprotocol")).isEqualTo(ServiceStatus.Started);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.isDirectory(DATA.resolve("lineprotocol")));
        assertThat(DATA.resolve("csv")).doesNotExist();
        // a sink whose route is off gets no spool entries (an operator's choice, not an outage: nothing piles up)
        assertThat(YamlOutputsTest.jsonl(DATA.resolve("spool").resolve("csv"))).isZero();
    }

    @Test
    void anEditedTemplateInstanceChangesOnlyItsOwnRoute() {
        TimerEndpoint meters = (TimerEndpoint) camel.getRoute("poll-ivp-meters").getEndpoint();
        assertThat(meters.getPeriod()).isEqualTo(7 * 60_000L);
        assertThat(meters.getDelay()).isEqualTo(1000L);
        // the other instances of the same template keep their period, and the template's default delay follows config
        TimerEndpoint info = (TimerEndpoint) camel.getRoute("poll-info").getEndpoint();
        assertThat(info.getPeriod()).isEqualTo(3_600_000L);
        assertThat(info.getDelay()).isZero();
        TimerEndpoint inverters = (TimerEndpoint) camel.getRoute("poll-api-v1-production-inverters").getEndpoint();
        assertThat(inverters.getPeriod()).isEqualTo(5 * 60_000L);
        assertThat(inverters.getDelay()).isEqualTo(200L);
        assertThat(camel.getRoute("poll-ivp-meters").getProperties()).as("made from the poll-endpoint template")
                .containsEntry(org.apache.camel.Route.TEMPLATE_PROPERTY, "true");
        // token renewal is a timer route too (enphase.token.check-interval, default 1m), on the route map
        TimerEndpoint tokens = (TimerEndpoint) camel.getRoute("token-renewal").getEndpoint();
        assertThat(tokens.getPeriod()).isEqualTo(60_000L);
        assertThat(camel.getRouteController().getRouteStatus("token-renewal")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void thePollQueueHasTheConfiguredCapacityOnEveryEndpoint() {
        int configured = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("enphase.poll.queue-size", Integer.class);
        List<SedaEndpoint> queues = camel.getEndpoints().stream().filter(SedaEndpoint.class::isInstance)
                .map(SedaEndpoint.class::cast).toList();
        assertThat(queues).isNotEmpty();
        assertThat(queues).allSatisfy(q -> assertThat(q.getSize()).isEqualTo(configured));
        assertThat(((SedaEndpoint) camel.getRoute("poll-gateway").getEndpoint()).getQueue().remainingCapacity())
                .isGreaterThanOrEqualTo(configured - 1000);
    }
}
