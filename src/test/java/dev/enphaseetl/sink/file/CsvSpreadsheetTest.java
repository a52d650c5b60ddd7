package dev.enphaseetl.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.model.Reading;

/**
 * Opens a CSV written by {@link CsvFileSink} in LibreOffice Calc (headless round trip CSV -> Calc -> CSV): numbers must
 * come back unchanged and a formula-looking tag must stay text. Skipped, with a message, when soffice is absent
 * (install with {@code apt-get install -y libreoffice-calc-nogui}).
 */
class CsvSpreadsheetTest {

    @TempDir
    Path data;

    @Test
    void libreOfficeReadsNumbersExactlyAndRunsNoFormula() throws Exception {
        String soffice = findSoffice();
        Assumptions.assumeTrue(soffice != null,
                "soffice (LibreOffice) not found on PATH: skipping the spreadsheet round-trip test");

        Reading r = Reading.of("inverter", 1_710_028_739L).tag("gateway", "=1+1").tag("serial", "482101")
                .tag("dev_type", "1").field("watts", 251.25).field("max_watts", 1_000_002.875).build();
        new CsvFileSink(FileSinkConfig.csv(data)).deliver(List.of(r));
        Path csv = data.resolve("csv/inverter/inverter-2024-03-09.csv");
        // control: the same cell without neutralizing is evaluated by Calc, so the check below is meaningful
        Path control = data.resolve("control.csv");
        Files.writeString(control, "a,b\r\n=1+1,x\r\n");

        Path out = data.resolve("out");
        Process p = new ProcessBuilder(soffice, "-env:UserInstallation=" + data.resolve("profile").toUri(),
                "--headless", "--infilter=CSV:44,34,76,1", "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", out.toString(), csv.toString(),
                control.toString()).redirectErrorStream(true).redirectOutput(data.resolve("soffice.log").toFile())
                .start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("soffice finished in time").isTrue();

        List<CSVRecord> control2 = FileSinksTest.read(out.resolve("control.csv"));
        assertThat(control2.get(0).get("a")).as("LibreOffice evaluates unneutralized formulas").isEqualTo("2");

        List<CSVRecord> rows = FileSinksTest.read(out.resolve(csv.getFileName()));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("gateway")).isEqualTo("'=1+1");
        assertThat(Double.parseDouble(rows.get(0).get("watts"))).isEqualTo(251.25);
        assertThat(Double.parseDouble(rows.get(0).get("max_watts"))).isEqualTo(1_000_002.875);
        assertThat(rows.get(0).get("epoch_s")).isEqualTo("1710028739");
    }

    /**
     * The way docs/schema.md gives to keep 12-digit serials readable: import the gateway and serial columns (4 and 5)
     * as text. Converted to XLSX, those cells are text (all digits kept), while a digit column imported without the
     * option (epoch_s) becomes a number, and local_time becomes a date-time (a number with a date format).
     */
    @Test
    void serialsImportedAsTextStayTextAndLocalTimeIsADate() throws Exception {
        String soffice = findSoffice();
        Assumptions.assumeTrue(soffice != null,
                "soffice (LibreOffice) not found on PATH: skipping the spreadsheet round-trip test");
        Reading r = Reading.of("inverter", 1_710_028_739L).tag("gateway", "122134567890")
                .tag("serial", "482101234567").tag("dev_type", "1").field("watts", 251.25).build();
        new CsvFileSink(FileSinkConfig.csv(data), ZoneId.of("Europe/Berlin")).deliver(List.of(r));
        Path csv = data.resolve("csv/inverter/inverter-2024-03-09.csv");
        Path out = data.resolve("xlsx");
        // as in docs/schema.md: soffice --headless --infilter="CSV:44,34,76,1,4/2/5/2" --convert-to xlsx FILE
        Process p = new ProcessBuilder(soffice, "-env:UserInstallation=" + data.resolve("profile").toUri(),
                "--headless", "--infilter=CSV:44,34,76,1,4/2/5/2", "--convert-to", "xlsx", "--outdir",
                out.toString(), csv.toString()).redirectErrorStream(true)
                .redirectOutput(data.resolve("soffice.log").toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("soffice finished in time").isTrue();
        Path xlsx = out.resolve("inverter-2024-03-09.xlsx");
        String sheet;
        String strings;
        try (ZipFile zip = new ZipFile(xlsx.toFile())) {
            sheet = new String(zip.getInputStream(zip.getEntry("xl/worksheets/sheet1.xml")).readAllBytes(),
                    StandardCharsets.UTF_8);
            strings = new String(zip.getInputStream(zip.getEntry("xl/sharedStrings.xml")).readAllBytes(),
                    StandardCharsets.UTF_8);
        }
        assertThat(cell(sheet, "D2")).as("gateway serial cell").contains("t=\"s\"");
        assertThat(cell(sheet, "E2")).as("inverter serial cell").contains("t=\"s\"");
        assertThat(strings).contains(">122134567890<", ">482101234567<");
        assertThat(cell(sheet, "C2")).as("epoch_s without the option: a number").doesNotContain("t=\"s\"")
                .contains("<v>1710028739</v>");
        // 2024-03-10 00:58:59 in Berlin: day 45361 since 1899-12-30, plus the time of day
        assertThat(cell(sheet, "B2")).as("local_time: a date-time").doesNotContain("t=\"s\"")
                .contains("<v>45361.04");
    }

    /** The XML of one cell of an XLSX sheet, up to its value. */
    private static String cell(String sheet, String ref) {
        Matcher m = Pattern.compile("<c r=\"" + ref + "\"[^>]*>(<v>[^<]*</v>)?")
                .matcher(sheet);
        assertThat(m.find()).as("cell " + ref + " in " + sheet).isTrue();
        return m.group();
    }

    private static String findSoffice() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("soffice", "libreoffice")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }
}
