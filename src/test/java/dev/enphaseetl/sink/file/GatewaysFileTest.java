package dev.enphaseetl.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.model.GatewayIdentity;
import dev.enphaseetl.model.Reading;

/**
 * {@code csv/gateways.csv}: one row per serial with name, since and a column per extra tag key; a schema tag is never
 * taken for an extra tag; a restart keeps {@code since}; a name a spreadsheet would run as a formula is neutralised
 * and read back as it was; a damaged file is set aside and written again.
 */
class GatewaysFileTest {

    @TempDir
    Path dir;

    @Test
    void oneRowPerSerialWithAColumnPerTagKey() throws Exception {
        CsvFileSink sink = new CsvFileSink(FileSinkConfig.csv(dir));
        sink.deliver(readings("202212345678", GatewayIdentity.readingTags("roof", Map.of("site", "home")), 1000));
        sink.deliver(readings("202299999999", Map.of("array", "garage"), 2000));

        List<CSVRecord> rows = rows();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).toMap()).containsEntry("gateway", "202212345678").containsEntry("name", "roof")
                .containsEntry("site", "home").containsEntry("array", "").containsEntry("since",
                        "1970-01-01T00:16:40Z");
        assertThat(rows.get(1).toMap()).containsEntry("gateway", "202299999999").containsEntry("name", "")
                .containsEntry("array", "garage");
        // the inverter serial is a schema tag of inverter, not an extra tag
        assertThat(rows.get(0).toMap()).doesNotContainKey("serial");
    }

    @Test
    void aRestartKeepsSinceAndAFormulaNameIsNeutralisedAndReadBack() throws Exception {
        Map<String, String> tags = GatewayIdentity.readingTags("=HYPERLINK(\"x\")", Map.of());
        new CsvFileSink(FileSinkConfig.csv(dir)).deliver(readings("121", tags, 1000));
        String first = Files.readString(dir.resolve("csv/gateways.csv"));
        assertThat(first).contains("'=HYPERLINK");

        new CsvFileSink(FileSinkConfig.csv(dir)).deliver(readings("121", tags, 5000));
        assertThat(Files.readString(dir.resolve("csv/gateways.csv"))).isEqualTo(first);
    }

    @Test
    void aDamagedFileIsSetAsideAndWrittenAgain() throws Exception {
        Files.createDirectories(dir.resolve("csv"));
        Files.writeString(dir.resolve("csv/gateways.csv"), "edited by hand\r\n\"unclosed", StandardCharsets.UTF_8);
        new CsvFileSink(FileSinkConfig.csv(dir)).deliver(readings("121", Map.of("site", "home"), 1000));
        assertThat(rows()).hasSize(1);
        assertThat(dir.resolve("csv/gateways.csv.unreadable")).hasContent("edited by hand\r\n\"unclosed");
    }

    private List<CSVRecord> rows() throws Exception {
        try (Reader in = Files.newBufferedReader(dir.resolve("csv/gateways.csv"))) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    private static List<Reading> readings(String serial, Map<String, String> extra, long time) {
        return GatewayIdentity.withTags(List.of(
                Reading.of("system", time).tag("gateway", serial).field("production_w", 1.0).build(),
                Reading.of("inverter", time + 5).tag("gateway", serial).tag("serial", "482100000001")
                        .field("watts", 2.0).build()),
                extra);
    }
}
