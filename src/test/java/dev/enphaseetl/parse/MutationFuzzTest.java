package dev.enphaseetl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.render.LineProtocol;

/**
 * Mutated captures (fields removed, types changed, numbers as strings, NaN/Infinity tokens, huge values, truncated
 * JSON, garbage bytes) never make the parser throw anything but PayloadException with a reason, and never produce a
 * reading that fails a strict line-protocol check. Seeded, so failures reproduce.
 */
class MutationFuzzTest {

    private static final long SEED = 20_240_901L;
    private static final int ROUNDS_PER_PAYLOAD = 40;

    private static final String NAME = "[a-z][a-z0-9_]*";
    private static final String TAG_VALUE = "(?:\\\\[,= \\\\]|\\\\(?=[^,= \\\\])|[^,= \\\\\\n\\r])+";
    private static final String FLOAT = "-?[0-9]+\\.[0-9]+(?:e-?[0-9]+)?";
    private static final Pattern LINE = Pattern.compile(NAME + "(?:," + NAME + "=" + TAG_VALUE + ")* " + NAME + "="
            + FLOAT + "(?:," + NAME + "=" + FLOAT + ")* [0-9]{9,10}");

    private final DefaultPayloadParser parser = new DefaultPayloadParser();
    private int runs;
    private int rejected;
    private int accepted;

    private record Payload(Path folder, Endpoint endpoint, String body) {}

    @Test
    @Timeout(120) // a guard against a parser that hangs on a mutated payload, not a speed check
    void mutatedPayloadsNeverLeakOtherExceptionsNorUnrenderableReadings() throws Exception {
        Random random = new Random(SEED);
        List<Payload> payloads = payloads();
        assertThat(payloads).hasSizeGreaterThan(50);
        long start = System.nanoTime();
        for (Payload p : payloads) {
            for (int i = 0; i < ROUNDS_PER_PAYLOAD; i++) {
                String mutated = mutate(p.body(), random);
                check(p, mutated, 200);
            }
            check(p, p.body(), 200 + random.nextInt(3) * 100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("fuzz: %d parses (%d rejected with a reason, %d accepted), %.1f s%n", runs, rejected,
                accepted, seconds);
        assertThat(runs).isGreaterThan(3000);
    }

    @Test
    void lineCheckIsStrict() {
        assertThat(LINE.matcher("system,gateway=12 production_w=1.0 1700000000").matches()).isTrue();
        assertThat(LINE.matcher("system,gateway=a\\ b x_w=1.5e-05 1700000000").matches()).isTrue();
        assertThat(LINE.matcher("system,gateway=a b x_w=1.0 1700000000").matches()).isFalse();
        assertThat(LINE.matcher("system x_w=NaN 1700000000").matches()).isFalse();
        assertThat(LINE.matcher("system x_w=1 1700000000").matches()).isFalse();
    }

    private void check(Payload p, String body, int status) throws Exception {
        GatewayState state = preparedState(p.folder());
        runs++;
        try {
            List<Reading> readings = parser.parse("gw-1", p.endpoint(), status, body, state);
            accepted++;
            for (Reading r : readings) {
                assertThat(r.fields().values()).allMatch(Double::isFinite);
                String line = LineProtocol.render(r);
                assertThat(LINE.matcher(line).matches()).as("%s from %s: %s", p.endpoint(), p.folder(), line)
                        .isTrue();
            }
        } catch (PayloadException e) {
            rejected++;
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(300);
        } catch (Throwable t) {
            throw new AssertionError(p.endpoint() + " of " + p.folder() + " leaked " + t, t);
        }
    }

    /** /info and /ivp/meters of the folder parsed, and a known device time, so every parser gets past its checks. */
    private final Map<Path, GatewayState> templates = new HashMap<>();

    private GatewayState preparedState(Path folder) throws Exception {
        GatewayState t = folder == null ? null : templates.get(folder);
        if (t == null) {
            t = freshState(folder);
            if (folder != null) {
                templates.put(folder, t);
            }
        }
        GatewayState s = new GatewayState();
        s.setInfo(t.serial().orElse(null), t.firmware().orElse(null), t.partNumber().orElse(null),
                t.metered().orElse(null));
        s.setMeters(t.meters().orElseThrow());
        s.observeDeviceTime(t.latestDeviceTime().getAsLong());
        return s;
    }

    private GatewayState freshState(Path folder) throws Exception {
        GatewayState s = new GatewayState();
        s.observeDeviceTime(1_700_000_000L);
        for (Endpoint ep : List.of(Endpoint.INFO, Endpoint.IVP_METERS)) {
            Path f = folder == null ? null : folder.resolve(ep.captureName());
            if (f != null && Files.exists(f)) {
                try {
                    parser.parse("gw-1", ep, 200, Fixtures.read(f), s);
                } catch (PayloadException e) {
                    // not data on this firmware
                }
            }
        }
        if (s.meters().isEmpty()) {
            s.setMeters(List.of(new MeterConfig(704643328L, true, "production", "split", 2)));
        }
        return s;
    }

    private static List<Payload> payloads() throws Exception {
        List<Payload> list = new ArrayList<>();
        for (Path folder : Fixtures.captureFolders()) {
            for (var e : Converter.captures(folder, Converter.ProductionFile.DETAILS_FIRST).entrySet()) {
                list.add(new Payload(folder, e.getKey(), Fixtures.read(e.getValue())));
            }
        }
        String[][] seeds = {{"production.json", "PRODUCTION_JSON"}, {"production_details.json", "PRODUCTION_JSON"},
                {"api_v1_production.json", "API_V1_PRODUCTION"},
                {"api_v1_production_inverters.json", "API_V1_PRODUCTION_INVERTERS"},
                {"ivp_meters.json", "IVP_METERS"}, {"ivp_meters_readings.json", "IVP_METERS_READINGS"},
                {"ivp_pdm_energy.json", "IVP_PDM_ENERGY"}, {"ivp_livedata_status.json", "IVP_LIVEDATA_STATUS"},
                {"ivp_meters_reports_consumption.json", "IVP_METERS_REPORTS_CONSUMPTION"}};
        for (String[] s : seeds) {
            list.add(new Payload(null, Endpoint.valueOf(s[1]), Fixtures.read(Fixtures.SEED.resolve(s[0]))));
        }
        return list;
    }

    static String mutate(String body, Random random) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return body.substring(0, random.nextInt(Math.max(1, body.length())));
        }
        if (kind == 1) {
            return replaceRandomNumber(body, random,
                    List.of("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e308", "\"12\"", "null", "true")
                            .get(random.nextInt(9)));
        }
        if (kind == 2) {
            String garbage = "{}[]\",:\\\n\u0000x9-";
            StringBuilder sb = new StringBuilder(body);
            for (int i = 0; i < 3 && sb.length() > 0; i++) {
                sb.setCharAt(random.nextInt(sb.length()), garbage.charAt(random.nextInt(garbage.length())));
            }
            return sb.toString();
        }
        JsonNode tree;
        try {
            tree = Fixtures.MAPPER.readTree(body);
        } catch (Exception e) {
            return body; // HTML, XML, error pages: keep them as they are
        }
        if (tree == null) {
            return body;
        }
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            mutateTree(tree, random);
        }
        return tree.toString();
    }

    private static String replaceRandomNumber(String body, Random random, String token) {
        var m = Pattern.compile("(?<=[:\\[,]\\s{0,8})-?[0-9][0-9.eE+-]*").matcher(body);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[]{m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return body;
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        return body.substring(0, s[0]) + token + body.substring(s[1]);
    }

    private static void mutateTree(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return;
        }
        JsonNode c = containers.get(random.nextInt(containers.size()));
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode replacement = switch (random.nextInt(9)) {
            case 0 -> null; // remove
            case 1 -> f.textNode(Integer.toString(random.nextInt(100_000)));
            case 2 -> f.numberNode(1e308);
            case 3 -> f.numberNode(-1e308 * random.nextDouble());
            case 4 -> f.nullNode();
            case 5 -> f.booleanNode(random.nextBoolean());
            case 6 -> f.objectNode().put("x", 1);
            case 7 -> f.arrayNode().add(1).add("two");
            default -> f.textNode("a,b c=d\\\n\ttab" + random.nextInt(10));
        };
        if (c instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (replacement == null) {
                o.remove(name);
            } else {
                o.set(name, replacement);
            }
        } else if (c instanceof ArrayNode a && a.size() > 0) {
            int i = random.nextInt(a.size());
            if (replacement == null) {
                a.remove(i);
            } else {
                a.set(i, replacement);
            }
        }
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode() && n.size() > 0) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext();) {
                collect(it.next(), out);
            }
        }
    }
}
