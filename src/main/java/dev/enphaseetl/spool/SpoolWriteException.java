package dev.enphaseetl.spool;

import java.io.IOException;

/** The spool could not be written (read-only or broken file system, a file where a directory belongs, disk full). */
public class SpoolWriteException extends IOException {

    public SpoolWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
