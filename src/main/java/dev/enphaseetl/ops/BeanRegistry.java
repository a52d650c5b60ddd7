package dev.enphaseetl.ops;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import jakarta.inject.Named;

/**
 * The beans a route file may reference by name: every class under {@code dev.enphaseetl} annotated with
 * {@code @jakarta.inject.Named("...")}, found on the class path (a classes directory or the application jar). When
 * the scan finds nothing (an unusual class path), the fixed list {@link #KNOWN} is used.
 */
public final class BeanRegistry {

    /** The named beans of this version; {@code RouteValidatorTest} checks that the class path scan agrees. */
    static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("gatewayFetcher", "dev.enphaseetl.gateway.GatewayFetcher"),
            Map.entry("gatewayTokens", "dev.enphaseetl.auth.GatewayTokens"),
            Map.entry("sinkDeadLetters", "dev.enphaseetl.sink.SinkDeadLetters"),
            Map.entry("sinks", "dev.enphaseetl.sink.Sinks"),
            Map.entry("lineProtocolDelivery", "dev.enphaseetl.sink.LineProtocolDelivery"),
            Map.entry("csvDelivery", "dev.enphaseetl.sink.CsvDelivery"),
            Map.entry("influxDelivery", "dev.enphaseetl.sink.InfluxDelivery"),
            Map.entry("jdbcDelivery", "dev.enphaseetl.sink.JdbcDelivery"),
            Map.entry("readingExtractor", "dev.enphaseetl.pipeline.ReadingExtractor"),
            Map.entry("pollScheduler", "dev.enphaseetl.pipeline.PollScheduler"),
            Map.entry("pollProblems", "dev.enphaseetl.pipeline.PollProblems"),
            Map.entry("livePolls", "dev.enphaseetl.pipeline.LivePolls"),
            Map.entry("staleEndpoints", "dev.enphaseetl.pipeline.StaleEndpoints"),
            Map.entry("spoolEntries", "dev.enphaseetl.spool.SpoolEntries"),
            Map.entry("render", "dev.enphaseetl.render.RenderSteps"),
            Map.entry("spool", "dev.enphaseetl.spool.Spool"),
            Map.entry("ledgerUpdate", "dev.enphaseetl.ledger.LedgerUpdate"),
            Map.entry("cloudRound", "dev.enphaseetl.history.CloudRound"),
            Map.entry("statusLine", "dev.enphaseetl.status.StatusLine"),
            Map.entry("inboxImport", "dev.enphaseetl.pipeline.InboxImport"),
            Map.entry("inboxOrder", "dev.enphaseetl.pipeline.InboxImport$Order"),
            Map.entry("payloadParser", "dev.enphaseetl.parse.DefaultPayloadParser"),
            Map.entry("pageApi", "dev.enphaseetl.web.PageApi"),
            Map.entry("roles", "dev.enphaseetl.config.Roles"),
            Map.entry("kafkaDelivery", "dev.enphaseetl.sink.KafkaDelivery"),
            Map.entry("centralDelivery", "dev.enphaseetl.central.CentralDelivery"),
            Map.entry("centralErrors", "dev.enphaseetl.central.CentralErrors"));

    private static final String ROOT = "dev/enphaseetl";

    private final Map<String, Class<?>> beans;

    BeanRegistry(Map<String, Class<?>> beans) {
        this.beans = Collections.unmodifiableMap(beans);
    }

    public Set<String> names() {
        return beans.keySet();
    }

    public Optional<Class<?>> type(String name) {
        return Optional.ofNullable(beans.get(name));
    }

    public static BeanRegistry load() {
        Map<String, Class<?>> scanned = scan();
        if (!scanned.isEmpty()) {
            return new BeanRegistry(scanned);
        }
        Map<String, Class<?>> fixed = new LinkedHashMap<>();
        KNOWN.forEach((name, cls) -> fixed.put(name, loadOrNull(cls)));
        return new BeanRegistry(fixed);
    }

    /** Named beans found on the class path, by name. */
    static Map<String, Class<?>> scan() {
        Map<String, Class<?>> found = new LinkedHashMap<>();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = BeanRegistry.class.getClassLoader();
        }
        try {
            Enumeration<URL> roots = cl.getResources(ROOT);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                for (String className : classNames(url)) {
                    Class<?> c;
                    try {
                        c = Class.forName(className, false, cl);
                    } catch (Throwable e) {
                        continue;
                    }
                    Named named = c.getAnnotation(Named.class);
                    if (named != null && !named.value().isEmpty()) {
                        found.putIfAbsent(named.value(), c);
                    }
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return found;
    }

    private static Iterable<String> classNames(URL url) throws IOException {
        List<String> names = new ArrayList<>();
        if ("file".equals(url.getProtocol())) {
            Path dir;
            try {
                dir = Path.of(url.toURI());
            } catch (URISyntaxException e) {
                return names;
            }
            Path base = dir.getParent().getParent(); // above dev/enphaseetl
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.toString().endsWith(".class")).forEach(p -> names.add(toClassName(
                        base.relativize(p).toString().replace('\\', '/'))));
            }
        } else if ("jar".equals(url.getProtocol())) {
            JarURLConnection conn = (JarURLConnection) url.openConnection();
            conn.setUseCaches(false);
            try (JarFile jar = conn.getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    String n = entries.nextElement().getName();
                    if (n.startsWith(ROOT + "/") && n.endsWith(".class")) {
                        names.add(toClassName(n));
                    }
                }
            }
        }
        return names;
    }

    private static String toClassName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    private static Class<?> loadOrNull(String name) {
        try {
            return Class.forName(name, false, BeanRegistry.class.getClassLoader());
        } catch (Throwable e) {
            return null;
        }
    }
}
