package dev.enphaseetl.auth;

import java.io.IOException;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * Tokens for one gateway serial made from an {@link EnlightenAccount}. A token made before (kept in the
 * {@link TokenStore}) is used at start if it is for this serial; every new token is stored again.
 */
public final class AccountTokenSource implements TokenSource {

    private static final Logger LOG = Logger.getLogger(AccountTokenSource.class);

    private final String serial;
    private final EnlightenAccount account;
    private final TokenStore store;

    private volatile Token token;

    /** @param store where tokens are kept across restarts; {@code null} keeps them in memory only */
    public AccountTokenSource(String serial, EnlightenAccount account, TokenStore store) {
        this.serial = serial;
        this.account = account;
        this.store = store;
        this.token = loadStored();
    }

    private Token loadStored() {
        if (store == null) {
            return null;
        }
        try {
            Optional<String> text = store.load(serial);
            if (text.isEmpty()) {
                return null;
            }
            Token t = Token.parse(text.get());
            if (t.claims().serial().filter(s -> !s.equals(serial)).isPresent()) {
                LOG.warnf("The stored token for gateway %s was made for another serial; ignoring it", serial);
                return null;
            }
            LOG.infof("Using the stored %s for gateway %s", t, serial);
            return t;
        } catch (IOException e) {
            LOG.warnf("Cannot read the stored token for gateway %s: %s", serial, e.getClass().getSimpleName());
        } catch (NotAJwtException e) {
            LOG.warnf("The stored token for gateway %s is not usable: %s", serial, e.getMessage());
        }
        return null;
    }

    @Override
    public Token current() throws TokenUnavailableException {
        Token t = token;
        if (t != null) {
            return t;
        }
        synchronized (this) {
            if (token == null) {
                renew("no token yet");
            }
            return token;
        }
    }

    @Override
    public synchronized Optional<Token> renew(String reason) throws TokenUnavailableException {
        Token t;
        try {
            t = account.requestToken(serial);
        } catch (EnlightenException e) {
            throw new TokenUnavailableException(e.getMessage(), e);
        }
        token = t;
        LOG.infof("Got a new %s for gateway %s from account %s (%s)", t, serial, account.masked(), reason);
        if (store != null) {
            try {
                store.save(serial, t.value());
            } catch (IOException e) {
                LOG.warnf("Cannot keep the new token for gateway %s in %s: %s", serial, store,
                        e.getClass().getSimpleName());
            }
        }
        return Optional.of(t);
    }

    @Override
    public boolean canRenew() {
        return true;
    }

    @Override
    public String kind() {
        return "account";
    }

    @Override
    public String describe() {
        return "Enphase account " + account.masked() + " for gateway " + serial;
    }

    public String serial() {
        return serial;
    }

    @Override
    public String toString() {
        return "AccountTokenSource[" + describe() + "]";
    }
}
