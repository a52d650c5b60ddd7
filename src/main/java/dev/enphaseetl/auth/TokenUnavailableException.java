package dev.enphaseetl.auth;

/** No usable token can be had from a source right now. The message is safe to log: it never holds a secret. */
public class TokenUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public TokenUnavailableException(String message) {
        super(message);
    }

    public TokenUnavailableException(String message, Throwable safeCause) {
        super(message, safeCause);
    }
}
