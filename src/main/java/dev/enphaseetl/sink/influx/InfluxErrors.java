package dev.enphaseetl.sink.influx;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.influxdb.InfluxDBIOException;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.Redactor;
import dev.enphaseetl.delivery.SinkException;
import dev.enphaseetl.delivery.SinkFailures;
import dev.enphaseetl.delivery.TransientSinkException;

/**
 * Turns a failed write into {@link TransientSinkException} (sink down: kept and retried) or
 * {@link PermanentSinkException} (the lines are refused for their content, naming them where the server did), by the
 * rule of {@link SinkFailures#influx}.
 */
final class InfluxErrors {

    private static final Pattern UNABLE_TO_PARSE = Pattern.compile("unable to parse '(.*?)': ");
    private static final Pattern TYPE_CONFLICT = Pattern.compile(
            "input field \\\\?\"(.+?)\\\\?\" on measurement \\\\?\"(.+?)\\\\?\" is type (\\w+)");

    private InfluxErrors() {}

    static SinkException classify(RuntimeException e, int status, List<String> lines, Redactor redactor) {
        String server = redactor.redact(e.getMessage());
        if (e instanceof InfluxDBIOException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new TransientSinkException("InfluxDB unreachable: " + cause.getClass().getSimpleName() + ": "
                    + redactor.redact(cause.getMessage()), null);
        }
        if (SinkFailures.influx(status, server) == SinkFailures.Verdict.DOWN) {
            return new TransientSinkException("InfluxDB cannot take the write now (HTTP " + status + "), data kept for"
                    + " retry: " + server, null);
        }
        List<String> rejected = rejectedLines(server, lines);
        String which = rejected.isEmpty()
                ? "the server did not say which lines"
                : rejected.size() + " of " + lines.size() + " lines rejected";
        return new PermanentSinkException("InfluxDB rejected the batch (HTTP " + status + "; " + which + "): " + server,
                rejected, null);
    }

    /** The lines the server message points at: quoted unparsable lines, or lines carrying a conflicting field. */
    static List<String> rejectedLines(String message, List<String> lines) {
        Set<String> out = new LinkedHashSet<>();
        Matcher parse = UNABLE_TO_PARSE.matcher(message);
        while (parse.find()) {
            out.add(parse.group(1));
        }
        Matcher conflict = TYPE_CONFLICT.matcher(message);
        while (conflict.find()) {
            String field = conflict.group(1);
            String measurement = conflict.group(2);
            String incomingType = conflict.group(3);
            for (String line : lines) {
                if (measurementOf(line).equals(measurement) && incomingType.equals(fieldType(line, field))) {
                    out.add(line);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The measurement name of a line: up to the first unescaped comma or space, unescaped. */
    static String measurementOf(String line) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                sb.append(line.charAt(++i));
            } else if (c == ',' || c == ' ') {
                break;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The line protocol type (float, integer, unsigned, string, boolean) of a field in a line, or "" if absent. */
    static String fieldType(String line, String field) {
        String key = field.replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ");
        int fieldSet = fieldSetStart(line);
        if (fieldSet < 0) {
            return "";
        }
        String fields = line.substring(fieldSet);
        int at = fields.startsWith(key + "=") ? 0 : fields.indexOf("," + key + "=") + 1;
        if (at == 0 && !fields.startsWith(key + "=")) {
            return "";
        }
        String value = fields.substring(at + key.length() + 1);
        if (value.startsWith("\"")) {
            return "string";
        }
        int end = 0;
        while (end < value.length() && value.charAt(end) != ',' && value.charAt(end) != ' ') {
            end++;
        }
        String v = value.substring(0, end);
        if (v.endsWith("i")) {
            return "integer";
        }
        if (v.endsWith("u")) {
            return "unsigned";
        }
        if (v.matches("(?i)t|true|f|false")) {
            return "boolean";
        }
        return "float";
    }

    private static int fieldSetStart(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ' ') {
                return i + 1;
            }
        }
        return -1;
    }
}
