package dev.enphaseetl.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.model.Schema;

class CsvRowsTest {

    private static List<CSVRecord> parse(String csv) throws Exception {
        return CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
    }

    private static Reading meter(String type, String phase) {
        TreeMap<String, String> tags = new TreeMap<>();
        tags.put("gateway", "122");
        tags.put("eid", "704643328");
        tags.put("type", type);
        tags.put("phase", phase);
        TreeMap<String, Double> fields = new TreeMap<>();
        fields.put("active_power_w", -36.5);
        fields.put("voltage_v", 235.201);
        return new Reading("meter", tags, fields, 1693745133L);
    }

    @Test
    void headerIsTimeLocalTimeEpochTagsThenFieldsInSchemaOrder() {
        Schema.Measurement m = Schema.find("meter").orElseThrow();
        List<String> header = CsvRows.header("meter");
        assertThat(header.subList(0, 3)).containsExactly("time", "local_time", "epoch_s");
        assertThat(header.subList(3, 3 + m.tags().size())).containsExactlyElementsOf(m.tagNames());
        assertThat(header.subList(3 + m.tags().size(), header.size())).containsExactlyElementsOf(m.fieldNames());
    }

    @Test
    void localTimeIsInTheGivenZoneAcrossADaylightSavingChange() throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2023-10-29 00:30 UTC is 02:30 CEST; 01:30 UTC is 02:30 CET (the clocks went back at 01:00 UTC)
        Reading summer = new Reading("meter", meter("net-consumption", "L1").tags(),
                new TreeMap<>(Map.of("voltage_v", 1.0)),
                1698539400L);
        Reading winter = new Reading("meter", meter("net-consumption", "L1").tags(),
                new TreeMap<>(Map.of("voltage_v", 1.0)),
                1698543000L);
        List<CSVRecord> rows = parse(CsvRows.headerLine("meter") + CsvRows.row(summer, berlin)
                + CsvRows.row(winter, berlin) + CsvRows.row(winter));
        assertThat(rows.get(1).get(0)).isEqualTo("2023-10-29T00:30:00Z");
        assertThat(rows.get(1).get(1)).isEqualTo("2023-10-29 02:30:00");
        assertThat(rows.get(2).get(1)).as("the repeated hour: the UTC and epoch columns tell them apart")
                .isEqualTo("2023-10-29 02:30:00");
        assertThat(rows.get(2).get(2)).isEqualTo("1698543000");
        assertThat(rows.get(3).get(1)).as("without a zone: UTC").isEqualTo("2023-10-29 01:30:00");
    }

    @Test
    void absentFieldIsAnEmptyCellAndTimeIsIsoUtc() throws Exception {
        String csv = CsvRows.headerLine("meter") + CsvRows.row(meter("net-consumption", "L1"));
        List<CSVRecord> records = parse(csv);
        assertThat(records).hasSize(2);
        CSVRecord header = records.get(0);
        CSVRecord row = records.get(1);
        assertThat(row.size()).isEqualTo(header.size());
        assertThat(row.get(0)).isEqualTo("2023-09-03T12:45:33Z");
        assertThat(row.get(1)).isEqualTo("2023-09-03 12:45:33");
        assertThat(row.get(2)).isEqualTo("1693745133");
        int voltage = header.toList().indexOf("voltage_v");
        int current = header.toList().indexOf("current_a");
        assertThat(row.get(voltage)).isEqualTo("235.201");
        assertThat(row.get(current)).isEmpty();
        assertThat(row.get(header.toList().indexOf("active_power_w"))).isEqualTo("-36.5");
    }

    @Test
    void rowsEndWithCrlfAndQuoteCommasQuotesAndLineBreaks() throws Exception {
        String row = CsvRows.row(meter("a,b \"c\"\nd", "L1"));
        assertThat(row).endsWith("\r\n");
        assertThat(row).contains("\"a,b \"\"c\"\"\nd\"");
        assertThat(parse(row).get(0).get(5)).isEqualTo("a,b \"c\"\nd");
    }

    @Test
    void textThatASpreadsheetWouldRunAsAFormulaIsNeutralized() throws Exception {
        for (String evil : List.of("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx")) {
            CSVRecord rec = parse(CsvRows.row(meter(evil, "L1"))).get(0);
            assertThat(rec.get(5)).isEqualTo("'" + evil);
        }
        assertThat(CsvRows.neutralizeFormula("production")).isEqualTo("production");
    }

    @Test
    void numbersArePlainDecimalsNeverExponents() {
        assertThat(CsvRows.formatNumber(1e-7)).isEqualTo("0.0000001");
        assertThat(CsvRows.formatNumber(2.5e20)).isEqualTo("250000000000000000000");
        assertThat(CsvRows.formatNumber(5.0)).isEqualTo("5");
        assertThat(CsvRows.formatNumber(-0.025)).isEqualTo("-0.025");
    }
}
