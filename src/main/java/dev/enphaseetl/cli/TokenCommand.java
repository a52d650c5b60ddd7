package dev.enphaseetl.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import dev.enphaseetl.auth.GatewayTokens;
import dev.enphaseetl.auth.NotAJwtException;
import dev.enphaseetl.auth.Token;
import dev.enphaseetl.auth.TokenManager;
import dev.enphaseetl.auth.TokenStatus;
import dev.enphaseetl.auth.TokenUnavailableException;
import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.delivery.Redactor;
import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.ops.Doctor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code enphase-etl token}: the token of each configured gateway, as the pipeline would use it (read from the
 * token file or the configuration, or from the token store, or made from the Enphase account): role, serial, expiry,
 * days left; the token itself only with {@code --show}.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Obtain or inspect the gateways' tokens as the pipeline would (configured token, token file,"
        + " or the Enphase account with its token store): owner or installer, serial, expiry, days left. The token"
        + " itself is printed only with --show. Exit 0 when every token is usable, 1 when not, 2 on bad usage.")
public class TokenCommand implements Callable<Integer> {

    @Option(names = "--gateway", paramLabel = "G", description = "Only this gateway (its name, else host[:port]).")
    String gateway;
    @Option(names = "--show", description = "Also print the token (a secret: it gives access to the gateway).")
    boolean show;

    @Inject
    EnphaseConfig config;
    @Inject
    GatewayTokens tokens;

    @Override
    public Integer call() {
        String path = EnphaseEtl.NAME + " token";
        List<EnphaseConfig.Gateway> configured = config.gateways().orElse(List.of());
        List<String> ids = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            GatewayTarget target = GatewayRegistry.fromConfig(configured.get(i));
            if (gateway != null && !gateway.equals(target.id())) {
                continue;
            }
            ids.add(target.id());
            try {
                tokens.register(target.id(), configured.get(i), "enphase.gateways[" + i + "]");
            } catch (NotAJwtException | IllegalArgumentException e) {
                problems.add("gateway " + target.id() + ": enphase.gateways[" + i + "]: " + e.getMessage());
            }
        }
        if (ids.isEmpty()) {
            System.err.println(path + ": " + (configured.isEmpty()
                    ? "no gateway configured: set enphase.gateways[0].host and its token, token-file or account"
                    : "--gateway " + gateway + " names no configured gateway; configured: " + String.join(", ",
                            configured.stream().map(g -> GatewayRegistry.fromConfig(g).id()).toList())));
            return 2;
        }
        Redactor redactor = Doctor.redactor(config);
        problems.forEach(p -> System.out.println(redactor.redact(p)));
        int exit = problems.isEmpty() ? 0 : 1;
        for (String id : ids) {
            exit = Math.max(exit, report(tokens.manager(), id, show, Instant.now(), redactor, System.out));
        }
        return exit;
    }

    /** One line about the token of {@code id} (and the token on the next with {@code show}); 1 when not usable. */
    static int report(TokenManager manager, String id, boolean show, Instant now, Redactor redactor,
            PrintStream out) {
        if (!manager.hasSource(id)) {
            out.println("gateway " + id + ": no token configured (firmware 7 and later need one: set"
                    + " enphase.gateways[n].token-file, .token or .account with .serial)");
            return 0;
        }
        String from = manager.status(id).sourceDescription();
        Token t;
        try {
            t = manager.current(id);
        } catch (TokenUnavailableException e) {
            TokenStatus s = manager.status(id);
            if (s.expiresAt().filter(at -> !now.isBefore(at)).isPresent()) {
                // expired and not renewable: say what it was
                out.println(redactor.redact("gateway " + id + ": " + s.role().map(r -> r.name().toLowerCase(
                        Locale.ROOT)).orElse("unknown") + " token, expired at " + s.expiresAt().get()
                        + " (EXPIRED), from " + from + ": put a new one in place"));
            } else {
                out.println(redactor.redact("gateway " + id + ": no usable token from " + from + ": "
                        + e.getMessage()));
            }
            return 1;
        }
        long days = Math.floorDiv(Duration.between(now, t.expiresAt()).getSeconds(), 86_400L);
        String line = "gateway " + id + ": " + t.role().name().toLowerCase(Locale.ROOT) + " token"
                + t.claims().serial().map(s -> " for serial " + s).orElse("") + ", expires " + t.expiresAt()
                + (t.isExpiredAt(now) ? " (EXPIRED)" : " (" + days + " days left)") + ", from " + from + ", sha256:"
                + t.fingerprint();
        out.println(redactor.redact(line));
        if (show) {
            out.println(t.value());
        }
        return t.isExpiredAt(now) ? 1 : 0;
    }
}
