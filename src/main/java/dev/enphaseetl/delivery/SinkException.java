package dev.enphaseetl.delivery;

/**
 * A delivery to a sink failed. Subclasses tell a route what to do: {@link TransientSinkException} -> retry later,
 * {@link PermanentSinkException} -> do not retry the same data (dead letter). Messages never carry secrets.
 */
public abstract class SinkException extends RuntimeException {

    protected SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
