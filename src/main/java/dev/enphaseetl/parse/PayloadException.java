package dev.enphaseetl.parse;

/** A payload that cannot be read: the message names what is wrong, never the payload's secrets. */
public class PayloadException extends Exception {

    public PayloadException(String message) {
        super(message);
    }

    public PayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
