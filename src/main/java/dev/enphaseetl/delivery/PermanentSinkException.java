package dev.enphaseetl.delivery;

import java.util.List;

/**
 * The sink rejected (part of) the data for a reason that retrying will not fix: a field type conflict, a parse error,
 * an unknown measurement, a constraint violation. {@link #rejected()} lists the offending lines or records when the
 * sink could tell which; it is empty when it could not.
 */
public class PermanentSinkException extends SinkException {

    private final List<String> rejected;

    public PermanentSinkException(String message, List<String> rejected, Throwable cause) {
        super(message, cause);
        this.rejected = rejected == null ? List.of() : List.copyOf(rejected);
    }

    public PermanentSinkException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    public List<String> rejected() {
        return rejected;
    }
}
