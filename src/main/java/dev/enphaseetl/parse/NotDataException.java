package dev.enphaseetl.parse;

/**
 * What a gateway sends instead of data (an HTML page, {@code {"error": ...}}, {@code []}, a 401 body): the endpoint
 * is not available on this firmware. Reported once per gateway and endpoint, never dead-lettered on every poll.
 */
public class NotDataException extends PayloadException {

    public NotDataException(String message) {
        super(message);
    }
}
