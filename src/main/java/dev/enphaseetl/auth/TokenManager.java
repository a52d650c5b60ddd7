package dev.enphaseetl.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

/**
 * The gateways' tokens: which {@link TokenSource} serves which gateway, renewal ahead of expiry, reaction to a
 * gateway rejecting a token, expiry warnings for tokens that cannot be renewed, and status for health checks.
 *
 * <p>
 * Usable without CDI: construct it, {@link #register} each gateway, and call {@link #tick()} from a timer (the
 * pipeline's is the route {@code token-renewal}). Renewals of one source are serialised (single-flight); a source shared by several
 * gateways (same serial) is renewed once for all of them.
 */
public final class TokenManager {

    private static final Logger LOG = Logger.getLogger(TokenManager.class);

    private final Clock clock;
    private final RenewalPolicy policy;
    private final Duration rejectInitial;
    private final Duration rejectMax;
    private final Map<String, TokenSource> gateways = new ConcurrentHashMap<>();
    private final Map<TokenSource, SourceState> states = new ConcurrentHashMap<>();

    /** @param clock time for renewal decisions (a fake clock in tests) */
    public TokenManager(Clock clock, RenewalPolicy policy) {
        this(clock, policy, Duration.ofMinutes(1), Duration.ofHours(1));
    }

    /**
     * @param rejectInitial after a gateway rejected a token, a further rejection of that gateway's source triggers a
     *        renewal only after this long, doubling up to {@code rejectMax}
     */
    public TokenManager(Clock clock, RenewalPolicy policy, Duration rejectInitial, Duration rejectMax) {
        this.clock = clock;
        this.policy = policy;
        this.rejectInitial = rejectInitial;
        this.rejectMax = rejectMax;
    }

    /** Serves {@code gatewayId} from {@code source}. Several gateways may share one source. */
    public void register(String gatewayId, TokenSource source) {
        gateways.put(gatewayId, source);
        states.computeIfAbsent(source, s -> new SourceState(new Backoff(rejectInitial, rejectMax, 60)));
    }

    public boolean hasSource(String gatewayId) {
        return gateways.containsKey(gatewayId);
    }

    /**
     * The token to send to {@code gatewayId} now. A renewable token that is due (or expired) is renewed first
     * (single-flight); if renewal fails the old token is returned while it has not expired.
     *
     * @throws TokenUnavailableException no source registered, or no unexpired token can be had
     */
    public Token current(String gatewayId) throws TokenUnavailableException {
        TokenSource source = sourceOf(gatewayId);
        SourceState st = states.get(source);
        Token t = st.current(source);
        Instant now = clock.instant();
        if (source.canRenew() && !now.isBefore(policy.renewAt(t))) {
            t = renewDue(gatewayId, source, st, now);
        }
        if (t.isExpiredAt(now)) {
            throw new TokenUnavailableException("the token for gateway " + gatewayId + " from "
                    + source.describe() + " expired at " + t.expiresAt()
                    + (st.lastError == null ? "" : "; last error: " + st.lastError));
        }
        return t;
    }

    /** The bearer token value for the Authorization header, empty if none is configured for the gateway. */
    public Optional<String> bearerFor(String gatewayId) throws TokenUnavailableException {
        return hasSource(gatewayId) ? Optional.of(current(gatewayId).value()) : Optional.empty();
    }

    /**
     * Called by the fetcher when {@code gatewayId} answered 401 or 403 to {@code rejectedToken}. Revalidates once: if
     * the source already has another token (renewed meanwhile, file changed) that one is returned; otherwise the
     * source renews if it can and the gateway's rejection cooldown allows.
     *
     * @return the token to retry with, empty if there is none better than the rejected one
     */
    public Optional<Token> onRejected(String gatewayId, String rejectedToken) {
        TokenSource source = gateways.get(gatewayId);
        if (source == null) {
            return Optional.empty();
        }
        SourceState st = states.get(source);
        synchronized (st) {
            Instant now = clock.instant();
            try {
                Token cur = st.current(source);
                if (!cur.sameAs(rejectedToken) && !cur.isExpiredAt(now)) {
                    return Optional.of(cur);
                }
            } catch (TokenUnavailableException e) {
                st.lastError = e.getMessage();
            }
            if (!st.rejectBackoff.mayAttempt(now)) {
                LOG.debugf("Gateway %s rejected its token again; not renewing before %s", gatewayId,
                        st.rejectBackoff.nextAttemptAt(now));
                return Optional.empty();
            }
            st.rejectBackoff.recordAttempt(now);
            st.rejectBackoff.recordFailure(now);
            LOG.warnf("Gateway %s rejected its token; asking %s for a new one", gatewayId, source.describe());
            try {
                Optional<Token> renewed = source.renew("gateway " + gatewayId + " rejected the token");
                renewed.ifPresent(t -> st.renewed(t, now));
                if (renewed.isEmpty()) {
                    st.lastError = "gateway " + gatewayId + " rejected the token and " + source.describe()
                            + " has no other";
                    LOG.errorf("Gateway %s rejected the token from %s and there is no other; %s", gatewayId,
                            source.describe(), source.canRenew() ? "" : "replace it by hand");
                }
                return renewed;
            } catch (TokenUnavailableException e) {
                st.failed(e, gatewayId);
                return Optional.empty();
            }
        }
    }

    /** Called by the fetcher after a gateway accepted a token: ends that gateway's rejection cooldown. */
    public void onAccepted(String gatewayId) {
        TokenSource source = gateways.get(gatewayId);
        if (source != null) {
            states.get(source).rejectBackoff.recordSuccess();
        }
    }

    /** Renews what is due and logs expiry warnings. Call it from a timer (every minute is plenty). */
    public void tick() {
        Instant now = clock.instant();
        Map<TokenSource, String> firstGateway = new LinkedHashMap<>();
        gateways.forEach((g, s) -> firstGateway.putIfAbsent(s, g));
        firstGateway.forEach((source, gatewayId) -> {
            SourceState st = states.get(source);
            try {
                Token t = st.current(source);
                if (source.canRenew()) {
                    if (!now.isBefore(policy.renewAt(t))) {
                        renewDue(gatewayId, source, st, now);
                    }
                } else {
                    st.checkExpiry(t, now, source, policy);
                }
            } catch (TokenUnavailableException e) {
                st.failed(e, gatewayId);
            }
        });
    }

    private Token renewDue(String gatewayId, TokenSource source, SourceState st, Instant now)
            throws TokenUnavailableException {
        synchronized (st) {
            Token t = st.current(source);
            if (now.isBefore(policy.renewAt(t))) {
                return t; // renewed by another thread meanwhile
            }
            try {
                Optional<Token> renewed = source.renew(t.isExpiredAt(now)
                        ? "expired at " + t.expiresAt()
                        : "expires at " + t.expiresAt());
                if (renewed.isPresent()) {
                    st.renewed(renewed.get(), now);
                    return renewed.get();
                }
            } catch (TokenUnavailableException e) {
                st.failed(e, gatewayId);
            }
            return t;
        }
    }

    /** The token status of {@code gatewayId}. */
    public TokenStatus status(String gatewayId) {
        TokenSource source = gateways.get(gatewayId);
        if (source == null) {
            return new TokenStatus(gatewayId, TokenStatus.Health.UP, "none", "no token configured", Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        return states.get(source).status(gatewayId, source, clock.instant());
    }

    /** The status of every registered gateway. */
    public Map<String, TokenStatus> statuses() {
        Map<String, TokenStatus> m = new LinkedHashMap<>();
        gateways.keySet().stream().sorted().forEach(g -> m.put(g, status(g)));
        return m;
    }

    /** Whether no gateway is DOWN for lack of a valid token. */
    public boolean healthy() {
        return statuses().values().stream().noneMatch(s -> s.health() == TokenStatus.Health.DOWN);
    }

    private TokenSource sourceOf(String gatewayId) throws TokenUnavailableException {
        TokenSource s = gateways.get(gatewayId);
        if (s == null) {
            throw new TokenUnavailableException("no token source is configured for gateway " + gatewayId);
        }
        return s;
    }

    /** Mutable per-source bookkeeping; guarded by its own monitor where it matters. */
    private static final class SourceState {
        final Backoff rejectBackoff;
        volatile Token lastSeen;
        volatile Instant lastRenewal;
        volatile String lastError;
        String warnedFingerprint;
        Duration warnedAhead;
        boolean expiredLogged;

        SourceState(Backoff rejectBackoff) {
            this.rejectBackoff = rejectBackoff;
        }

        Token current(TokenSource source) throws TokenUnavailableException {
            Token t = source.current();
            lastSeen = t;
            return t;
        }

        void renewed(Token t, Instant now) {
            lastSeen = t;
            lastRenewal = now;
            lastError = null;
        }

        void failed(TokenUnavailableException e, String gatewayId) {
            boolean repeat = e.getMessage().equals(lastError);
            lastError = e.getMessage();
            if (!repeat) {
                LOG.errorf("No new token for gateway %s: %s", gatewayId, e.getMessage());
            } else {
                LOG.debugf("Still no new token for gateway %s", gatewayId);
            }
        }

        synchronized void checkExpiry(Token t, Instant now, TokenSource source, RenewalPolicy policy) {
            String fp = t.fingerprint();
            if (!fp.equals(warnedFingerprint)) {
                warnedFingerprint = fp;
                warnedAhead = null;
                expiredLogged = false;
            }
            Duration left = t.remainingAt(now);
            if (t.isExpiredAt(now)) {
                if (!expiredLogged) {
                    expiredLogged = true;
                    lastError = "token expired at " + t.expiresAt();
                    LOG.errorf("The %s token from %s expired at %s: the gateway will refuse it; put a new token in "
                            + "place", t.role().name().toLowerCase(Locale.ROOT), source.describe(),
                            t.expiresAt());
                }
                return;
            }
            Duration due = null;
            for (Duration ahead : policy.warnAhead()) { // longest first
                if (left.compareTo(ahead) <= 0) {
                    due = ahead;
                }
            }
            if (due != null && (warnedAhead == null || due.compareTo(warnedAhead) < 0)) {
                warnedAhead = due;
                LOG.warnf("The token from %s expires at %s (%d day(s) left) and cannot be renewed automatically; "
                        + "replace it before then", source.describe(), t.expiresAt(), left.toDays());
            }
        }

        TokenStatus status(String gatewayId, TokenSource source, Instant now) {
            Token t = lastSeen;
            if (t == null) {
                try {
                    t = current(source);
                } catch (TokenUnavailableException e) {
                    lastError = e.getMessage();
                }
            }
            TokenStatus.Health h;
            if (t == null || t.isExpiredAt(now)) {
                h = TokenStatus.Health.DOWN;
            } else if (lastError != null || (!source.canRenew() && warnedAhead != null)) {
                h = TokenStatus.Health.WARN;
            } else {
                h = TokenStatus.Health.UP;
            }
            Token tt = t;
            return new TokenStatus(gatewayId, h, source.kind(), source.describe(),
                    Optional.ofNullable(tt).map(Token::role), Optional.ofNullable(tt).map(Token::expiresAt),
                    Optional.ofNullable(tt).map(x -> Math.floorDiv(Duration.between(now, x.expiresAt()).getSeconds(),
                            86_400L)),
                    Optional.ofNullable(lastRenewal), Optional.ofNullable(lastError));
        }
    }
}
