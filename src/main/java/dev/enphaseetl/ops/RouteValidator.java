package dev.enphaseetl.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import dev.enphaseetl.parse.Endpoint;

/**
 * Checks route files before a restart: YAML syntax, Camel YAML DSL structure (unknown EIP keys), ids duplicated
 * across files, endpoint ids, bean references and {@code {{enphase.*}}} placeholders. Route templates are checked
 * through their instances: a {@code templatedRoute} must name a known template and only its parameters, and the
 * template's steps are checked with the instance's values filled in. Prints one line per problem as
 * {@code FILE:LINE: message}; exit code 1 on problems, 0 with {@code N files OK}.
 *
 * <pre>java -cp 'target/quarkus-app/lib/main/*:target/classes' dev.enphaseetl.ops.RouteValidator routes/</pre>
 */
public final class RouteValidator {

    /** One problem found in a route file; {@code line} is 1-based (0 = unknown). */
    public record Problem(String file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([?!]?)([^}]+)}}");

    private final BeanRegistry beans;
    private final ConfigKeys configKeys;
    private final List<String> endpointIds = Arrays.stream(Endpoint.values()).map(Endpoint::id).toList();

    private final List<Problem> problems = new ArrayList<>();
    /** id -> where it was first seen ("file:line"). */
    private final Map<String, String> seenIds = new LinkedHashMap<>();
    /** Static endpoint URIs of the current file (from, to, wireTap, ...) with their options, to resolve in Camel. */
    private final List<EndpointRef> endpointRefs = new ArrayList<>();

    private record EndpointRef(Node at, String uri, Map<String, String> parameters, Map<String, Node> parameterNodes) {}

    private static final Set<String> URI_STEPS = Set.of("from", "to", "wireTap", "enrich",
            "pollEnrich", "interceptSendToEndpoint");

    /** route ids (route: and templatedRoute:, not routeConfiguration or step ids) in the order seen. */
    private final List<String> routeIds = new ArrayList<>();

    /** Route templates of all files by id, collected before the files are checked. */
    private final Map<String, Template> templates = new LinkedHashMap<>();
    /** The text of each file that defines a route template, so that Camel can load another file's instances. */
    private final Map<String, String> templateFiles = new LinkedHashMap<>();
    /** True while walking a routeTemplate: its endpoints are checked per instance, with the values filled in. */
    private boolean inTemplate;

    private record Template(String id, String file, Map<String, String> defaults, MappingNode route) {}

    public RouteValidator() {
        this(BeanRegistry.load(), ConfigKeys.fromEnphaseConfig());
    }

    RouteValidator(BeanRegistry beans, ConfigKeys configKeys) {
        this.beans = beans;
        this.configKeys = configKeys;
    }

    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        System.exit(rc);
    }

    /** Runs the validator as the command does; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> files;
        try {
            files = collect(args.length == 0 ? new String[]{"routes/"} : args);
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (files.isEmpty()) {
            err.println("error: no *.yaml route files in " + String.join(" ", args));
            return 2;
        }
        RouteValidator v = new RouteValidator();
        List<Problem> found = v.validate(files);
        found.forEach(p -> out.println(p));
        if (!found.isEmpty()) {
            out.println(found.size() + " problem(s) in " + files.size() + " file(s)");
            return 1;
        }
        out.println(files.size() + " files OK");
        return 0;
    }

    static List<Path> collect(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".yaml")
                            || f.getFileName().toString().endsWith(".yml"))
                            .filter(Files::isRegularFile)
                            .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                            .forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IllegalArgumentException("no such file or directory: " + a);
            }
        }
        return files;
    }

    /** Validates the files together (ids must be unique over all of them). */
    public List<Problem> validate(List<Path> files) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path f : files) {
            String name = f.toString();
            try {
                texts.put(name, Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                problems.add(new Problem(name, 0, "cannot read: " + e.getMessage()));
            }
        }
        // templates first: an instance may use a template of another file
        texts.forEach(this::collectTemplates);
        texts.forEach(this::validateText);
        // a template's step is checked once per instance: the same problem is reported once
        return problems.stream().distinct().toList();
    }

    private void collectTemplates(String file, String text) {
        Node root;
        try {
            root = compose(text);
        } catch (RuntimeException e) {
            return; // reported when the file is checked
        }
        if (!(root instanceof SequenceNode seq)) {
            return;
        }
        for (Node item : seq.getValue()) {
            if (item instanceof MappingNode m && get(m, "routeTemplate") instanceof MappingNode t
                    && scalar(get(t, "id")) != null && get(t, "route") instanceof MappingNode route) {
                Map<String, String> defaults = new LinkedHashMap<>();
                if (get(t, "parameters") instanceof SequenceNode params) {
                    for (Node p : params.getValue()) {
                        if (p instanceof MappingNode pm && scalar(get(pm, "name")) != null) {
                            defaults.put(scalar(get(pm, "name")), scalar(get(pm, "defaultValue")));
                        }
                    }
                }
                templates.putIfAbsent(scalar(get(t, "id")), new Template(scalar(get(t, "id")), file, defaults, route));
                templateFiles.put(file, text);
            }
        }
    }

    /** The ids of {@code route:} entries seen so far, in order. */
    public List<String> routeIds() {
        return List.copyOf(routeIds);
    }

    void validateText(String file, String text) {
        Node root;
        try {
            root = compose(text);
        } catch (MarkedYamlEngineException e) {
            String context = e.getContext() == null ? "" : " (" + oneLine(e.getContext()) + ")";
            problems.add(new Problem(file, line(e), "YAML syntax error: " + oneLine(e.getProblem()) + context));
            return;
        } catch (RuntimeException e) {
            problems.add(new Problem(file, 0, "YAML syntax error: " + oneLine(e.getMessage())));
            return;
        }
        if (root == null) {
            problems.add(new Problem(file, 1, "empty file"));
            return;
        }
        endpointRefs.clear();
        checkStructure(file, root);
        loadWithCamel(file, text);
    }

    private static Node compose(String text) {
        LoadSettings settings = LoadSettings.builder().setLabel("routes").build();
        Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
        Optional<Node> node = composer.getSingleNode();
        return node.orElse(null);
    }

    // ---- checks on the YAML tree ---------------------------------------------------------------------------------

    private void checkStructure(String file, Node root) {
        if (!(root instanceof SequenceNode seq)) {
            problems.add(new Problem(file, line(root),
                    "a route file is a YAML list (- route: ..., - routeConfiguration: ...)"));
            return;
        }
        for (Node item : seq.getValue()) {
            if (item instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    String kind = scalar(t.getKeyNode());
                    if ("route".equals(kind)) {
                        checkRoute(file, t.getValueNode());
                    } else if ("templatedRoute".equals(kind) && t.getValueNode() instanceof MappingNode tr) {
                        checkTemplatedRoute(file, tr);
                    }
                }
            }
        }
        walk(file, root, null);
    }

    private void checkRoute(String file, Node routeNode) {
        if (!(routeNode instanceof MappingNode route)) {
            return;
        }
        Node idNode = get(route, "id");
        String id = scalar(idNode);
        if (id != null) {
            routeIds.add(id);
        }
        checkPollRouteId(file, idNode, route);
    }

    /** A timer route named poll-X must name an endpoint X. */
    private void checkPollRouteId(String file, Node idNode, MappingNode route) {
        String id = scalar(idNode);
        Node from = get(route, "from");
        String uri = from instanceof MappingNode fm ? scalar(get(fm, "uri")) : null;
        if (uri != null && uri.startsWith("timer:") && id != null && id.startsWith("poll-")) {
            String endpoint = id.substring("poll-".length());
            if (!endpointIds.contains(endpoint)) {
                problems.add(new Problem(file, line(idNode), "unknown endpoint '" + endpoint + "' in route id '" + id
                        + "' (known: " + String.join(", ", endpointIds) + ")"));
            }
        }
    }

    /**
     * An instance of a route template: the template must exist, the parameters must be the template's and the
     * required ones given; then the template's steps are checked with the instance's values, problems pointing at
     * the instance (the parameter that was filled in, else the template reference).
     */
    private void checkTemplatedRoute(String file, MappingNode instance) {
        Node refNode = get(instance, "routeTemplateRef");
        Node routeIdNode = get(instance, "routeId");
        String routeId = scalar(routeIdNode);
        if (routeId != null) {
            routeIds.add(routeId);
            recordId(file, routeIdNode);
        }
        String ref = scalar(refNode);
        if (ref == null) {
            return; // Camel reports the missing routeTemplateRef
        }
        Template template = templates.get(ref);
        if (template == null) {
            problems.add(new Problem(file, line(refNode), "unknown route template '" + ref + "' (known: "
                    + (templates.isEmpty() ? "none" : String.join(", ", templates.keySet())) + ")"));
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Node> valueNodes = new LinkedHashMap<>();
        template.defaults().forEach((k, v) -> {
            if (v != null) {
                values.put(k, v);
            }
        });
        if (get(instance, "parameters") instanceof SequenceNode params) {
            for (Node p : params.getValue()) {
                if (!(p instanceof MappingNode pm)) {
                    continue;
                }
                Node nameNode = get(pm, "name");
                String name = scalar(nameNode);
                if (name == null) {
                    continue;
                }
                if (!template.defaults().containsKey(name)) {
                    problems.add(new Problem(file, line(nameNode), "route template '" + ref + "' has no parameter '"
                            + name + "' (parameters: " + String.join(", ", template.defaults().keySet()) + ")"));
                    continue;
                }
                Node valueNode = get(pm, "value");
                values.put(name, scalar(valueNode) == null ? "" : scalar(valueNode));
                valueNodes.put(name, valueNode == null ? nameNode : valueNode);
            }
        }
        List<String> missing = template.defaults().keySet().stream().filter(k -> !values.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            problems.add(new Problem(file, line(refNode), "route template '" + ref + "' needs parameter(s) "
                    + String.join(", ", missing)));
            return;
        }
        MappingNode route = (MappingNode) expand(template.route(), values, valueNodes, refNode);
        if (routeId != null) {
            checkPollRouteId(file, routeIdNode, route);
        }
        walkInstance(file, route, null);
    }

    /** A copy of a template's node with the parameter values filled in; scalars keep the line they come from. */
    private static Node expand(Node node, Map<String, String> values, Map<String, Node> valueNodes, Node fallback) {
        if (node instanceof MappingNode m) {
            List<NodeTuple> tuples = new ArrayList<>();
            for (NodeTuple t : m.getValue()) {
                tuples.add(new NodeTuple(t.getKeyNode(), expand(t.getValueNode(), values, valueNodes, fallback)));
            }
            return new MappingNode(m.getTag(), true, tuples, m.getFlowStyle(), m.getStartMark(), m.getEndMark());
        }
        if (node instanceof SequenceNode s) {
            List<Node> items = new ArrayList<>();
            for (Node n : s.getValue()) {
                items.add(expand(n, values, valueNodes, fallback));
            }
            return new SequenceNode(s.getTag(), true, items, s.getFlowStyle(), s.getStartMark(), s.getEndMark());
        }
        if (node instanceof ScalarNode sc && sc.getValue().contains("{{")) {
            String text = sc.getValue();
            Node at = null;
            for (Map.Entry<String, String> v : values.entrySet()) {
                String ph = "{{" + v.getKey() + "}}";
                if (text.contains(ph)) {
                    text = text.replace(ph, v.getValue());
                    if (at == null) {
                        at = valueNodes.get(v.getKey());
                    }
                }
            }
            if (!text.equals(sc.getValue())) {
                Node where = at != null ? at : fallback;
                return new ScalarNode(sc.getTag(), true, text, sc.getScalarStyle(), where.getStartMark(),
                        where.getEndMark());
            }
        }
        return node;
    }

    /** The checks of {@link #walk} on an expanded template, without ids (the template's own are recorded once). */
    private void walkInstance(String file, Node node, String parentKey) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                String key = scalar(t.getKeyNode());
                Node value = t.getValueNode();
                if ("setHeader".equals(key) && value instanceof MappingNode sh) {
                    checkEndpointHeader(file, sh);
                } else if ("bean".equals(key) && value instanceof MappingNode bean) {
                    checkBean(file, bean);
                }
                if (URI_STEPS.contains(key)) {
                    recordEndpoint(value);
                }
                walkInstance(file, value, key);
            }
        } else if (node instanceof SequenceNode s) {
            for (Node n : s.getValue()) {
                walkInstance(file, n, parentKey);
            }
        } else if (node instanceof ScalarNode sc) {
            checkPlaceholders(file, sc);
            checkBeanUri(file, sc);
        }
    }

    /** Walks every node: ids, setHeader endpoint, bean refs, placeholders. */
    private void walk(String file, Node node, String parentKey) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                String key = scalar(t.getKeyNode());
                Node value = t.getValueNode();
                if ("id".equals(key) && value instanceof ScalarNode) {
                    recordId(file, value);
                } else if ("setHeader".equals(key) && value instanceof MappingNode sh) {
                    checkEndpointHeader(file, sh);
                } else if ("bean".equals(key) && value instanceof MappingNode bean) {
                    checkBean(file, bean);
                } else if ("ref".equals(key) && value instanceof ScalarNode && !"bean".equals(parentKey)) {
                    checkBeanName(file, value, scalar(value));
                }
                if (URI_STEPS.contains(key) && !inTemplate) {
                    recordEndpoint(value);
                }
                if ("routeTemplate".equals(key)) {
                    inTemplate = true;
                    walk(file, value, key);
                    inTemplate = false;
                    continue;
                }
                walk(file, value, key);
            }
        } else if (node instanceof SequenceNode s) {
            for (Node n : s.getValue()) {
                walk(file, n, parentKey);
            }
        } else if (node instanceof ScalarNode sc) {
            checkPlaceholders(file, sc);
            checkBeanUri(file, sc);
        }
    }

    /** A {@code bean:NAME} or {@code ref:NAME} endpoint names a bean that exists. */
    private void checkBeanUri(String file, ScalarNode sc) {
        String v = sc.getValue();
        if (v.startsWith("bean:") || v.startsWith("ref:")) {
            String name = v.substring(v.indexOf(':') + 1).split("[?:]")[0];
            checkBeanName(file, sc, name);
        }
    }

    private void recordEndpoint(Node step) {
        String uri;
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, Node> paramNodes = new LinkedHashMap<>();
        if (step instanceof ScalarNode sc) {
            uri = sc.getValue();
        } else if (step instanceof MappingNode m) {
            uri = scalar(get(m, "uri"));
            if (get(m, "parameters") instanceof MappingNode pm) {
                for (NodeTuple t : pm.getValue()) {
                    String k = scalar(t.getKeyNode());
                    String v = scalar(t.getValueNode());
                    if (k == null || v == null) {
                        return; // not a plain option list: leave it to Camel at start
                    }
                    params.put(k, v);
                    paramNodes.put(k, t.getKeyNode());
                }
            }
        } else {
            return;
        }
        if (uri != null && !uri.contains("${")) {
            endpointRefs.add(new EndpointRef(step, uri, params, paramNodes));
        }
    }

    private void recordId(String file, Node idNode) {
        String id = scalar(idNode);
        String here = file + ":" + line(idNode);
        String first = seenIds.putIfAbsent(id, here);
        if (first != null) {
            problems.add(new Problem(file, line(idNode), "duplicate id '" + id + "' (first at " + first + ")"));
        }
    }

    private void checkEndpointHeader(String file, MappingNode sh) {
        if (!"endpoint".equals(scalar(get(sh, "name")))) {
            return;
        }
        Node c = get(sh, "constant");
        if (c instanceof MappingNode cm) {
            c = get(cm, "expression");
        }
        String value = scalar(c);
        if (value != null && !value.contains("{{") && !endpointIds.contains(value)) {
            problems.add(new Problem(file, line(c), "unknown endpoint '" + value + "' (known: "
                    + String.join(", ", endpointIds) + ")"));
        }
    }

    private void checkBean(String file, MappingNode bean) {
        Node ref = get(bean, "ref");
        String name = scalar(ref);
        if (name == null) {
            return;
        }
        if (!checkBeanName(file, ref, name)) {
            return;
        }
        Node methodNode = get(bean, "method");
        String method = scalar(methodNode);
        if (method == null) {
            return;
        }
        String methodName = method.contains("(") ? method.substring(0, method.indexOf('(')).trim() : method.trim();
        Optional<Class<?>> type = beans.type(name);
        if (type.isPresent() && Arrays.stream(type.get().getMethods()).map(Method::getName)
                .noneMatch(methodName::equals)) {
            problems.add(new Problem(file, line(methodNode), "bean '" + name + "' (" + type.get().getSimpleName()
                    + ") has no public method '" + methodName + "'"));
        }
    }

    private boolean checkBeanName(String file, Node at, String name) {
        if (name == null || name.isBlank() || name.contains("{{")) {
            return false;
        }
        if (!beans.names().contains(name)) {
            problems.add(new Problem(file, line(at), "unknown bean '" + name + "' (known: "
                    + String.join(", ", new TreeSet<>(beans.names())) + ")"));
            return false;
        }
        return true;
    }

    private void checkPlaceholders(String file, ScalarNode sc) {
        Matcher m = PLACEHOLDER.matcher(sc.getValue());
        while (m.find()) {
            String key = m.group(2).trim();
            int colon = key.indexOf(':');
            if (colon >= 0) {
                key = key.substring(0, colon);
            }
            if (!key.startsWith("enphase.") || key.contains("{{")) {
                continue; // a template's {{enphase.x.{{param}}.y}} is checked per instance
            }
            Optional<String> problem = configKeys.check(key);
            problem.ifPresent(p -> problems.add(new Problem(file, line(sc), p)));
        }
    }

    // ---- Camel YAML DSL ------------------------------------------------------------------------------------------

    private void loadWithCamel(String file, String text) {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            templateFiles.forEach((other, otherText) -> {
                if (!other.equals(file)) {
                    try { // the templates this file's instances may use; that file's own problems are its own
                        PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString(
                                Path.of(other).getFileName().toString(), otherText));
                    } catch (Exception e) {
                        // reported when that file is checked
                    }
                }
            });
            PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString(
                    Path.of(file).getFileName().toString(), text));
            checkEndpoints(file, ctx);
        } catch (Exception e) {
            MarkedYamlEngineException marked = findMarked(e);
            if (marked != null) {
                problems.add(new Problem(file, line(marked), "Camel YAML DSL: " + oneLine(marked.getProblem())));
            } else {
                problems.add(new Problem(file, 0, "Camel YAML DSL: " + oneLine(rootMessage(e))));
            }
        }
    }

    /**
     * Creates each static endpoint (without starting it) so that unknown components and endpoint options are found.
     * Placeholders resolve to their inline default, else to the EnphaseConfig default; an endpoint whose placeholders
     * have neither is skipped.
     */
    private void checkEndpoints(String file, DefaultCamelContext ctx) {
        ctx.getPropertiesComponent().addPropertiesSource(new ConfigDefaults(configKeys));
        // endpoint options that reference a bean (#inboxOrder) need one of the right type in the registry
        for (String name : beans.names()) {
            beans.type(name).ifPresent(type -> {
                try {
                    ctx.getRegistry().bind(name, type.getDeclaredConstructor().newInstance());
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // beans needing injection are only checked by name and method
                }
            });
        }
        for (EndpointRef ref : endpointRefs) {
            if (ref.uri().startsWith("bean:") || ref.uri().startsWith("ref:")) {
                continue; // checked by name (checkBeanUri): most beans need injection and are not in this registry
            }
            StringBuilder uri = new StringBuilder(ref.uri());
            char sep = ref.uri().contains("?") ? '&' : '?';
            for (Map.Entry<String, String> p : ref.parameters().entrySet()) {
                uri.append(sep).append(p.getKey()).append("=RAW(").append(p.getValue()).append(')');
                sep = '&';
            }
            try {
                ctx.getEndpoint(uri.toString());
            } catch (ResolveEndpointFailedException e) {
                String msg = rootMessage(e);
                if (msg.contains("Property with key") && msg.contains("not found")) {
                    continue; // a placeholder without any default: only the running application knows it
                }
                int line = line(ref.at());
                Matcher unknown = Pattern.compile("Unknown parameters=\\[\\{([^=}]+)=").matcher(msg);
                if (unknown.find() && ref.parameterNodes().containsKey(unknown.group(1))) {
                    line = line(ref.parameterNodes().get(unknown.group(1)));
                }
                problems.add(new Problem(file, line, "endpoint '" + ref.uri() + "': " + oneLine(shorten(msg))));
            } catch (RuntimeException e) {
                String msg = rootMessage(e);
                if (msg.contains("Property with key") && msg.contains("not found")) {
                    continue;
                }
                problems.add(
                        new Problem(file, line(ref.at()), "endpoint '" + ref.uri() + "': " + oneLine(shorten(msg))));
            }
        }
    }

    private static String shorten(String msg) {
        int i = msg.indexOf("Unknown parameters=");
        if (i >= 0) {
            return "unknown option(s) " + msg.substring(i + "Unknown parameters=".length());
        }
        return msg;
    }

    /** Serves EnphaseConfig defaults to Camel's property placeholders (only enphase.* keys with a default). */
    private static final class ConfigDefaults implements PropertiesSource {
        private final ConfigKeys keys;

        ConfigDefaults(ConfigKeys keys) {
            this.keys = keys;
        }

        @Override
        public String getName() { return "enphase-config-defaults"; }

        @Override
        public String getProperty(String name) {
            return keys.defaultValue(name).orElse(null);
        }
    }

    private static MarkedYamlEngineException findMarked(Throwable e) {
        MarkedYamlEngineException found = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException m && m.getProblemMark().isPresent()) {
                found = m; // keep the innermost: it points at the offending key
            }
        }
        return found;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static Node get(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (key.equals(scalar(t.getKeyNode()))) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    private static int line(Node n) {
        return n == null ? 0 : n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static int line(MarkedYamlEngineException e) {
        return e.getProblemMark().or(e::getContextMark).map(Mark::getLine).map(l -> l + 1).orElse(0);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.replaceAll("\\s+", " ").trim();
    }
}
