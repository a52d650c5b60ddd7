package dev.enphaseetl.sink.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import dev.enphaseetl.sink.ItSupport;

/** Creates and drops a uniquely named database per test on the real servers (or a SQLite file). */
public final class TestDatabases {

    public record TestDb(JdbcSinkConfig config, Runnable drop) {}

    private TestDatabases() {}

    public static TestDb create(String vendor, Path tmp) throws SQLException {
        String name = ItSupport.uniqueDatabaseName();
        switch (vendor) {
            case "sqlite" -> {
                return new TestDb(JdbcSinkConfig.sqlite(tmp.resolve("data")), () -> {
                });
            }
            case "postgresql" -> {
                ItSupport.requireServer("PostgreSQL", 5432);
                String admin = "jdbc:postgresql://127.0.0.1:5432/postgres";
                exec(admin, "postgres", "CREATE DATABASE " + name);
                return new TestDb(new JdbcSinkConfig("jdbc:postgresql://127.0.0.1:5432/" + name, "postgres", null),
                        () -> exec(admin, "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
            }
            case "mariadb" -> {
                ItSupport.requireServer("MariaDB", 3306);
                String admin = "jdbc:mariadb://127.0.0.1:3306/";
                exec(admin, "root", "CREATE DATABASE " + name);
                return new TestDb(new JdbcSinkConfig("jdbc:mariadb://127.0.0.1:3306/" + name, "root", ""),
                        () -> exec(admin, "root", "DROP DATABASE IF EXISTS " + name));
            }
            default -> throw new IllegalArgumentException(vendor);
        }
    }

    private static void exec(String url, String user, String sql) {
        SqlDialect.fromUrl(url).loadDriver();
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
