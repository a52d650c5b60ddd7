package dev.enphaseetl.sink.jdbc;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.Redactor;
import dev.enphaseetl.delivery.SinkException;
import dev.enphaseetl.delivery.TransientSinkException;

/**
 * Transient: connection failures (SQLState class 08, {@link SQLTransientException}, {@link SQLRecoverableException}),
 * deadlocks and serialization failures (class 40), lock timeouts and "database is locked" (SQLite BUSY/LOCKED),
 * insufficient resources (class 53, PostgreSQL), operator intervention (class 57, e.g. server shutting down).
 * Everything else (syntax, missing table or column, constraint and data errors) is permanent.
 */
final class JdbcErrors {

    private JdbcErrors() {}

    static boolean isTransient(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x instanceof SQLTransientException || x instanceof SQLRecoverableException) {
                return true;
            }
            String state = x.getSQLState();
            if (state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                    || state.startsWith("57") || state.equals("HYT00") || state.equals("HY000") && isLockTimeout(x))) {
                return true;
            }
            String msg = String.valueOf(x.getMessage());
            // SQLite reports BUSY/LOCKED without an SQLState; MariaDB lock wait timeout is error 1205
            if (msg.contains("SQLITE_BUSY") || msg.contains("database is locked") || x.getErrorCode() == 1205
                    || x.getErrorCode() == 1213) {
                return true;
            }
            if (x.getCause() instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLockTimeout(SQLException x) {
        return x.getErrorCode() == 1205;
    }

    static SinkException classify(String what, SQLException e, Redactor redactor) {
        String detail = redactor.redact(e.getMessage()) + " (SQLState " + e.getSQLState() + ")";
        return isTransient(e)
                ? new TransientSinkException(what + " failed, retry later: " + detail, e)
                : new PermanentSinkException(what + " rejected: " + detail, e);
    }
}
