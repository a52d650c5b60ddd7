package dev.enphaseetl.auth;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.enphaseetl.config.EnphaseConfig;

/**
 * The pipeline's tokens: one {@link TokenManager} for all gateways, fed from configuration (a token, a token file,
 * or an Enphase account plus serial). Accounts are shared, so a thousand gateways of one account failing at once
 * still log in once. Renewal runs in the background on {@code enphase.token.check-interval}.
 */
@ApplicationScoped
public class GatewayTokens {

    private final EnphaseConfig config;
    private final TokenManager manager;
    private final Map<String, EnlightenAccount> accounts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;

    @Inject
    public GatewayTokens(EnphaseConfig config) {
        this.config = config;
        EnphaseConfig.TokenPolicy t = config.token();
        RenewalPolicy defaults = RenewalPolicy.defaults();
        this.manager = new TokenManager(Clock.systemUTC(), new RenewalPolicy(t.renewAheadOwner(),
                t.renewAheadInstaller(), defaults.otherAhead(), defaults.warnAhead()));
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "token-renewal");
            th.setDaemon(true);
            return th;
        });
        manager.start(renewer, t.checkInterval());
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

    @PreDestroy
    void stop() {
        renewer.shutdownNow();
    }
}
