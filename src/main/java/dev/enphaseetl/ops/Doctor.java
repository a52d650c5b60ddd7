package dev.enphaseetl.ops;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.enphaseetl.auth.GatewayTokens;
import dev.enphaseetl.auth.NotAJwtException;
import dev.enphaseetl.auth.TokenStatus;
import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.delivery.Redactor;
import dev.enphaseetl.delivery.SinkException;
import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.GatewayException;
import dev.enphaseetl.gateway.GatewayFetcher;
import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.gateway.TrustOnFirstUse;
import dev.enphaseetl.parse.DefaultPayloadParser;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.parse.GatewayState;
import dev.enphaseetl.parse.PayloadException;
import dev.enphaseetl.pipeline.DeadLetterReplay;
import dev.enphaseetl.sink.InfluxDelivery;
import dev.enphaseetl.sink.JdbcDelivery;
import dev.enphaseetl.sink.file.FileSinkConfig;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;

/**
 * {@code enphase-etl doctor}: one finding per line about what the pipeline needs, each found with the pipeline's own
 * code: the gateways' /info and an endpoint that needs the token (the poll's fetcher, trust store and token
 * manager), the sinks' own connection checks ({@code InfluxSink.check}, {@code JdbcSink.check},
 * {@code FileSinkConfig.problem}), the spool's fill and free disk space, the dead letters waiting.
 */
@ApplicationScoped
public class Doctor {

    /** One finding: {@code ok} false when something is wrong. */
    public record Finding(boolean ok, String text) {

        public String line() {
            return (ok ? "ok    " : "FAIL  ") + text;
        }
    }

    private final EnphaseConfig config;
    private final GatewayTokens tokens;
    private final GatewayFetcher fetcher;
    private final SinkSwitches switches;
    private final Spool spool;
    private final InfluxDelivery influx;
    private final JdbcDelivery jdbc;
    private final Redactor redactor;

    @Inject
    public Doctor(EnphaseConfig config, GatewayTokens tokens, GatewayFetcher fetcher, SinkSwitches switches,
            Spool spool,
            InfluxDelivery influx, JdbcDelivery jdbc) {
        this.config = config;
        this.tokens = tokens;
        this.fetcher = fetcher;
        this.switches = switches;
        this.spool = spool;
        this.influx = influx;
        this.jdbc = jdbc;
        this.redactor = redactor(config);
    }

    /** Every finding, gateways first, then sinks, spool and dead letters. */
    public List<Finding> examine() {
        List<Finding> out = new ArrayList<>();
        gateways(out);
        sinks(out);
        spool(out);
        deadLetters(out);
        return out.stream().map(f -> new Finding(f.ok(), redactor.redact(f.text()))).toList();
    }

    private void gateways(List<Finding> out) {
        List<EnphaseConfig.Gateway> configured = config.gateways().orElse(List.of());
        if (configured.isEmpty()) {
            out.add(new Finding(true, "no gateway configured (enphase.gateways): run polls the built-in simulator"));
            return;
        }
        TrustOnFirstUse trust = new TrustOnFirstUse(Path.of(config.dataDir(), "trust", "known-gateways.properties"),
                Map.of(), config.http().insecure());
        for (int i = 0; i < configured.size(); i++) {
            EnphaseConfig.Gateway gw = configured.get(i);
            GatewayTarget target = GatewayRegistry.fromConfig(gw);
            String origin = "enphase.gateways[" + i + "]";
            try {
                tokens.register(target.id(), gw, origin);
            } catch (NotAJwtException | IllegalArgumentException e) {
                out.add(new Finding(false, "gateway " + target.id() + ": " + origin + ": " + e.getMessage()));
                continue;
            }
            gateway(target, trust.remembered(target.hostPort()), out);
        }
    }

    private void gateway(GatewayTarget target, Optional<String> rememberedBefore, List<Finding> out) {
        String name = "gateway " + target.id() + " (" + target.baseUrl() + ")";
        boolean reachable;
        try {
            Fetched info = fetcher.requireAnswer(fetcher.fetchOnce(new PollTask(target, Endpoint.INFO)));
            GatewayState state = new GatewayState();
            new DefaultPayloadParser().parse(target.id(), Endpoint.INFO, info.status(), info.body(), state);
            out.add(new Finding(true, name + " reachable: serial " + state.serial().orElse("?") + ", firmware "
                    + state.firmware().orElse("?")));
            reachable = true;
        } catch (GatewayException e) {
            out.add(new Finding(false, name + " not reachable: " + e.getMessage()));
            reachable = false;
        } catch (PayloadException e) {
            out.add(new Finding(false, name + " answers, but /info is not a gateway's: " + e.getMessage()));
            reachable = true;
        }
        if ("https".equals(target.baseUrl().getScheme())) {
            if (target.certificateSha256() != null) {
                out.add(new Finding(true, name + " certificate pinned in configuration (SHA-256 "
                        + target.certificateSha256() + ")"));
            } else if (rememberedBefore.isPresent()) {
                out.add(new Finding(true, name + " certificate trusted on first use, not pinned in configuration"
                        + " (SHA-256 " + rememberedBefore.get() + "; to pin it set certificate-sha256)"));
            } else {
                out.add(new Finding(true, name + " certificate not pinned: trusted on first use"
                        + (reachable ? " now" : " at the first connection")));
            }
        }
        token(target, name, reachable, out);
    }

    private void token(GatewayTarget target, String name, boolean reachable, List<Finding> out) {
        if (!tokens.manager().hasSource(target.id())) {
            out.add(new Finding(true, name + " has no token configured (firmware 7 and later need one)"));
            return;
        }
        Optional<Integer> refused = Optional.empty();
        if (reachable) {
            try {
                Fetched f = fetcher.fetchOnce(new PollTask(target, Endpoint.API_V1_PRODUCTION));
                refused = f.accessRefused() ? Optional.of(f.status()) : Optional.empty();
            } catch (GatewayException e) {
                // the token's status below tells what is known
            }
        }
        TokenStatus s = tokens.manager().status(target.id());
        String what = s.role().map(r -> r.name().toLowerCase(Locale.ROOT) + " ").orElse("") + "token from "
                + s.sourceDescription() + s.expiresAt().map(e -> ", expires " + e).orElse("")
                + s.daysLeft().map(d -> " (" + d + " days left)").orElse("");
        if (s.health() == TokenStatus.Health.DOWN) {
            out.add(new Finding(false, name + " no usable " + what + s.lastError().map(e -> ": " + e).orElse("")));
        } else if (refused.isPresent()) {
            out.add(new Finding(false, name + " refused the " + what + " (HTTP " + refused.get() + ")"));
        } else if (s.health() == TokenStatus.Health.WARN) {
            out.add(new Finding(false, name + " " + what + s.lastError().map(e -> ": " + e)
                    .orElse(": expires soon and cannot be renewed automatically")));
        } else {
            out.add(new Finding(true, name + " " + what + (reachable ? ", accepted" : "")));
        }
    }

    private void sinks(List<Finding> out) {
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        EnphaseConfig.Sink s = config.sink();
        Spool.State state = spool.state();
        for (String sink : switches.enabled()) {
            String waiting = Optional.ofNullable(state.sinks().get(sink)).filter(d -> d.entries() > 0)
                    .map(d -> "; " + d.entries() + " entries waiting in its spool").orElse("");
            try {
                String found = switch (sink) {
                    case "lineprotocol" -> file(FileSinkConfig.lineProtocol(dataDir).with(s.lineprotocol()
                            .directory(), s.lineprotocol().pattern()));
                    case "csv" -> file(FileSinkConfig.csv(dataDir).with(s.csv().directory(), s.csv().pattern()));
                    case "influxdb" -> influx.sink().check();
                    case "jdbc" -> jdbc.sink().check();
                    default -> null;
                };
                out.add(new Finding(true, "sink " + sink + ": " + (found == null
                        ? "wired in YAML, not checked"
                        : found) + waiting));
            } catch (SinkException | IllegalStateException e) {
                out.add(new Finding(false, "sink " + sink + " not reachable: " + e.getMessage() + waiting));
            }
        }
    }

    private static String file(FileSinkConfig f) {
        Optional<String> problem = f.problem();
        if (problem.isPresent()) {
            throw new IllegalStateException(problem.get());
        }
        return "writes files in " + f.directory().toAbsolutePath();
    }

    private void spool(List<Finding> out) {
        Spool.State state = spool.state();
        Path root = spool.root().toAbsolutePath();
        Path existing = root;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        long free;
        try {
            FileStore store = Files.getFileStore(existing);
            free = store.getUsableSpace();
        } catch (IOException | NullPointerException e) {
            out.add(new Finding(false, "spool " + root + ": cannot tell the free disk space: " + e));
            return;
        }
        String fill = "spool " + root + ": " + mib(state.usedBytes()) + " used of enphase.spool.max-bytes="
                + mib(state.maxBytes()) + ", " + mib(free) + " free on its disk";
        long room = state.maxBytes() - state.usedBytes();
        if (state.full()) {
            out.add(new Finding(false, fill + ": full, new readings are refused"));
        } else if (state.writeError().isPresent()) {
            out.add(new Finding(false, fill + ": " + state.writeError().get()));
        } else if (free < room) {
            out.add(new Finding(false, fill + ": the disk fills before the spool's limit; free space or lower"
                    + " enphase.spool.max-bytes"));
        } else {
            out.add(new Finding(true, fill));
        }
    }

    private void deadLetters(List<Finding> out) {
        Path root = Path.of(config.dataDir(), "dead-letter").toAbsolutePath();
        Map<String, Integer> waiting;
        try {
            waiting = new DeadLetterReplay(Path.of(config.dataDir())).waiting();
        } catch (IOException e) {
            out.add(new Finding(false, "dead letters in " + root + ": cannot read: " + e));
            return;
        }
        if (waiting.isEmpty()) {
            out.add(new Finding(true, "no dead letters waiting in " + root));
        } else {
            out.add(new Finding(false, "dead letters waiting in " + root + ": " + waiting.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                    + " file(s): fix the cause (see the .json beside each), then enphase-etl replay"));
        }
    }

    private static String mib(long bytes) {
        return bytes >= 1L << 30 && bytes % (1L << 30) == 0
                ? (bytes >> 30) + " GiB"
                : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** A redactor for every secret of the configuration (gateway tokens and passwords, accounts, sinks). */
    public static Redactor redactor(EnphaseConfig config) {
        List<String> s = new ArrayList<>();
        config.gateways().orElse(List.of()).forEach(g -> {
            g.token().ifPresent(s::add);
            g.password().ifPresent(s::add);
        });
        config.accounts().values().forEach(a -> s.add(a.password()));
        config.sink().influxdb().password().ifPresent(s::add);
        config.sink().influxdb().token().ifPresent(s::add);
        config.sink().jdbc().password().ifPresent(s::add);
        return new Redactor(s.toArray(String[]::new));
    }
}
