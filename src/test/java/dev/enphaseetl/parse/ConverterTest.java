package dev.enphaseetl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.model.Schema;
import dev.enphaseetl.render.CsvRows;

/** The convert command: line protocol or CSV on stdout, not-data and rejected payloads on stderr. */
class ConverterTest {

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Converter.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void lineProtocolWithGatewaySerialFromInfo() throws Exception {
        Path folder = Fixtures.CAPTURES.resolve("5.0.62");
        Run r = run("convert", folder.toString());
        assertThat(r.status()).isZero();
        String serial = Fixtures.read(folder.resolve("info")).replaceAll("(?s).*<sn>([^<]+)</sn>.*", "$1");
        assertThat(r.out().lines()).isNotEmpty().allMatch(l -> l.contains(",gateway=" + serial));
        assertThat(r.out()).contains("system,gateway=" + serial);
        assertThat(r.err()).contains("not data: ivp_ensemble_inventory");
    }

    @Test
    void csvHasOneHeaderPerMeasurement() throws Exception {
        Run r = run(Fixtures.CAPTURES.resolve("8.3.5169_with_generator").toString(), "--csv");
        assertThat(r.status()).isZero();
        Converter.Result result = new Converter().convert(Fixtures.CAPTURES.resolve("8.3.5169_with_generator"));
        List<String> measurements = result.readings().stream().map(Reading::measurement).distinct().toList();
        for (String m : measurements) {
            assertThat(r.out()).contains(CsvRows.headerLine(m));
        }
        long rows = r.out().split("\r\n").length;
        assertThat(rows).isEqualTo(result.readings().size() + measurements.size());
    }

    @Test
    void everyEmittedMeasurementIsInTheSchemaAndFieldsAreKnown() throws Exception {
        for (Path folder : Fixtures.captureFolders()) {
            for (Reading r : new Converter().convert(folder).readings()) {
                Schema.Measurement m = Schema.find(r.measurement()).orElseThrow(() -> new AssertionError(r));
                assertThat(m.fieldNames()).as(r.measurement()).containsAll(r.fields().keySet());
                assertThat(m.tagNames()).as(r.measurement()).containsAll(r.tags().keySet());
            }
        }
    }

    @Test
    void aFolderWithoutInfoNeedsASerialAndNeverTagsTheFolderName(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        java.nio.file.Files.copy(Fixtures.CAPTURES.resolve("4.2.33/api_v1_production_inverters"),
                tmp.resolve("api_v1_production_inverters"));
        Converter.Result without = new Converter().convert(tmp);
        assertThat(without.readings()).isEmpty();
        assertThat(without.outcomes()).singleElement().satisfies(o -> assertThat(o.problem())
                .contains("serial unknown").contains("--serial"));

        Converter.Result with = new Converter().convert(tmp, "121212121212", java.util.Map.of("site", "home"));
        assertThat(with.readings()).isNotEmpty()
                .allMatch(x -> "121212121212".equals(x.tag("gateway")) && "home".equals(x.tag("site")));
        Run cli = run("convert", tmp.toString(), "--serial", "121212121212", "--tag", "site=home");
        assertThat(cli.status()).isZero();
        assertThat(cli.out()).contains("gateway=121212121212").contains("site=home")
                .doesNotContain("gateway=" + tmp.getFileName());
    }

    @Test
    void theNameAndTagsReachCsvAsGatewaysCsv(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path folder = Fixtures.CAPTURES.resolve("5.0.62");
        String serial = Fixtures.read(folder.resolve("info")).replaceAll("(?s).*<sn>([^<]+)</sn>.*", "$1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Converter.run(folder, true, false, null,
                dev.enphaseetl.model.GatewayIdentity.readingTags("roof", java.util.Map.of("site", "home")), tmp,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertThat(status).isZero();
        List<String> lines = java.nio.file.Files.readAllLines(tmp.resolve("gateways.csv"));
        assertThat(lines).hasSize(2).first().isEqualTo("gateway,name,since,site");
        // since: the oldest reading of the gateway in the captures
        assertThat(lines.get(1)).matches(serial + ",roof,\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z,home");
    }

    @Test
    void usageErrors() {
        assertThat(run().status()).isEqualTo(2);
        assertThat(run("convert", "/nonexistent/folder").status()).isEqualTo(2);
    }
}
