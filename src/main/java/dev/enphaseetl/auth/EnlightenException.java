package dev.enphaseetl.auth;

/** Talking to Enphase's cloud failed. The message names the (masked) account and the reason, never a secret. */
public class EnlightenException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Wrong e-mail or password. */
        INVALID_CREDENTIALS,
        /** The account uses multi-factor login: tokens must be made by hand. */
        MFA_REQUIRED,
        /** Enphase has blocked or locked the account. */
        ACCOUNT_BLOCKED,
        /** HTTP 403 from Enphase. */
        FORBIDDEN,
        /** The token service did not accept the session (expired): log in again. */
        SESSION_REJECTED,
        /** HTTP 5xx or another unexpected status. */
        SERVICE_ERROR,
        /** An answer in an unexpected format (an HTML page where JSON or a token was expected). */
        UNEXPECTED_ANSWER,
        /** No connection, timeout. */
        UNREACHABLE,
        /** Not tried: the account is cooling down after failures. */
        COOLDOWN
    }

    private final Kind kind;

    public EnlightenException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
