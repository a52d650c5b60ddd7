package dev.enphaseetl.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

/**
 * One Enphase account (e-mail and password) shared by all gateways it owns. Logging in is single-flight: however many
 * gateways need a token at once, one login happens and its session serves all of them until {@code sessionTtl} has
 * passed or the token service rejects it. After a failed login the account cools down ({@link Backoff}): callers get
 * an {@link EnlightenException.Kind#COOLDOWN} error naming the last failure and no request reaches Enphase.
 */
public final class EnlightenAccount {

    private static final Logger LOG = Logger.getLogger(EnlightenAccount.class);

    private final String email;
    private final String password;
    private final EnlightenClient client;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration sessionTtl;
    private final ReentrantLock loginLock = new ReentrantLock();

    private volatile String sessionId;
    private volatile Instant sessionUntil = Instant.MIN;
    private volatile EnlightenException lastFailure;

    public EnlightenAccount(String email, String password, EnlightenClient client, Clock clock, Backoff backoff,
            Duration sessionTtl) {
        if (email == null || email.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("an Enphase account needs an e-mail and a password");
        }
        this.email = email;
        this.password = password;
        this.client = client;
        this.clock = clock;
        this.backoff = backoff;
        this.sessionTtl = sessionTtl;
    }

    /** Gets a new token for the gateway {@code serial}, logging in first if there is no fresh session. */
    public Token requestToken(String serial) throws EnlightenException {
        String sid = session(null);
        try {
            return client.requestToken(sid, serial, email);
        } catch (EnlightenException e) {
            if (e.kind() != EnlightenException.Kind.SESSION_REJECTED) {
                throw e;
            }
            LOG.infof("The Enphase session of account %s was not accepted any more; logging in again", masked());
            return client.requestToken(session(sid), serial, email);
        }
    }

    /**
     * A session id: the cached one if fresh and not {@code stale}, otherwise one new login (single-flight, throttled).
     */
    private String session(String stale) throws EnlightenException {
        String sid = freshSession(stale);
        if (sid != null) {
            return sid;
        }
        loginLock.lock();
        try {
            sid = freshSession(stale);
            if (sid != null) {
                return sid; // another thread logged in while we waited
            }
            Instant now = clock.instant();
            if (!backoff.mayAttempt(now)) {
                EnlightenException last = lastFailure;
                throw new EnlightenException(EnlightenException.Kind.COOLDOWN, "Not logging in to Enphase account "
                        + masked() + " before " + backoff.nextAttemptAt(now) + " after "
                        + backoff.consecutiveFailures() + " failure(s)"
                        + (last == null ? "" : "; last: " + last.getMessage()));
            }
            backoff.recordAttempt(now);
            try {
                sid = client.login(email, password);
            } catch (EnlightenException e) {
                backoff.recordFailure(clock.instant());
                lastFailure = e;
                sessionId = null;
                LOG.errorf("%s (next attempt not before %s)", e.getMessage(), backoff.nextAttemptAt(clock.instant()));
                throw e;
            }
            backoff.recordSuccess();
            lastFailure = null;
            sessionId = sid;
            sessionUntil = clock.instant().plus(sessionTtl);
            LOG.infof("Logged in to Enphase account %s", masked());
            return sid;
        } finally {
            loginLock.unlock();
        }
    }

    private String freshSession(String stale) {
        String sid = sessionId;
        if (sid == null || sid.equals(stale) || !clock.instant().isBefore(sessionUntil)) {
            return null;
        }
        return sid;
    }

    /** The last login failure, while the account is failing. */
    public Optional<EnlightenException> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** The e-mail as {@code j***@example.com}. */
    public String masked() {
        return Secrets.maskEmail(email);
    }

    @Override
    public String toString() {
        return "EnlightenAccount[" + masked() + "]";
    }
}
