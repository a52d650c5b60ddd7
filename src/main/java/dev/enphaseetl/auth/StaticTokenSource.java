package dev.enphaseetl.auth;

import java.util.Optional;

/** A token given in the configuration or an environment variable. It cannot be renewed. */
public final class StaticTokenSource implements TokenSource {

    private final Token token;
    private final String origin;

    /**
     * @param jwt the token
     * @param origin where it came from, for messages (e.g. the config key), never the token
     */
    public StaticTokenSource(String jwt, String origin) throws NotAJwtException {
        try {
            this.token = Token.parse(jwt);
        } catch (NotAJwtException e) {
            throw new NotAJwtException("the token in " + origin + " is not usable: " + e.getMessage());
        }
        this.origin = origin;
    }

    @Override
    public Token current() {
        return token;
    }

    @Override
    public Optional<Token> renew(String reason) {
        return Optional.empty();
    }

    @Override
    public boolean canRenew() {
        return false;
    }

    @Override
    public String kind() {
        return "static";
    }

    @Override
    public String describe() {
        return "static token from " + origin;
    }

    @Override
    public String toString() {
        return "StaticTokenSource[" + origin + " " + token + "]";
    }
}
