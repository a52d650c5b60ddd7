package dev.enphaseetl.cloud;

/**
 * A cloud call that failed. Messages name the endpoint path and the status, never a URL with its query (the API key
 * is a query parameter), a token or a response body that could echo one.
 */
public class CloudException extends RuntimeException {

    private final int status;

    public CloudException(String message, int status) {
        super(message);
        this.status = status;
    }

    public CloudException(String message, Throwable cause) {
        super(message + ": " + cause.getClass().getSimpleName(), null);
        this.status = -1;
    }

    /** HTTP status, or -1 when there was no answer. */
    public int status() {
        return status;
    }

    /** The monthly quota is used up (counted here or told by the API): no more calls until the next month. */
    public static final class QuotaExhausted extends CloudException {
        public QuotaExhausted(String message) {
            super(message, 429);
        }
    }

    /** No usable OAuth token: the owner must authorize once (enphase-etl backfill --authorize). */
    public static final class NotAuthorized extends CloudException {
        public NotAuthorized(String message) {
            super(message, 401);
        }
    }
}
