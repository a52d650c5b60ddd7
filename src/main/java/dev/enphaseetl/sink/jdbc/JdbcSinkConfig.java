package dev.enphaseetl.sink.jdbc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A JDBC target chosen at runtime: SQLite (default, a file under the data directory), PostgreSQL or MariaDB, selected
 * by the URL.
 *
 * @param url      e.g. {@code jdbc:sqlite:/data/enphase.db}, {@code jdbc:postgresql://host/db},
 *                 {@code jdbc:mariadb://host/db}
 * @param user     may be null (SQLite)
 * @param password may be null; never printed
 */
public record JdbcSinkConfig(String url, String user, String password) {

    public JdbcSinkConfig {
        Objects.requireNonNull(url, "url");
    }

    /** The default: {@code jdbc:sqlite:<dataDir>/enphase.db}. */
    public static JdbcSinkConfig sqlite(Path dataDir) {
        return new JdbcSinkConfig("jdbc:sqlite:" + dataDir.resolve("enphase.db"), null, null);
    }

    public SqlDialect dialect() {
        return SqlDialect.fromUrl(url);
    }

    @Override
    public String toString() {
        return "JdbcSinkConfig[url=" + url.replaceAll("(?i)(password=)[^&;]*", "$1***") + ", user=" + user
                + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
