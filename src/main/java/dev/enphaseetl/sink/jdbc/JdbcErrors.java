package dev.enphaseetl.sink.jdbc;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.Redactor;
import dev.enphaseetl.delivery.SinkException;
import dev.enphaseetl.delivery.SinkFailures;
import dev.enphaseetl.delivery.TransientSinkException;

/**
 * Turns an {@link SQLException} into {@link TransientSinkException} (sink down: kept and retried) or
 * {@link PermanentSinkException} (rows refused for their content) by the rule of {@link SinkFailures#sql}: refused only
 * when an exception of the chain carries a data or constraint error and none is a connection failure.
 */
final class JdbcErrors {

    private JdbcErrors() {}

    static boolean isTransient(SQLException e, SqlDialect dialect) {
        boolean refused = false;
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x instanceof SQLTransientException || x instanceof SQLRecoverableException
                    || x.getCause() instanceof IOException) {
                return true;
            }
            refused |= SinkFailures.sql(x.getSQLState(), x.getErrorCode(),
                    dialect == SqlDialect.SQLITE) == SinkFailures.Verdict.REFUSED;
        }
        return !refused;
    }

    static SinkException classify(String what, SQLException e, SqlDialect dialect, Redactor redactor) {
        String detail = redactor.redact(e.getMessage()) + " (SQLState " + e.getSQLState() + ")";
        return isTransient(e, dialect)
                ? new TransientSinkException(what + " failed, data kept for retry: " + detail, e)
                : new PermanentSinkException(what + " rejected: " + detail, e);
    }
}
