package dev.enphaseetl.sink.jdbc;

import java.util.List;
import java.util.stream.Collectors;

/** The three supported databases, chosen by JDBC URL, and their upsert syntax. */
public enum SqlDialect {
    POSTGRESQL("org.postgresql.Driver"), MARIADB("org.mariadb.jdbc.Driver"), SQLITE("org.sqlite.JDBC");

    private final String driverClass;

    SqlDialect(String driverClass) {
        this.driverClass = driverClass;
    }

    /**
     * Loads the dialect's JDBC driver with this class's class loader, so that {@code DriverManager} finds it even
     * when another class loader (a test framework's, a container's) registered it first.
     */
    public void loadDriver() {
        try {
            Class.forName(driverClass, true, SqlDialect.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("JDBC driver " + driverClass + " is not on the classpath", e);
        }
    }

    public static SqlDialect fromUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        throw new IllegalArgumentException("unsupported JDBC URL (expected jdbc:sqlite:, jdbc:postgresql: or "
                + "jdbc:mariadb:): " + jdbcUrl.replaceAll("[?;].*", ""));
    }

    /**
     * {@code INSERT ... ON CONFLICT (key) DO UPDATE} (PostgreSQL, SQLite) or {@code ... ON DUPLICATE KEY UPDATE}
     * (MariaDB). With {@code keepKnown}, a NULL in the new row keeps the stored value instead of erasing it.
     */
    public String upsert(String table, List<String> columns, List<String> key, List<String> update,
            boolean keepKnown) {
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        if (this == MARIADB) {
            return insert + " ON DUPLICATE KEY UPDATE " + update.stream()
                    .map(c -> c + " = " + (keepKnown ? "COALESCE(VALUES(" + c + "), " + c + ")" : "VALUES(" + c + ")"))
                    .collect(Collectors.joining(", "));
        }
        return insert + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + update.stream()
                .map(c -> c + " = " + (keepKnown
                        ? "COALESCE(excluded." + c + ", " + table + "." + c + ")"
                        : "excluded." + c))
                .collect(Collectors.joining(", "));
    }
}
