package dev.enphaseetl.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Serves a folder of real gateway captures: the file name is the request path without the leading {@code /} and
 * with {@code / ? = & space} turned into {@code _}; {@code NAME_log.json} gives the status and content type. The
 * file {@code production.json} answers {@code /production.json?details=1} when {@code production.json_details_1}
 * is absent (as the reference client's test harness does).
 */
final class CaptureReplay implements GatewayBackend {

    private static final Pattern SN = Pattern.compile("<sn>\\s*([^<\\s]+)\\s*</sn>");
    private static final Pattern SOFTWARE = Pattern.compile("<software>\\s*[A-Za-z]*([^<\\s]+)\\s*</software>");

    private final Path dir;
    private final String serial;
    private final String firmware;

    CaptureReplay(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(this.dir)) {
            throw new IllegalArgumentException("capture folder not found: " + dir);
        }
        String info = read(this.dir.resolve("info"));
        this.serial = find(SN, info, this.dir.getFileName().toString().replaceAll("[^A-Za-z0-9]", ""));
        this.firmware = find(SOFTWARE, info, SimulatedGateway.DEFAULT_FIRMWARE);
    }

    private static String find(Pattern p, String text, String fallback) {
        Matcher m = p.matcher(text == null ? "" : text);
        return m.find() ? m.group(1) : fallback;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String serial() {
        return serial;
    }

    @Override
    public String firmware() {
        return firmware;
    }

    static String captureName(String path, String query) {
        String full = path + (query == null || query.isEmpty() ? "" : "?" + query);
        return full.substring(1).replaceAll("[/?=& ]", "_");
    }

    @Override
    public SimResponse respond(String path, String query, Instant now) {
        String name = captureName(path, query);
        Path file = file(name);
        if (file == null && name.equals("production.json_details_1")) {
            name = "production.json";
            file = file(name);
        }
        if (file == null) {
            return SimResponse.notFound();
        }
        String body = read(file);
        JsonNode log = readLog(name);
        int status = log == null ? 200 : log.path("code").asInt(200);
        String type = log == null ? null : header(log.path("headers"), "content-type");
        return new SimResponse(status, type != null ? type : guessType(body), body);
    }

    private Path file(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.endsWith("_log.json")) {
            return null;
        }
        Path file = dir.resolve(name).normalize();
        return file.startsWith(dir) && Files.isRegularFile(file) ? file : null;
    }

    private JsonNode readLog(String name) {
        String text = read(dir.resolve(name + "_log.json"));
        try {
            return text == null ? null : GatewayPayloads.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String header(JsonNode headers, String wanted) {
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> h = it.next();
            if (h.getKey().equalsIgnoreCase(wanted)) {
                return h.getValue().asText();
            }
        }
        return null;
    }

    private static String guessType(String body) {
        String t = body.stripLeading();
        if (t.startsWith("<?xml")) {
            return SimResponse.XML;
        }
        return t.startsWith("{") || t.startsWith("[") ? SimResponse.JSON : SimResponse.HTML;
    }
}
