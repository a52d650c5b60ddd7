package dev.enphaseetl.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads back the line protocol enphase-etl writes (float fields, second timestamps), so that tests can compare
 * files with what a database holds. Test-only: it knows just the subset the renderer produces.
 */
public final class LineProtocolLines {

    public record Point(String measurement, Map<String, String> tags, Map<String, Double> fields, long time) {
        public String seriesKey() {
            return measurement + tags + "@" + time;
        }

        /**
         * The point InfluxDB and the SQL upserts keep when {@code later} (same series and time) is written after this
         * one: fields of both, the later value winning.
         */
        Point mergedWith(Point later) {
            if (!seriesKey().equals(later.seriesKey())) {
                throw new IllegalArgumentException(seriesKey() + " vs " + later.seriesKey());
            }
            Map<String, Double> merged = new TreeMap<>(fields);
            merged.putAll(later.fields);
            return new Point(measurement, tags, merged, time);
        }
    }

    private LineProtocolLines() {}

    /** measurement -> series key -> point, fields of same-key lines merged in file order (later wins). */
    public static Map<String, Map<String, Point>> merged(List<String> lines) {
        Map<String, Map<String, Point>> out = new TreeMap<>();
        for (String line : lines) {
            Point p = parse(line);
            out.computeIfAbsent(p.measurement(), k -> new LinkedHashMap<>()).merge(p.seriesKey(), p,
                    Point::mergedWith);
        }
        return out;
    }

    public static Point parse(String line) {
        List<String> sections = split(line, ' ');
        if (sections.size() != 3) {
            throw new IllegalArgumentException("not a line of three sections: " + line);
        }
        List<String> head = split(sections.get(0), ',');
        Map<String, String> tags = new TreeMap<>();
        for (String kv : head.subList(1, head.size())) {
            List<String> p = split(kv, '=');
            tags.put(unescape(p.get(0)), unescape(p.get(1)));
        }
        Map<String, Double> fields = new TreeMap<>();
        for (String kv : split(sections.get(1), ',')) {
            List<String> p = split(kv, '=');
            fields.put(unescape(p.get(0)), Double.parseDouble(p.get(1)));
        }
        return new Point(unescape(head.get(0)), tags, fields, Long.parseLong(sections.get(2)));
    }

    private static List<String> split(String s, char sep) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == ',' || s.charAt(i + 1) == ' '
                    || s.charAt(i + 1) == '=')) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == sep) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    private static String unescape(String s) {
        return s.replace("\\,", ",").replace("\\ ", " ").replace("\\=", "=");
    }
}
