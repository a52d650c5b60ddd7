package dev.enphaseetl.gateway;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import dev.enphaseetl.config.EnphaseConfig;

/**
 * A gateway list file ({@code enphase.gateways-file}) for fleets too large for the configuration file: CSV with a
 * header row, or YAML (a list of gateways, or a map with a {@code gateways} list), of any size. The keys are those of
 * {@code enphase.gateways[n]}: {@code host} (required), {@code name}, {@code token}, {@code token-file},
 * {@code account}, {@code serial}, {@code username}, {@code password}, {@code certificate-sha256}, and tags as
 * {@code tags.<name>} columns (CSV) or a {@code tags} map (YAML). CSV lines starting with {@code #} are comments.
 *
 * <p>
 * A bad row stops the start with one line naming the file, the line and the fix.
 */
public final class GatewayList {

    /** One gateway of the file and the line it starts on. */
    public record Entry(int line, EnphaseConfig.Gateway gateway) {}

    /** A gateway of the file, shaped as the configuration's. */
    record Listed(String host, Optional<String> name, Optional<String> token, Optional<String> tokenFile,
            Optional<String> account, Optional<String> serial, Optional<String> username, Optional<String> password,
            Optional<String> certificateSha256, Map<String, String> tags) implements EnphaseConfig.Gateway {}

    static final List<String> KEYS = List.of("host", "name", "token", "token-file", "account", "serial", "username",
            "password", "certificate-sha256", "tags");

    private GatewayList() {}

    /** The gateways of {@code file} (CSV unless it ends in .yaml or .yml), in file order. */
    public static List<Entry> read(Path file) {
        String name = file.getFileName() == null
                ? file.toString()
                : file.getFileName().toString()
                        .toLowerCase(Locale.ROOT);
        List<Entry> entries;
        try {
            entries = name.endsWith(".yaml") || name.endsWith(".yml") ? readYaml(file) : readCsv(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("enphase.gateways-file " + file + " does not exist: create it (CSV with"
                    + " a header row such as name,host,token, or YAML) or correct the path");
        } catch (IOException e) {
            throw new IllegalArgumentException("enphase.gateways-file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "): check the path and its permissions");
        }
        Map<String, Integer> ids = new HashMap<>();
        for (Entry e : entries) {
            String id = GatewayRegistry.fromConfig(e.gateway()).id();
            Integer first = ids.putIfAbsent(id, e.line());
            if (first != null) {
                throw problem(file, e.line(), "gateway " + id + " is listed twice (also on line " + first
                        + "): remove one, or give each its own name");
            }
        }
        return entries;
    }

    private static IllegalArgumentException problem(Path file, int line, String what) {
        return new IllegalArgumentException("enphase.gateways-file " + file + " line " + line + ": " + what);
    }

    private static List<Entry> readCsv(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setCommentMarker('#')
                .setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).setTrim(true).get();
        List<Entry> entries = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder().setReader(in).setFormat(format).get()) {
            List<String> header = parser.getHeaderNames();
            int headerLine = 1;
            for (String h : header) {
                if (!KEYS.contains(h) && !h.startsWith("tags.") || h.equals("tags")) {
                    throw problem(file, headerLine, "unknown column '" + h + "': the header names columns among "
                            + String.join(", ", KEYS.subList(0, KEYS.size() - 1)) + " and tags.<name>");
                }
            }
            if (!header.contains("host")) {
                throw problem(file, headerLine, "no 'host' column: the first line is the header, e.g. name,host,token");
            }
            for (CSVRecord r : parser) {
                int line = (int) r.getParser().getCurrentLineNumber();
                if (!r.isConsistent()) {
                    throw problem(file, line, r.size() + " values for " + header.size()
                            + " columns: quote values that hold a comma (\"a,b\")");
                }
                Map<String, String> values = new LinkedHashMap<>();
                Map<String, String> tags = new LinkedHashMap<>();
                for (String h : header) {
                    String v = r.get(h);
                    if (v == null || v.isEmpty()) {
                        continue;
                    }
                    if (h.startsWith("tags.")) {
                        tags.put(h.substring("tags.".length()), v);
                    } else {
                        values.put(h, v);
                    }
                }
                entries.add(new Entry(line, gateway(file, line, values, tags)));
            }
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("enphase.gateways-file " + file + " is not valid CSV ("
                    + e.getCause().getMessage() + "): check the quotes around values");
        }
        return entries;
    }

    private static List<Entry> readYaml(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        // no size limit: a fleet's list may be far larger than SnakeYAML's default of 3 MB
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setCodePointLimit(Integer.MAX_VALUE)
                .build();
        Node root;
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            root = composer.getSingleNode().orElse(null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(1);
            throw problem(file, line, "not valid YAML (" + e.getProblem() + "): check the indentation and quotes");
        }
        if (root == null) {
            return List.of();
        }
        if (root instanceof MappingNode m) {
            Node list = null;
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("gateways")) {
                    list = t.getValueNode();
                }
            }
            if (list == null) {
                throw problem(file, line(root), "expected a list of gateways, or a map with a 'gateways' list");
            }
            root = list;
        }
        if (!(root instanceof SequenceNode seq)) {
            throw problem(file, line(root), "expected a list of gateways (lines starting with '- host: ...')");
        }
        List<Entry> entries = new ArrayList<>(seq.getValue().size());
        for (Node item : seq.getValue()) {
            int line = line(item);
            if (!(item instanceof MappingNode map)) {
                throw problem(file, line, "a gateway is a map of keys (host, name, token, ...), not '"
                        + (item instanceof ScalarNode s ? s.getValue() : item.getNodeType()) + "'");
            }
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, String> tags = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
                int keyLine = line(t.getKeyNode());
                if (!KEYS.contains(key)) {
                    throw problem(file, keyLine,
                            "unknown key '" + key + "': known keys are " + String.join(", ", KEYS));
                }
                if (key.equals("tags")) {
                    if (!(t.getValueNode() instanceof MappingNode tm)) {
                        throw problem(file, keyLine, "tags is a map, e.g. tags: {site: roof}");
                    }
                    for (NodeTuple tt : tm.getValue()) {
                        if (tt.getKeyNode() instanceof ScalarNode tk && tt.getValueNode() instanceof ScalarNode tv) {
                            tags.put(tk.getValue(), tv.getValue());
                        } else {
                            throw problem(file, line(tt.getKeyNode()), "a tag is a name and a value, e.g. site: roof");
                        }
                    }
                } else if (t.getValueNode() instanceof ScalarNode v) {
                    if (!v.getValue().isEmpty()) {
                        values.put(key, v.getValue());
                    }
                } else {
                    throw problem(file, keyLine, key + " takes a single value, not a list or map");
                }
            }
            entries.add(new Entry(line, gateway(file, line, values, tags)));
        }
        return entries;
    }

    private static int line(Node n) {
        return n.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private static EnphaseConfig.Gateway gateway(Path file, int line, Map<String, String> v, Map<String, String> tags) {
        String host = v.get("host");
        if (host == null || host.isBlank()) {
            throw problem(file, line, "no host: give the gateway's address, e.g. 192.168.1.50 or https://envoy.local");
        }
        try {
            URI base = URI.create(host.contains("://") ? host : "https://" + host);
            if (base.getHost() == null || !Set.of("http", "https").contains(base.getScheme())) {
                throw new IllegalArgumentException("no host");
            }
        } catch (IllegalArgumentException e) {
            throw problem(file, line, "host '" + host + "' is not an address: write it like 192.168.1.50 or"
                    + " https://192.168.1.50:443");
        }
        if (v.containsKey("token") && v.containsKey("token-file")) {
            throw problem(file, line, "both token and token-file: keep one");
        }
        return new Listed(host, opt(v, "name"), opt(v, "token"), opt(v, "token-file"), opt(v, "account"),
                opt(v, "serial"), opt(v, "username"), opt(v, "password"), opt(v, "certificate-sha256"),
                Map.copyOf(tags));
    }

    private static Optional<String> opt(Map<String, String> v, String key) {
        return Optional.ofNullable(v.get(key));
    }
}
