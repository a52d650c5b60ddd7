package dev.enphaseetl.auth;

/**
 * A text that should be a gateway token is not a usable JWT. The message says why and never contains the text itself
 * (it may be a token, a password pasted into the wrong place or a page with a session cookie).
 */
public class NotAJwtException extends Exception {

    private static final long serialVersionUID = 1L;

    public NotAJwtException(String message) {
        super(message);
    }
}
