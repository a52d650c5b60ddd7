package dev.enphaseetl.gateway;

import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * A gateway could not be read: unreachable, timed out, an HTTP error, or access refused. The message names the
 * gateway, the endpoint and the reason, and never carries a token, password or cookie.
 */
public class GatewayException extends Exception {

    /** Why a poll failed; one log line is written per gateway and reason until it changes. */
    public enum Reason {
        UNREACHABLE, TIMEOUT, HTTP_ERROR, AUTH, TLS,
        /** The answer passed {@code enphase.http.max-answer-bytes}. */
        TOO_LARGE
    }

    private final Reason reason;

    public GatewayException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public GatewayException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Whether the gateway's host refused the connection (nothing listens on the port). */
    public boolean connectionRefused() {
        return getCause() instanceof ConnectException;
    }

    /** Whether the gateway's host name does not resolve (a typo, or DNS down). */
    public boolean unknownHost() {
        return getCause() instanceof UnknownHostException;
    }

    public Reason reason() {
        return reason;
    }
}
