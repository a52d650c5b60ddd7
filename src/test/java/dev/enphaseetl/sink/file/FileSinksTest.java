package dev.enphaseetl.sink.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.render.CsvRows;
import dev.enphaseetl.render.LineProtocol;

class FileSinksTest {

    // 2024-03-09T23:59:59Z and one second later, the next UTC day
    static final long LAST_OF_DAY = 1_710_028_799L;
    static final long FIRST_OF_NEXT = LAST_OF_DAY + 1;

    @TempDir
    Path data;

    static Reading system(String gateway, long t, double w) {
        return Reading.of("system", t).tag("gateway", gateway).field("production_w", w)
                .field("production_wh_lifetime", 1_000_000.125 + w).build();
    }

    @Test
    void lineProtocolFilesRotateByTheReadingsUtcDayAndAppend() throws Exception {
        LineProtocolFileSink sink = new LineProtocolFileSink(FileSinkConfig.lineProtocol(data));
        List<Reading> batch1 = List.of(system("g1", LAST_OF_DAY, 1.5), system("g1", FIRST_OF_NEXT, 2.5));
        List<Reading> batch2 = List.of(system("g1", FIRST_OF_NEXT + 60, 3.5));
        sink.deliver(batch1);
        sink.deliver(batch2);

        Path day1 = data.resolve("lineprotocol/enphase-2024-03-09.lp");
        Path day2 = data.resolve("lineprotocol/enphase-2024-03-10.lp");
        assertThat(Files.readString(day1)).isEqualTo(LineProtocol.render(batch1.get(0)) + "\n");
        assertThat(Files.readAllLines(day2)).containsExactly(LineProtocol.render(batch1.get(1)),
                LineProtocol.render(batch2.get(0)));
        try (Stream<Path> files = Files.list(data.resolve("lineprotocol"))) {
            assertThat(files).hasSize(2);
        }
    }

    @Test
    void anIncompleteLineLeftByACrashIsCutBeforeTheNextAppend() throws Exception {
        LineProtocolFileSink sink = new LineProtocolFileSink(FileSinkConfig.lineProtocol(data));
        Reading a = system("g1", LAST_OF_DAY - 60, 1.0);
        Reading b = system("g1", LAST_OF_DAY, 2.0);
        sink.deliver(List.of(a));
        Path file = data.resolve("lineprotocol/enphase-2024-03-09.lp");
        Files.writeString(file, "system,gateway=g1 production_w=9", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        sink.deliver(List.of(b));

        assertThat(Files.readString(file))
                .isEqualTo(LineProtocol.render(a) + "\n" + LineProtocol.render(b) + "\n");
    }

    @Test
    void csvFilesHaveOneHeaderStableColumnsAndReadBackExactly() throws Exception {
        CsvFileSink sink = new CsvFileSink(FileSinkConfig.csv(data));
        Reading formula = Reading.of("inverter", LAST_OF_DAY).tag("gateway", "=HYPERLINK(\"x\")")
                .tag("serial", "12,3").tag("dev_type", "1").field("watts", 251.25).build();
        List<Reading> batch1 = List.of(system("g1", LAST_OF_DAY - 60, 1.5), formula);
        List<Reading> batch2 = List.of(system("g1", LAST_OF_DAY, 2.75), system("g1", FIRST_OF_NEXT, 4.0));
        sink.deliver(batch1);
        sink.deliver(batch2);

        Path sys1 = data.resolve("csv/system/system-2024-03-09.csv");
        Path sys2 = data.resolve("csv/system/system-2024-03-10.csv");
        Path inv1 = data.resolve("csv/inverter/inverter-2024-03-09.csv");
        assertThat(Files.readString(sys1)).startsWith(CsvRows.headerLine("system")).contains("\r\n");

        List<CSVRecord> rows = read(sys1);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("epoch_s")).isEqualTo(Long.toString(LAST_OF_DAY - 60));
        assertThat(rows.get(0).get("time")).isEqualTo("2024-03-09T23:58:59Z");
        assertThat(Double.parseDouble(rows.get(1).get("production_w"))).isEqualTo(2.75);
        assertThat(Double.parseDouble(rows.get(1).get("production_wh_lifetime"))).isEqualTo(1_000_002.875);
        assertThat(rows.get(1).get("consumption_w")).isEmpty();
        assertThat(read(sys2)).hasSize(1);

        List<CSVRecord> inv = read(inv1);
        assertThat(inv.get(0).getParser().getHeaderNames()).isEqualTo(CsvRows.header("inverter"));
        assertThat(inv.get(0).get("gateway")).isEqualTo("'=HYPERLINK(\"x\")");
        assertThat(inv.get(0).get("serial")).isEqualTo("12,3");
        assertThat(inv.get(0).get("max_watts")).isEmpty();
    }

    @Test
    void aFileWithAnOlderHeaderIsNotMixed() throws Exception {
        Path file = data.resolve("csv/system/system-2024-03-09.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "time,epoch_s,gateway,production_w\r\n2024-03-09T00:00:00Z,1709942400,g1,1\r\n");
        new CsvFileSink(FileSinkConfig.csv(data)).deliver(List.of(system("g1", LAST_OF_DAY, 2.0)));

        assertThat(Files.readAllLines(file)).hasSize(2);
        Path v2 = data.resolve("csv/system/system-2024-03-09.v2.csv");
        assertThat(read(v2)).hasSize(1);
    }

    @Test
    void unknownMeasurementIsPermanentAndWritesNothing() {
        CsvFileSink sink = new CsvFileSink(FileSinkConfig.csv(data));
        List<Reading> batch = List.of(system("g1", LAST_OF_DAY, 2.0),
                Reading.of("nope", LAST_OF_DAY).field("x", 1.0).build());
        assertThatThrownBy(() -> sink.deliver(batch)).isInstanceOf(PermanentSinkException.class)
                .hasMessageContaining("nope");
        assertThat(data.resolve("csv")).doesNotExist();
    }

    @Test
    void concurrentWritersOfOneFileNeverInterleaveOrRepeatTheHeader() throws Exception {
        CsvFileSink a = new CsvFileSink(FileSinkConfig.csv(data));
        CsvFileSink b = new CsvFileSink(FileSinkConfig.csv(data));
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            CsvFileSink sink = w % 2 == 0 ? a : b;
            int writer = w;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    List<Reading> batch = new ArrayList<>();
                    for (int k = 0; k < 20; k++) {
                        batch.add(system("g" + writer, LAST_OF_DAY - 3600 + i * 20 + k, writer * 1000 + i + k / 100.0));
                    }
                    sink.deliver(batch);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        Path file = data.resolve("csv/system/system-2024-03-09.csv");
        assertThat(read(file)).hasSize(4 * 50 * 20).allSatisfy(r -> assertThat(r.size()).isEqualTo(
                CsvRows.header("system").size()));
        assertThat(Files.readAllLines(file).stream().filter(l -> l.startsWith("time,"))).hasSize(1);
        // both sink instances keep the one gateways.csv: every gateway listed, none lost to the other's rewrite
        assertThat(read(data.resolve("csv/gateways.csv"))).extracting(r -> r.get("gateway"))
                .containsExactlyInAnyOrder("g0", "g1", "g2", "g3");
    }

    static List<CSVRecord> read(Path file) throws Exception {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            return new ArrayList<>(p.getRecords());
        }
    }
}
