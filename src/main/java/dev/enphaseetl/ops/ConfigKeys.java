package dev.enphaseetl.ops;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.parse.Endpoint;

/**
 * The {@code enphase.*} configuration keys, derived from {@link EnphaseConfig} by reflection with the SmallRye naming
 * rules used there: {@code @WithName} or the method name in kebab case; a nested interface is a group; a
 * {@code Map} adds a segment chosen by the user ({@code *}); a {@code List} of groups is indexed ({@code [*]});
 * {@code @WithParentName} maps into the parent. Keys under {@code enphase.poll.<endpoint-id>} must name an endpoint.
 */
public final class ConfigKeys {

    private final List<String> patterns;
    private final Map<String, String> defaults;

    private ConfigKeys(List<String> patterns, Map<String, String> defaults) {
        this.patterns = List.copyOf(patterns);
        this.defaults = Map.copyOf(defaults);
    }

    public static ConfigKeys fromEnphaseConfig() {
        List<String> out = new ArrayList<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        String prefix = EnphaseConfig.class.getAnnotation(ConfigMapping.class).prefix();
        collect(EnphaseConfig.class, prefix, out, defaults);
        return new ConfigKeys(out, defaults);
    }

    /** The {@code @WithDefault} value of a concrete key (no map or list segment), if it has one. */
    public Optional<String> defaultValue(String key) {
        return Optional.ofNullable(defaults.get(key));
    }

    /** Key patterns such as {@code enphase.sink.influxdb.url}, {@code enphase.poll.*.period}, {@code enphase.gateways[*].host}. */
    public List<String> patterns() {
        return patterns;
    }

    /** A problem with this key, or empty when it is a configuration key of EnphaseConfig. */
    public Optional<String> check(String key) {
        for (String p : patterns) {
            if (matches(p, key)) {
                if (p.startsWith("enphase.poll.*.")) {
                    String id = key.substring("enphase.poll.".length(), key.lastIndexOf('.'));
                    if (Endpoint.byId(id).isEmpty()) {
                        return Optional.of("unknown endpoint '" + id + "' in placeholder '" + key + "' (known: "
                                + String.join(", ", Arrays.stream(Endpoint.values()).map(Endpoint::id).toList()) + ")");
                    }
                }
                return Optional.empty();
            }
        }
        return Optional.of("unknown placeholder key '" + key + "': not a key of EnphaseConfig (close: "
                + String.join(", ", close(key)) + ")");
    }

    private List<String> close(String key) {
        String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.') + 1) : key;
        TreeSet<String> near = new TreeSet<>();
        for (String p : patterns) {
            if (p.startsWith(parent) || matches(p.contains(".") ? p.substring(0, p.lastIndexOf('.') + 1) + "x" : p,
                    parent + "x")) {
                near.add(p);
            }
        }
        return near.isEmpty() ? List.of("see EnphaseConfig") : List.copyOf(near);
    }

    static boolean matches(String pattern, String key) {
        String regex = "\\Q" + pattern.replace("[*]", "\u0001").replace("*", "\u0002") + "\\E";
        regex = regex.replace("\u0001", "\\E\\[[0-9]+]\\Q").replace("\u0002", "\\E[^.]+\\Q");
        return key.matches(regex);
    }

    private static void collect(Class<?> group, String prefix, List<String> out, Map<String, String> defaults) {
        for (Method m : group.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String name = m.isAnnotationPresent(WithParentName.class) ? null : name(m);
            String path = name == null ? prefix : prefix + "." + name;
            addType(m.getGenericReturnType(), path, out, defaults);
            WithDefault d = m.getAnnotation(WithDefault.class);
            if (d != null && !path.contains("*")) {
                defaults.put(path, d.value());
            }
        }
    }

    private static void addType(Type type, String path, List<String> out, Map<String, String> defaults) {
        if (type instanceof ParameterizedType pt) {
            Class<?> raw = (Class<?>) pt.getRawType();
            Type[] args = pt.getActualTypeArguments();
            if (raw == Optional.class) {
                addType(args[0], path, out, defaults);
                return;
            }
            if (List.class.isAssignableFrom(raw)) {
                if (args[0] instanceof Class<?> c && c.isInterface() && isGroup(c)) {
                    collect(c, path + "[*]", out, defaults);
                } else {
                    out.add(path);
                }
                return;
            }
            if (Map.class.isAssignableFrom(raw)) {
                addType(args[1], path + ".*", out, defaults);
                return;
            }
        }
        if (type instanceof Class<?> c && c.isInterface() && isGroup(c)) {
            collect(c, path, out, defaults);
            return;
        }
        out.add(path);
    }

    private static boolean isGroup(Class<?> c) {
        return c.getName().startsWith(EnphaseConfig.class.getName());
    }

    private static String name(Method m) {
        WithName n = m.getAnnotation(WithName.class);
        if (n != null) {
            return n.value();
        }
        return m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
