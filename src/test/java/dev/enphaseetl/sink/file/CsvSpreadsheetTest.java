package dev.enphaseetl.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
