package dev.enphaseetl.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Small, total helpers over Jackson trees: a value of the wrong type reads as absent (never as zero), timestamps must
 * be whole epoch seconds in a plausible range, tag values are cleaned so that line protocol can always carry them.
 */
final class Json {

    /** Earliest and latest epoch second accepted as a device timestamp (2000-01-01 .. 2100-01-01). */
    static final long MIN_TIME = 946_684_800L;
    static final long MAX_TIME = 4_102_444_800L;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200).maxNumberLength(400).maxStringLength(1_000_000).build());
    }

    private Json() {}

    static JsonNode read(Endpoint endpoint, String body) throws PayloadException {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new NotDataException(endpoint.path() + ": empty body");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new PayloadException(endpoint.path() + ": malformed JSON" + where);
        }
    }

    /** The number under {@code field}, or null when absent, not a number, or not finite. */
    static Double num(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            return null;
        }
        double d = v.doubleValue();
        return Double.isFinite(d) ? d : null;
    }

    /** The number under {@code field} divided by {@code divisor} (milli-units to base units), or null. */
    static Double scaled(JsonNode node, String field, double divisor) {
        Double v = num(node, field);
        return v == null ? null : v / divisor;
    }

    /** A whole number under {@code field} (e.g. activeCount), or null. */
    static Long integer(JsonNode node, String field) {
        Double v = num(node, field);
        if (v == null || v != Math.rint(v) || Math.abs(v) > 1e15) {
            return null;
        }
        return v.longValue();
    }

    /** A device timestamp in epoch seconds, or null when absent, fractional or implausible. */
    static Long time(JsonNode node, String field) {
        Long t = integer(node, field);
        return t != null && t >= MIN_TIME && t <= MAX_TIME ? t : null;
    }

    /** Text or a plain number under {@code field}, cleaned for use as a tag value; null when absent or empty. */
    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        if (v == null || !(v.isTextual() || v.isIntegralNumber())) {
            return null;
        }
        return cleanTag(v.asText());
    }

    /** Removes control characters and surrounding blanks, limits the length; null when nothing is left. */
    static String cleanTag(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && sb.length() < 64; i++) {
            char c = s.charAt(i);
            if (!Character.isISOControl(c) && Character.getType(c) != Character.LINE_SEPARATOR
                    && Character.getType(c) != Character.PARAGRAPH_SEPARATOR) {
                sb.append(c);
            }
        }
        String t = sb.toString().strip();
        return t.isEmpty() ? null : t;
    }

    static boolean isTrue(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isBoolean() && v.booleanValue();
    }

    /** A short, single-line, printable excerpt for an error message (never the whole payload). */
    static String excerpt(String s, int max) {
        String c = cleanTag(s);
        if (c == null) {
            return "";
        }
        return c.length() <= max ? c : c.substring(0, max) + "...";
    }

    static JsonNode object(Endpoint endpoint, JsonNode node, String what) throws PayloadException {
        if (node == null || !node.isObject()) {
            throw new PayloadException(endpoint.path() + ": " + what + " is not a JSON object");
        }
        return node;
    }

    static JsonNode array(Endpoint endpoint, JsonNode node, String what) throws PayloadException {
        if (node == null || !node.isArray()) {
            throw new PayloadException(endpoint.path() + ": " + what + " is not a JSON array");
        }
        return node;
    }
}
