package dev.enphaseetl.delivery;

/** The sink could not be reached or was temporarily unable to accept data; delivering the same batch later may work. */
public class TransientSinkException extends SinkException {

    public TransientSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
