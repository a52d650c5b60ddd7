package dev.enphaseetl.auth;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import dev.enphaseetl.config.EnphaseConfig;

/**
 * The pipeline's tokens: one {@link TokenManager} for all gateways, fed from configuration (a token, a token file,
 * or an Enphase account plus serial). Accounts are shared, so a thousand gateways of one account failing at once
 * still log in once. Renewal is the route {@code token-renewal} (routes/25-tokens.camel.yaml), every
 * {@code enphase.token.check-interval}: {@code bean: {ref: gatewayTokens, method: renewDue}}.
 */
@ApplicationScoped
@Named("gatewayTokens")
public class GatewayTokens {

    private static final Logger LOG = Logger.getLogger(TokenManager.class);

    private final EnphaseConfig config;
    private final TokenManager manager;
    private final Map<String, EnlightenAccount> accounts = new ConcurrentHashMap<>();

    @Inject
    public GatewayTokens(EnphaseConfig config) {
        this.config = config;
        EnphaseConfig.TokenPolicy t = config.token();
        RenewalPolicy defaults = RenewalPolicy.defaults();
        this.manager = new TokenManager(Clock.systemUTC(), new RenewalPolicy(t.renewAheadOwner(),
                t.renewAheadInstaller(), defaults.otherAhead(), defaults.warnAhead()));
    }

    /**
     * Route step of {@code token-renewal}: renews the tokens that are due and logs expiry warnings. A failure is
     * logged by its class alone (its message could carry a secret) and the next tick tries again.
     */
    public void renewDue() {
        try {
            manager.tick();
        } catch (RuntimeException e) {
            LOG.errorf("Token renewal check failed: %s", e.getClass().getName());
        }
    }

    /** Registers where gateway {@code id}'s token comes from; {@code origin} names the config key for messages. */
    public void register(String id, EnphaseConfig.Gateway gw, String origin) throws NotAJwtException {
        if (gw.account().isPresent()) {
            String name = gw.account().get();
            EnphaseConfig.Account a = Optional.ofNullable(config.accounts().get(name))
                    .orElseThrow(() -> new IllegalArgumentException(origin + ".account names enphase.accounts."
                            + name + ", which is not configured"));
            String serial = gw.serial().orElseThrow(() -> new IllegalArgumentException(origin
                    + ".serial is required with an account: Enphase makes tokens per gateway serial"));
            EnlightenAccount account = accounts.computeIfAbsent(name, n -> newAccount(a));
            manager.register(id, new AccountTokenSource(serial, account, new TokenStore(storeDir())));
        } else if (gw.tokenFile().isPresent()) {
            manager.register(id, new FileTokenSource(Path.of(gw.tokenFile().get()), Clock.systemUTC(),
                    config.token().fileRecheck()));
        } else if (gw.token().filter(s -> !s.isBlank()).isPresent()) {
            manager.register(id, new StaticTokenSource(gw.token().get(), origin + ".token"));
        }
    }

    /** Registers a fixed token (the embedded simulator's). */
    public void registerStatic(String id, String jwt, String origin) throws NotAJwtException {
        manager.register(id, new StaticTokenSource(jwt, origin));
    }

    public TokenManager manager() {
        return manager;
    }

    public List<TokenStatus> statuses() {
        return List.copyOf(manager.statuses().values());
    }

    private EnlightenAccount newAccount(EnphaseConfig.Account a) {
        EnphaseConfig.Cloud c = config.cloud();
        EnphaseConfig.TokenPolicy t = config.token();
        EnlightenClient client = new EnlightenClient(URI.create(c.loginUrl()), URI.create(c.tokenUrl()),
                c.connectTimeout(), c.requestTimeout());
        return new EnlightenAccount(a.email(), a.password(), client, Clock.systemUTC(),
                new Backoff(t.loginBackoffInitial(), t.loginBackoffMax(), t.loginMaxPerHour()), a.sessionTtl());
    }

    private Path storeDir() {
        return config.token().storeDir().map(Path::of).orElse(Path.of(config.dataDir(), "tokens"));
    }
}
