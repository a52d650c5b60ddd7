package dev.enphaseetl.ledger;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.render.CsvRows;

/**
 * The ledger as CSV, one file per year ({@code <dataDir>/ledger/ledger-YYYY.csv}), rows sorted by day then gateway.
 * An upsert reads the year file, replaces the rows of the same gateway and day, writes a temporary file in the same
 * directory, fsyncs it and renames it over the old one atomically: a reader sees the old or the new file, never a mix.
 */
public class LedgerCsvStore {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private final Path directory;

    public LedgerCsvStore(Path directory) {
        this.directory = directory;
    }

    /** {@code <dataDir>/ledger} */
    public static LedgerCsvStore inDataDir(Path dataDir) {
        return new LedgerCsvStore(dataDir.resolve("ledger"));
    }

    public Path file(int year) {
        return directory.resolve("ledger-" + year + ".csv");
    }

    public synchronized void upsert(List<LedgerDay> days) {
        Map<Integer, List<LedgerDay>> byYear = new TreeMap<>();
        days.forEach(d -> byYear.computeIfAbsent(d.day().getYear(), y -> new ArrayList<>()).add(d));
        for (Map.Entry<Integer, List<LedgerDay>> e : byYear.entrySet()) {
            Path file = file(e.getKey());
            try {
                Map<String, LedgerDay> rows = new TreeMap<>();
                for (LedgerDay d : read(file)) {
                    rows.put(key(d), d);
                }
                for (LedgerDay d : e.getValue()) {
                    rows.put(key(d), d);
                }
                writeAtomically(file, new ArrayList<>(rows.values()));
            } catch (IOException ex) {
                throw new TransientSinkException("cannot update " + file + ": " + ex, ex);
            }
        }
    }

    private static String key(LedgerDay d) {
        return d.day() + "\u0000" + d.gateway();
    }

    public List<LedgerDay> read(Path file) throws IOException {
        List<LedgerDay> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser p = FORMAT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            for (CSVRecord rec : p) {
                out.add(new LedgerDay(unneutralize(rec.get("gateway")), LocalDate.parse(rec.get("day")),
                        rec.get("zone"), num(rec.get("produced_kwh")), num(rec.get("consumed_kwh")),
                        num(rec.get("imported_kwh")), num(rec.get("exported_kwh")),
                        num(rec.get("self_consumption_pct")), num(rec.get("self_sufficiency_pct")),
                        rec.get("grid_source"),
                        rec.get("flags").isEmpty()
                                ? Set.of()
                                : Set.copyOf(Arrays.asList(rec.get("flags").split(";")))));
            }
        }
        return out;
    }

    private void writeAtomically(Path file, List<LedgerDay> rows) throws IOException {
        Files.createDirectories(directory);
        Path tmp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                    CSVPrinter p = new CSVPrinter(w, FORMAT)) {
                p.printRecord(LedgerColumns.CSV);
                for (LedgerDay d : rows) {
                    List<Object> cells = new ArrayList<>();
                    cells.add(CsvRows.neutralizeFormula(d.gateway()));
                    cells.add(d.day().toString());
                    ZonedDateTime start = dayStart(d);
                    cells.add(start == null ? "" : start.toInstant().toString());
                    cells.add(start == null ? "" : CsvRows.LOCAL_TIME.format(start));
                    cells.add(d.zone());
                    for (BigDecimal n : LedgerColumns.numbers(d)) {
                        cells.add(n == null ? "" : n.stripTrailingZeros().toPlainString());
                    }
                    cells.add(d.gridSource());
                    cells.add(d.flagText());
                    p.printRecord(cells);
                }
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException | UnsupportedOperationException ignored) {
                // directory fsync is not possible everywhere
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The first instant of the row's day in its zone; null when the zone is not one. */
    private static ZonedDateTime dayStart(LedgerDay d) {
        try {
            return d.day().atStartOfDay(ZoneId.of(d.zone()));
        } catch (DateTimeException | NullPointerException e) {
            return null;
        }
    }

    private static BigDecimal num(String s) {
        return s.isEmpty() ? null : new BigDecimal(s);
    }

    private static String unneutralize(String s) {
        return s.length() > 1 && s.charAt(0) == '\'' && CsvRows.neutralizeFormula(s.substring(1)).equals(s)
                ? s.substring(1)
                : s;
    }
}
