package dev.enphaseetl.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The parameters of the page's API, checked: a time range ({@code day}, or {@code from}/{@code to}) and a number of
 * chart points, turned into a bucket width. Each mistake gives one line naming the parameter and the form expected.
 */
public final class PageQuery {

    public static final int DEFAULT_POINTS = 1000;
    public static final int MAX_POINTS = 10_000;
    static final long MAX_SPAN_S = 20L * 366 * 86_400;

    /** A half-open range {@code [from, to)} in epoch seconds. */
    public record Range(long from, long to) {
        public long bucket(int points) {
            return Math.max(1, (to - from + points - 1) / points);
        }
    }

    private PageQuery() {}

    /**
     * {@code day} (ISO date, local in {@code zone}) wins; otherwise {@code from} (default: {@code to} minus one day)
     * and {@code to} (default: now), each an ISO date (its start in {@code zone}), an ISO instant or epoch seconds.
     */
    public static Range range(String day, String from, String to, ZoneId zone, Instant now) {
        if (present(day)) {
            LocalDate d = date("day", day);
            return new Range(d.atStartOfDay(zone).toEpochSecond(), d.plusDays(1).atStartOfDay(zone).toEpochSecond());
        }
        long t = present(to) ? instant("to", to, zone) : now.getEpochSecond();
        long f = present(from) ? instant("from", from, zone) : t - 86_400;
        if (f >= t) {
            throw new IllegalArgumentException("from must be before to (got from=" + from + ", to=" + to + ")");
        }
        if (t - f > MAX_SPAN_S) {
            throw new IllegalArgumentException("the range from=" + from + " to=" + to + " is longer than 20 years");
        }
        return new Range(f, t);
    }

    public static int points(String points) {
        if (!present(points)) {
            return DEFAULT_POINTS;
        }
        try {
            int p = Integer.parseInt(points.trim());
            if (p >= 2 && p <= MAX_POINTS) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // the message below
        }
        throw new IllegalArgumentException("points must be a whole number from 2 to " + MAX_POINTS + ", not '"
                + shorten(points) + "'");
    }

    /** A gateway id as the archive's tag: at most 64 characters. */
    public static String gateway(String gateway) {
        if (!present(gateway)) {
            return null;
        }
        if (gateway.length() > 64) {
            throw new IllegalArgumentException("gateway must be a gateway id of at most 64 characters");
        }
        return gateway.trim();
    }

    public static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(name + " must be a date like 2024-06-21, not '" + shorten(value) + "'");
        }
    }

    static long instant(String name, String value, ZoneId zone) {
        String v = value.trim();
        try {
            if (v.matches("-?\\d{1,12}")) {
                return Long.parseLong(v);
            }
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(zone).toEpochSecond();
            }
            return Instant.parse(v).getEpochSecond();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(name + " must be a date (2024-06-21), an instant (2024-06-21T12:00:00Z)"
                    + " or epoch seconds, not '" + shorten(value) + "'");
        }
    }

    static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String shorten(String s) {
        String t = s.replaceAll("[\\p{Cntrl}]", "?");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
