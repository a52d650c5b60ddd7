package dev.enphaseetl.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import dev.enphaseetl.model.GatewayIdentity;
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

    /**
     * The whole {@code gateways.csv}: one row per gateway (sorted by serial) with {@code gateway} (the serial),
     * {@code name}, {@code since} (ISO-8601 UTC of the first reading delivered with this name and tags) and one
     * column per extra tag key of any gateway (sorted; empty where a gateway lacks it).
     */
    public static String gateways(Map<GatewayIdentity, Long> identities) {
        TreeSet<String> keys = new TreeSet<>();
        identities.keySet().forEach(id -> keys.addAll(id.tags().keySet()));
        List<Object> header = new ArrayList<>(List.of("gateway", "name", "since"));
        header.addAll(keys);
        StringBuilder sb = new StringBuilder(print(header));
        identities.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(GatewayIdentity::serial)))
                .forEach(e -> {
                    GatewayIdentity id = e.getKey();
                    List<Object> cells = new ArrayList<>();
                    cells.add(neutralizeFormula(id.serial()));
                    cells.add(id.name() == null ? "" : neutralizeFormula(id.name()));
                    cells.add(Instant.ofEpochSecond(e.getValue()).toString());
                    for (String k : keys) {
                        cells.add(neutralizeFormula(id.tags().getOrDefault(k, "")));
                    }
                    sb.append(print(cells));
                });
        return sb.toString();
    }

    /** Reads back what {@link #gateways(Map)} wrote (the identities and their {@code since}). */
    public static Map<GatewayIdentity, Long> parseGateways(String csv) {
        Map<GatewayIdentity, Long> out = new LinkedHashMap<>();
        try (CSVParser parser = CSVParser.parse(csv, FORMAT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            List<String> names = parser.getHeaderNames();
            for (CSVRecord rec : parser) {
                TreeMap<String, String> tags = new TreeMap<>();
                for (String k : names.subList(Math.min(3, names.size()), names.size())) {
                    String v = restoreFormula(rec.get(k));
                    if (!v.isEmpty()) {
                        tags.put(k, v);
                    }
                }
                String name = restoreFormula(rec.get("name"));
                out.put(new GatewayIdentity(restoreFormula(rec.get("gateway")), name.isEmpty() ? null : name, tags),
                        Instant.parse(rec.get("since")).getEpochSecond());
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a gateways.csv written by enphase-etl: " + e.getMessage(), e);
        }
        return out;
    }

    private static String restoreFormula(String cell) {
        return cell.length() > 1 && cell.charAt(0) == '\'' && neutralizeFormula(cell.substring(1)).equals(cell)
                ? cell.substring(1)
                : cell;
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
