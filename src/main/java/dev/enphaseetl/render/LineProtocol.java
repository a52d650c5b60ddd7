package dev.enphaseetl.render;

import java.util.List;
import java.util.Map;

import dev.enphaseetl.model.Reading;

/**
 * Renders readings as InfluxDB line protocol with second precision.
 *
 * <p>
 * Escaping follows the InfluxDB reference: measurement escapes comma and space; tag keys, tag values and field keys
 * escape comma, equals and space; quotes are literal. A backslash is written as is; one at the end of a name or
 * before a comma, space, equals sign or another backslash is rejected, because InfluxDB 1.x and 2.x read it
 * differently. Field values are always floats. Line breaks cannot be escaped in line protocol and are rejected.
 */
public final class LineProtocol {

    private LineProtocol() {}

    public static String render(List<Reading> readings) {
        StringBuilder sb = new StringBuilder(readings.size() * 160);
        for (Reading r : readings) {
            append(sb, r);
            sb.append('\n');
        }
        return sb.toString();
    }

    public static String render(Reading r) {
        StringBuilder sb = new StringBuilder(160);
        append(sb, r);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Reading r) {
        escape(sb, r.measurement(), false);
        for (Map.Entry<String, String> t : r.tags().entrySet()) {
            sb.append(',');
            escape(sb, t.getKey(), true);
            sb.append('=');
            escape(sb, t.getValue(), true);
        }
        char sep = ' ';
        for (Map.Entry<String, Double> f : r.fields().entrySet()) {
            sb.append(sep);
            sep = ',';
            escape(sb, f.getKey(), true);
            sb.append('=');
            appendFloat(sb, f.getValue());
        }
        sb.append(' ').append(r.time());
    }

    /** A float as InfluxDB parses it back to the same double: shortest round-trip form, never an integer literal. */
    public static String formatFloat(double v) {
        StringBuilder sb = new StringBuilder(24);
        appendFloat(sb, v);
        return sb.toString();
    }

    private static void appendFloat(StringBuilder sb, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("line protocol cannot carry " + v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            // -0.0 too: "0.0" is the same value to InfluxDB
            sb.append((long) v).append(".0");
            return;
        }
        int from = sb.length();
        sb.append(v);
        // Double.toString uses "1.0E-5"; line protocol accepts "1.0e-05"-style exponents, keep it lower case.
        for (int i = from; i < sb.length(); i++) {
            if (sb.charAt(i) == 'E') {
                sb.setCharAt(i, 'e');
            }
        }
    }

    private static void escape(StringBuilder sb, String s, boolean escapeEquals) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("line protocol names and tag values cannot be empty");
        }
        if (plain(s)) {
            sb.append(s);
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n', '\r' -> throw new IllegalArgumentException(
                        "line protocol cannot carry a line break (in " + quoteForError(s) + ")");
                case ',', ' ' -> sb.append('\\').append(c);
                case '=' -> {
                    if (escapeEquals) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
                case '\\' -> {
                    // InfluxDB 1.x keeps "\\\\" as two backslashes, 2.x reads it as one: a backslash is only portable
                    // when it is followed by an ordinary character
                    char next = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
                    if (next == ',' || next == ' ' || next == '=' || next == '\\') {
                        throw new IllegalArgumentException("line protocol cannot portably carry a backslash at the end"
                                + " or before a comma, space, equals sign or backslash (in " + quoteForError(s) + ")");
                    }
                    sb.append(c);
                }
                default -> sb.append(c);
            }
        }
    }

    /** Whether {@code s} has no character that needs escaping or checking (the usual case: names, serials). */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || c == '=' || c == '\\' || c == '\n' || c == '\r') {
                return false;
            }
        }
        return true;
    }

    private static String quoteForError(String s) {
        return '"' + s.replace("\n", "\\n").replace("\r", "\\r") + '"';
    }
}
