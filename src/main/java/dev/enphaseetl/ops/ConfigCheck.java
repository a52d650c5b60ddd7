package dev.enphaseetl.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.inject.Singleton;

import org.apache.camel.util.TimeUtils;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.parse.Endpoint;

/**
 * Refuses to start on configuration that cannot work, with one line per problem naming the key and the fix: unknown
 * keys under {@code enphase.} are already refused by the config mapping; this adds unknown endpoint ids under
 * {@code enphase.poll.}, poll periods of zero or less, no poll threads, a data directory that cannot be created or
 * written, and a missing routes directory. The {@code run} command asks {@link #startProblems()} before it starts
 * the routes; the command's main checks that the configuration files are UTF-8 before anything reads them.
 */
@Singleton
public class ConfigCheck {

    /** The configuration key of the route files (application.properties: {@code file:${ENPHASE_ROUTES_DIR:routes}/...}). */
    public static final String ROUTES_KEY = "camel.main.routes-include-pattern";

    private final EnphaseConfig config;
    private final GatewayRegistry registry;

    ConfigCheck(EnphaseConfig config, GatewayRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    /** Everything that stops the start, one line each; empty when the pipeline may start. */
    public List<String> startProblems() {
        List<String> problems = new ArrayList<>(problems(config));
        dataDirProblem(config.dataDir()).ifPresent(problems::add);
        ConfigProvider.getConfig().getOptionalValue(ROUTES_KEY, String.class)
                .flatMap(ConfigCheck::routesProblem).ifPresent(problems::add);
        if (problems.isEmpty()) {
            try {
                // load the gateways now, so that a bad token or account setting stops the start, naming the key
                registry.gateways();
            } catch (IllegalArgumentException | IllegalStateException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** A role that cannot work: edge or central (or shared gateways) without Kafka brokers to talk to. */
    static List<String> roleProblems(EnphaseConfig config) {
        List<String> problems = new ArrayList<>();
        boolean servers = config.kafka().bootstrapServers().filter(s -> !s.isBlank()).isPresent();
        EnphaseConfig.Role role = config.role();
        if (role != EnphaseConfig.Role.STANDALONE && !servers) {
            problems.add("enphase.role is " + role.name().toLowerCase() + " but enphase.kafka.bootstrap-servers is"
                    + " not set: set it to the brokers' host:port list (ENPHASE_KAFKA_BOOTSTRAP_SERVERS), or set"
                    + " enphase.role to standalone (docs/kafka.md)");
        } else if (config.kafka().shareGateways().enabled() && !servers) {
            problems.add("enphase.kafka.share-gateways.enabled is true but enphase.kafka.bootstrap-servers is not"
                    + " set: set it to the brokers' host:port list, or switch sharing off (docs/kafka.md)");
        }
        if (config.kafka().shareGateways().slots() < 1) {
            problems.add("enphase.kafka.share-gateways.slots is " + config.kafka().shareGateways().slots()
                    + ": set it to 1 or more (default 60)");
        }
        if (config.kafka().maxPollRecords() < 1) {
            problems.add("enphase.kafka.max-poll-records is " + config.kafka().maxPollRecords()
                    + ": set it to 1 or more (default 500)");
        }
        return problems;
    }

    /** Problems of the typed configuration alone (no file system). */
    public static List<String> problems(EnphaseConfig config) {
        List<String> problems = new ArrayList<>(roleProblems(config));
        if (config.poll().threads() < 1) {
            problems.add("enphase.poll.threads is " + config.poll().threads()
                    + ": set it to 1 or more (ENPHASE_POLL_THREADS; default 8)");
        }
        for (Map.Entry<String, EnphaseConfig.EndpointPoll> e : config.poll().endpoints().entrySet()) {
            String id = e.getKey();
            if (Endpoint.byId(id).isEmpty()) {
                problems.add("enphase.poll." + id + " names no endpoint; known endpoints: "
                        + String.join(", ", Arrays.stream(Endpoint.values()).map(Endpoint::id).toList()));
                continue;
            }
            e.getValue().period().flatMap(p -> periodProblem("enphase.poll." + id + ".period", p))
                    .ifPresent(problems::add);
        }
        if (config.cloud().maxCallsPerRound() < 1) {
            problems.add("enphase.cloud.max-calls-per-round is " + config.cloud().maxCallsPerRound()
                    + ": set it to 1 or more (ENPHASE_CLOUD_MAX_CALLS_PER_ROUND; default 20)");
        }
        try {
            ZoneId.of(config.ledger().zone());
        } catch (DateTimeException e) {
            problems.add("enphase.ledger.zone is '" + config.ledger().zone() + "', not a time zone: set a region such"
                    + " as Europe/Berlin, or UTC (ENPHASE_LEDGER_ZONE; default UTC); it also sets the CSV local_time");
        }
        return problems;
    }

    /** A poll period must be a positive duration: Camel's timer fires once and never again on 0. */
    static Optional<String> periodProblem(String key, String value) {
        String v = value.strip();
        long millis;
        try {
            millis = v.matches("[-+]?\\d+") ? Long.parseLong(v) : TimeUtils.toMilliSeconds(v);
        } catch (RuntimeException e) {
            return Optional.of(key + " is '" + value + "', not a duration: write it like 30s, 5m or 1h");
        }
        if (millis <= 0 || v.startsWith("-")) {
            return Optional.of(key + " is '" + value
                    + "': a poll period must be more than zero (e.g. 30s, 5m); to stop polling the endpoint set "
                    + key.replaceFirst("\\.period$", ".enabled") + "=false");
        }
        return Optional.empty();
    }

    /** The data directory must exist or be creatable, and be writable. */
    public static Optional<String> dataDirProblem(String dataDir) {
        Path dir = Path.of(dataDir).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check-", ".tmp");
            Files.delete(probe);
            return Optional.empty();
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            String why = e instanceof FileAlreadyExistsException f
                    ? f.getFile() + " is a file, not a folder"
                    : e instanceof java.nio.file.AccessDeniedException a
                            ? "permission denied on " + a.getFile()
                            : e.getClass().getSimpleName() + " " + e.getMessage();
            return Optional.of("enphase.data-dir " + dir + " cannot be created or written (" + why
                    + "): set ENPHASE_DATA_DIR (or enphase.data-dir) to a folder this user may write");
        }
    }

    /**
     * The route files must be there: each {@code file:} pattern of {@code camel.main.routes-include-pattern} names a
     * folder that must exist and hold route files.
     */
    public static Optional<String> routesProblem(String includePattern) {
        for (String pattern : includePattern.split(",")) {
            String p = pattern.strip();
            if (!p.startsWith("file:")) {
                continue;
            }
            String path = p.substring("file:".length());
            int star = path.indexOf('*');
            String dirPart = star < 0 ? path : path.substring(0, Math.max(path.lastIndexOf('/', star), 0));
            Path dir = Path.of(dirPart.isEmpty() ? "." : dirPart).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                return Optional.of("routes directory " + dir + " does not exist: set ENPHASE_ROUTES_DIR to the folder"
                        + " that holds the *.camel.yaml route files, or start from the folder that holds routes/");
            }
            try (Stream<Path> files = Files.list(dir)) {
                if (files.noneMatch(f -> f.getFileName().toString().endsWith(".camel.yaml"))) {
                    return Optional.of("routes directory " + dir + " holds no *.camel.yaml file: set"
                            + " ENPHASE_ROUTES_DIR to the folder that holds the route files");
                }
            } catch (IOException e) {
                return Optional.of("routes directory " + dir + " cannot be read (" + e.getMessage()
                        + "): set ENPHASE_ROUTES_DIR to a readable folder");
            }
        }
        return Optional.empty();
    }

    /**
     * The configuration files Quarkus would read from the working folder and from
     * {@code quarkus.config.locations}/{@code smallrye.config.locations} (system property or environment), that
     * exist.
     */
    public static List<Path> configFiles(Path workDir, Map<String, String> env) {
        Set<Path> files = new LinkedHashSet<>();
        for (String name : List.of("application.properties", "application.yaml", "application.yml")) {
            files.add(workDir.resolve("config").resolve(name));
        }
        files.add(workDir.resolve(".env"));
        List<String> locations = new ArrayList<>();
        for (String key : List.of("quarkus.config.locations", "smallrye.config.locations")) {
            Optional.ofNullable(System.getProperty(key)).ifPresent(locations::add);
            Optional.ofNullable(env.get(key.toUpperCase().replace('.', '_'))).ifPresent(locations::add);
        }
        for (String list : locations) {
            for (String loc : list.split(",")) {
                String l = loc.strip().replaceFirst("^file:", "");
                if (l.isEmpty() || loc.strip().startsWith("classpath:") || loc.strip().startsWith("jar:")) {
                    continue;
                }
                Path p = workDir.resolve(l);
                if (Files.isDirectory(p)) {
                    for (String name : List.of("application.properties", "application.yaml", "application.yml")) {
                        files.add(p.resolve(name));
                    }
                } else {
                    files.add(p);
                }
            }
        }
        return files.stream().filter(Files::isRegularFile).map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** A file that is not valid UTF-8: one line naming it, the first bad byte and the fix. */
    public static Optional<String> notUtf8(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return Optional.of("configuration file " + file + " cannot be read (" + e.getMessage() + ")");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            decoder.decode(buffer);
            return Optional.empty();
        } catch (CharacterCodingException e) {
            int at = buffer.position();
            int line = 1;
            for (int i = 0; i < at && i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            String bad = e instanceof MalformedInputException && at < bytes.length
                    ? String.format(" (byte 0x%02X on line %d)", bytes[at] & 0xff, line)
                    : "";
            return Optional.of("configuration file " + file + " is not UTF-8" + bad + ": save it as UTF-8");
        }
    }

    /** The first configuration file that is not UTF-8, as one line; empty when all are. */
    public static Optional<String> configFileProblem(Path workDir, Map<String, String> env) {
        return configFiles(workDir, env).stream().map(ConfigCheck::notUtf8).flatMap(Optional::stream).findFirst();
    }

    /** The one line for an HTTP port that another process holds. */
    public static String portInUse(String port) {
        return "HTTP port " + port + " is already in use by another process: stop it, or set ENPHASE_HTTP_PORT"
                + " (quarkus.http.port) to a free port";
    }
}
