package dev.enphaseetl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.parse.Endpoint;

class RouteValidatorTest {

    private static final Path ROUTES = Path.of("routes");

    @TempDir
    Path tmp;

    @Test
    void everyRouteFileLoadsAndValidatesClean() throws IOException {
        List<Path> files = RouteValidator.collect(new String[]{"routes"});
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        RouteValidator v = new RouteValidator();
        assertThat(v.validate(files)).isEmpty();
    }

    @Test
    void theYamlOutputExamplesValidateCleanNextToTheShippedRoutes() throws IOException {
        List<Path> files = RouteValidator.collect(new String[]{"routes", "deploy/routes-examples"});
        assertThat(files).anyMatch(f -> f.toString().contains("sink-mqtt"));
        assertThat(new RouteValidator().validate(files)).isEmpty();
    }

    @Test
    void routeIdsAreUniqueAndFollowTheNaming() throws IOException {
        RouteValidator v = new RouteValidator();
        v.validate(RouteValidator.collect(new String[]{"routes"}));
        List<String> ids = v.routeIds();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(ids).allMatch(id -> id.startsWith("poll-") || id.startsWith("sink-") || id.startsWith("page-api-")
                || Set.of("dispatch-polls", "retry-polls", "publish", "live-polls", "publish-live", "ledger-update",
                        "status-line", "inbox-import", "cloud-round", "central-from-kafka",
                        "token-renewal").contains(id),
                "naming");
        assertThat(ids).contains("dispatch-polls", "poll-gateway", "publish", "ledger-update");
        // one timer route per endpoint
        for (Endpoint e : Endpoint.values()) {
            assertThat(ids).contains("poll-" + e.id());
        }
    }

    @Test
    void commandPrintsOkAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = RouteValidator.run(new String[]{"routes/"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        assertThat(rc).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(countRouteFiles() + " files OK");
    }

    @Test
    void yamlSyntaxErrorIsReportedWithLine() throws IOException {
        Path f = brokenCopy("20-poll-gateway.camel.yaml", "      uri: seda:poll\n", "      uri: [seda:poll\n");
        assertProblem(f, lineOf(f, "[seda:poll") + 1, "YAML syntax error");
    }

    @Test
    void unknownEndpointIdIsReported() throws IOException {
        Path f = brokenCopy("10-poll-timers.camel.yaml", "{name: endpoint, value: ivp-meters-readings}",
                "{name: endpoint, value: ivp-meter-readings}");
        assertProblem(f, lineOf(f, "value: ivp-meter-readings"), "unknown endpoint 'ivp-meter-readings' (known: info,");
    }

    @Test
    void unknownEndpointInTimerRouteIdIsReported() throws IOException {
        Path f = brokenCopy("10-poll-timers.camel.yaml", "routeId: poll-ivp-pdm-energy",
                "routeId: poll-ivp-pdm-energie");
        assertProblem(f, lineOf(f, "routeId: poll-ivp-pdm-energie"), "unknown endpoint 'ivp-pdm-energie'");
    }

    @Test
    void misspelledEipKeyIsReported() throws IOException {
        Path f = brokenCopy("10-poll-timers.camel.yaml", "constant: \"{{endpoint}}\"", "constnt: \"{{endpoint}}\"");
        assertProblem(f, lineOf(f, "constnt: "), "Unsupported field: constnt");
    }

    @Test
    void unknownRouteTemplateIsReported() throws IOException {
        Path f = brokenCopy("30-sinks.camel.yaml", "routeTemplateRef: spool-to-sink", "routeTemplateRef: spool-to-snk");
        assertProblem(f, lineOf(f, "spool-to-snk"), "unknown route template 'spool-to-snk' (known: poll-endpoint,");
    }

    @Test
    void misspelledTemplateParameterIsReported() throws IOException {
        Path f = brokenCopy("10-poll-timers.camel.yaml", "{name: period, value: 5m}", "{name: perod, value: 5m}");
        assertProblem(f, lineOf(f, "name: perod"), "route template 'poll-endpoint' has no parameter 'perod'"
                + " (parameters: endpoint, period, delay)");
    }

    @Test
    void unknownDeliveryBeanInATemplatedSinkIsReported() throws IOException {
        Path f = brokenCopy("30-sinks.camel.yaml", "value: \"bean:influxDelivery?", "value: \"bean:influxdbDelivery?");
        assertProblem(f, lineOf(f, "influxdbDelivery"), "unknown bean 'influxdbDelivery' (known: ");
    }

    @Test
    void misspelledEipNameIsReported() throws IOException {
        Path f = brokenCopy("40-ledger.camel.yaml", "- bean:", "- bea:");
        assertProblem(f, lineOf(f, "- bea:"), "Unknown node id: bea");
    }

    @Test
    void misspelledEndpointOptionIsReported() throws IOException {
        Path f = brokenCopy("20-poll-gateway.camel.yaml", "waitForTaskToComplete:", "waitForTaskToComplet:");
        assertProblem(f, lineOf(f, "waitForTaskToComplet:"),
                "endpoint 'seda:poll': unknown option(s) [{waitForTaskToComplet=");
    }

    @Test
    void unknownComponentIsReported() throws IOException {
        Path f = brokenCopy("40-ledger.camel.yaml", "uri: timer:ledger-update", "uri: timr:ledger-update");
        assertProblem(f, lineOf(f, "uri: timr:ledger-update"),
                "endpoint 'timr:ledger-update': No endpoint could be found");
    }

    @Test
    void unknownBeanRefIsReported() throws IOException {
        Path f = brokenCopy("40-ledger.camel.yaml", "ref: ledgerUpdate", "ref: ledgerUpdater");
        assertProblem(f, lineOf(f, "ref: ledgerUpdater"), "unknown bean 'ledgerUpdater' (known: ");
    }

    @Test
    void unknownBeanMethodIsReported() throws IOException {
        Path f = brokenCopy("40-ledger.camel.yaml", "method: tick", "method: recompute");
        assertProblem(f, lineOf(f, "method: recompute"), "has no public method 'recompute'");
    }

    @Test
    void unknownEnphasePlaceholderIsReported() throws IOException {
        Path f = brokenCopy("40-ledger.camel.yaml", "{{enphase.ledger.check-period}}",
                "{{enphase.ledger.chek-period}}");
        assertProblem(f, lineOf(f, "enphase.ledger.chek-period"),
                "unknown placeholder key 'enphase.ledger.chek-period'");
    }

    @Test
    void placeholderWithUnknownEndpointIsReported() throws IOException {
        // the template's placeholder enphase.poll.{{endpoint}}.period, filled in by the instance: the line of its value
        Path f = brokenCopy("10-poll-timers.camel.yaml", "{name: endpoint, value: info}",
                "{name: endpoint, value: infos}");
        assertProblem(f, lineOf(f, "value: infos}"),
                "unknown endpoint 'infos' in placeholder 'enphase.poll.infos.period'");
    }

    @Test
    void duplicateIdAcrossFilesIsReported() throws IOException {
        Files.copy(ROUTES.resolve("40-ledger.camel.yaml"), tmp.resolve("40-ledger.camel.yaml"));
        Path f = tmp.resolve("41-copy.camel.yaml");
        Files.copy(ROUTES.resolve("40-ledger.camel.yaml"), f);
        List<RouteValidator.Problem> problems = new RouteValidator().validate(RouteValidator.collect(
                new String[]{tmp.toString()}));
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(f.toString());
            assertThat(p.line()).isEqualTo(lineOf(f, "id: ledger-update"));
            assertThat(p.message()).startsWith("duplicate id 'ledger-update' (first at ");
        });
    }

    @Test
    void brokenDirectoryExitsOne() throws IOException {
        brokenCopy("40-ledger.camel.yaml", "ref: ledgerUpdate", "ref: nope");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = RouteValidator.run(new String[]{tmp.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        assertThat(rc).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("40-ledger.camel.yaml:", "unknown bean 'nope'");
    }

    @Test
    void classPathScanAgreesWithTheFixedBeanList() {
        Map<String, String> scanned = BeanRegistry.scan().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getName()));
        assertThat(scanned).isEqualTo(BeanRegistry.KNOWN);
    }

    @Test
    void configKeysComeFromEnphaseConfig() {
        ConfigKeys keys = ConfigKeys.fromEnphaseConfig();
        assertThat(keys.check("enphase.data-dir")).isEmpty();
        assertThat(keys.check("enphase.sink.retry.scan-backoff")).isEmpty();
        assertThat(keys.check("enphase.gateways[0].host")).isEmpty();
        assertThat(keys.check("enphase.poll.production-json.enabled")).isEmpty();
        assertThat(keys.check("enphase.sink.files.directory")).isPresent();
    }

    // ---- helpers

    /** Copies all route files to the temp dir, with one replacement (first occurrence) in {@code name}. */
    private Path brokenCopy(String name, String from, String to) throws IOException {
        try (Stream<Path> s = Files.list(ROUTES)) {
            for (Path p : s.toList()) {
                Files.copy(p, tmp.resolve(p.getFileName()));
            }
        }
        Path f = tmp.resolve(name);
        String text = Files.readString(f);
        assertThat(text).contains(from);
        int at = text.indexOf(from);
        Files.writeString(f, text.substring(0, at) + to + text.substring(at + from.length()));
        return f;
    }

    private void assertProblem(Path file, int line, String message) throws IOException {
        List<RouteValidator.Problem> problems = new RouteValidator().validate(RouteValidator.collect(
                new String[]{tmp.toString()}));
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(file.toString());
            assertThat(p.line()).isEqualTo(line);
            assertThat(p.message()).contains(message);
        });
        assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo(file.toString()));
    }

    /** 1-based line of the first line containing {@code text}. */
    private static int lineOf(Path f, String text) throws IOException {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + f);
    }

    private static long countRouteFiles() {
        try (Stream<Path> s = Files.list(ROUTES)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
