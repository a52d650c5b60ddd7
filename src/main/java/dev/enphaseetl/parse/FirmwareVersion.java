package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.List;

/** A gateway firmware version such as {@code D8.2.4264} or {@code R3.9.36}, compared numerically part by part. */
public record FirmwareVersion(List<Integer> parts) implements Comparable<FirmwareVersion> {

    public static final FirmwareVersion METERED_NOCT_STALLED_API_V1 = parse("8.2.4264");
    public static final FirmwareVersion TOTAL_CONSUMPTION_IS_NET = parse("8.3.5433");

    public FirmwareVersion {
        parts = List.copyOf(parts);
    }

    /** Parses the numeric parts after an optional letter prefix; null when there is no number at all. */
    public static FirmwareVersion parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        int i = 0;
        while (i < s.length() && Character.isLetter(s.charAt(i))) {
            i++;
        }
        List<Integer> parts = new ArrayList<>();
        for (String p : s.substring(i).split("\\.", 6)) {
            int end = 0;
            while (end < p.length() && end < 9 && Character.isDigit(p.charAt(end))) {
                end++;
            }
            if (end == 0) {
                break;
            }
            parts.add(Integer.parseInt(p.substring(0, end)));
            if (end < p.length()) {
                break;
            }
        }
        return parts.isEmpty() ? null : new FirmwareVersion(parts);
    }

    public boolean atLeast(FirmwareVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(FirmwareVersion o) {
        for (int i = 0; i < Math.max(parts.size(), o.parts.size()); i++) {
            int a = i < parts.size() ? parts.get(i) : 0;
            int b = i < o.parts.size() ? o.parts.get(i) : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }
}
