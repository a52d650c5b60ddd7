package dev.enphaseetl.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.model.Schema;

/**
 * Renders readings of one measurement as RFC 4180 CSV with a stable column order taken from {@link Schema}:
 * {@code time} (ISO-8601 UTC), {@code local_time} (the same instant as {@code yyyy-MM-dd HH:mm:ss} in a zone, the
 * ledger's, a form spreadsheets read as a date-time), {@code epoch_s}, the tags, then the fields. A field the reading
 * lacks is an empty cell. Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
 */
public final class CsvRows {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    /** The local time's form: read as a date-time by LibreOffice Calc and Excel alike. */
    public static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private CsvRows() {}

    public static List<String> header(String measurement) {
        Schema.Measurement m = schema(measurement);
        List<String> header = new ArrayList<>();
        header.add("time");
        header.add("local_time");
        header.add("epoch_s");
        header.addAll(m.tagNames());
        header.addAll(m.fieldNames());
        return header;
    }

    public static String headerLine(String measurement) {
        return print(header(measurement).stream().map(Object.class::cast).toList());
    }

    /** {@link #row(Reading, ZoneId)} with the local time in UTC. */
    public static String row(Reading r) {
        return row(r, ZoneOffset.UTC);
    }

    /**
     * One CSV record, terminated by CRLF, for a reading of a measurement known to the schema; {@code local_time} in
     * {@code zone}.
     */
    public static String row(Reading r, ZoneId zone) {
        Schema.Measurement m = schema(r.measurement());
        List<Object> cells = new ArrayList<>();
        Instant time = Instant.ofEpochSecond(r.time());
        cells.add(time.toString());
        cells.add(LOCAL_TIME.format(time.atZone(zone)));
        cells.add(Long.toString(r.time()));
        for (String tag : m.tagNames()) {
            String v = r.tag(tag);
            cells.add(v == null ? "" : neutralizeFormula(v));
        }
        for (String field : m.fieldNames()) {
            Double v = r.field(field);
            cells.add(v == null ? "" : formatNumber(v));
        }
        return print(cells);
    }

    /** A plain decimal (never an exponent), so that every spreadsheet reads it as the same number. */
    public static String formatNumber(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /**
     * Spreadsheets run a cell starting with {@code = + - @}, tab or carriage return as a formula; such a text cell
     * gets a leading apostrophe (OWASP's advice for CSV injection).
     */
    public static String neutralizeFormula(String text) {
        if (text.isEmpty()) {
            return text;
        }
        char c = text.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
    }

    private static Schema.Measurement schema(String measurement) {
        return Schema.find(measurement)
                .orElseThrow(
                        () -> new IllegalArgumentException("measurement " + measurement + " is not in the schema"));
    }

    private static String print(List<Object> cells) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(sb, FORMAT)) {
            p.printRecord(cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }
}
