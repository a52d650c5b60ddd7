package dev.enphaseetl.sink.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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

    /**
     * Flyway placeholders of the migrations that differ per database: the native timestamp column {@code ts} (UTC)
     * and the ledger's {@code day_date}, their types and how they are computed from {@code time} and {@code day}.
     */
    public Map<String, String> placeholders() {
        return switch (this) {
            case POSTGRESQL -> Map.of("ts_type", "TIMESTAMPTZ", "ts_from_time", "to_timestamp(time)", "date_type",
                    "DATE", "date_from_day", "CAST(day AS DATE)");
            case MARIADB -> Map.of("ts_type", "DATETIME(6)", "ts_from_time",
                    "TIMESTAMPADD(SECOND, time, TIMESTAMP '1970-01-01 00:00:00')", "date_type", "DATE",
                    "date_from_day", "CAST(day AS DATE)");
            case SQLITE ->
                Map.of("ts_type", "TEXT", "ts_from_time", "strftime('%Y-%m-%dT%H:%M:%SZ', time, 'unixepoch')",
                        "date_type", "TEXT", "date_from_day", "day");
        };
    }

    /**
     * {@code INSERT INTO table SELECT ... FROM source ON CONFLICT (key) DO UPDATE} (PostgreSQL), keeping a stored value
     * where the new row has NULL, as {@link #upsert} with {@code keepKnown}.
     */
    public String upsertFrom(String table, String source, List<String> columns, List<String> key,
            List<String> update) {
        String cols = String.join(", ", columns);
        return "INSERT INTO " + table + " (" + cols + ") SELECT " + cols + " FROM " + source + " ON CONFLICT ("
                + String.join(", ", key) + ") DO UPDATE SET " + update.stream()
                        .map(c -> c + " = COALESCE(excluded." + c + ", " + table + "." + c + ")")
                        .collect(Collectors.joining(", "));
    }

    /** Sets the native timestamp column {@code ts} for a reading's time (epoch seconds, UTC). */
    public void setTimestamp(PreparedStatement ps, int index, long epochSeconds) throws SQLException {
        Instant t = Instant.ofEpochSecond(epochSeconds);
        switch (this) {
            case POSTGRESQL -> ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            case MARIADB -> ps.setObject(index, LocalDateTime.ofInstant(t, ZoneOffset.UTC));
            case SQLITE -> ps.setString(index, t.toString());
        }
    }

    /** Sets a DATE column ({@code daily_ledger.day_date}; ISO text on SQLite). */
    public void setDate(PreparedStatement ps, int index, LocalDate day) throws SQLException {
        if (this == SQLITE) {
            ps.setString(index, day.toString());
        } else {
            ps.setObject(index, day);
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
