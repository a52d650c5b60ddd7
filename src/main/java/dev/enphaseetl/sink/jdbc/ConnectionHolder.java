package dev.enphaseetl.sink.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** One connection per sink, opened lazily and reopened after a failure or when it no longer validates. */
final class ConnectionHolder implements AutoCloseable {

    private final JdbcSinkConfig config;
    private Connection connection;

    ConnectionHolder(JdbcSinkConfig config) {
        this.config = config;
    }

    Connection get() throws SQLException {
        if (connection != null && !connection.isClosed() && connection.isValid(5)) {
            return connection;
        }
        discard();
        Properties p = new Properties();
        if (config.user() != null) {
            p.setProperty("user", config.user());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        config.dialect().loadDriver();
        connection = DriverManager.getConnection(config.url(), p);
        connection.setAutoCommit(false);
        return connection;
    }

    /** Drops the connection (after an error) so that the next {@link #get()} opens a fresh one. */
    void discard() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        discard();
    }
}
