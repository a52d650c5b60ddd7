package dev.enphaseetl.sink.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One connection to the SQL archive, opened lazily and reopened after a failure or when it no longer validates: the
 * jdbc sink's (transactions) and the page's (reads). Not thread-safe: each owner serialises its use.
 */
public final class ConnectionHolder implements AutoCloseable {

    /** What a freshly opened connection is set to before its first use. */
    @FunctionalInterface
    public interface Setup {
        void apply(Connection connection) throws SQLException;
    }

    private final JdbcSinkConfig config;
    private final Setup setup;
    private Connection connection;

    /** The sink's connection: one transaction per batch. */
    ConnectionHolder(JdbcSinkConfig config) {
        this(config, c -> c.setAutoCommit(false));
    }

    public ConnectionHolder(JdbcSinkConfig config, Setup setup) {
        this.config = config;
        this.setup = setup;
    }

    public Connection get() throws SQLException {
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
        setup.apply(connection);
        return connection;
    }

    /** Drops the connection (after an error) so that the next {@link #get()} opens a fresh one. */
    public void discard() {
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
