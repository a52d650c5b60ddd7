package dev.enphaseetl.sink.jdbc;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates or upgrades the tables with Flyway. Migrations live in {@code classpath:db/migration/common} and are written
 * in the SQL subset PostgreSQL, MariaDB and SQLite share, so one set serves all three. To add a measurement, add
 * {@code V<n>__<measurement>.sql} there (start from {@code SqlTable.main}'s output) and list it in {@code index.txt};
 * {@code SchemaTablesTest} fails until every measurement of {@code Schema} has its table and columns and the index
 * matches the folder.
 */
public final class SchemaMigrator {

    public static final String LOCATION = "classpath:db/migration/common";

    private SchemaMigrator() {}

    public static MigrateResult migrate(JdbcSinkConfig config) {
        ClassLoader loader = SchemaMigrator.class.getClassLoader();
        Flyway flyway = Flyway.configure(loader)
                .dataSource(config.url(), config.user(), config.password())
                .locations(LOCATION)
                .placeholders(config.dialect().placeholders())
                // no classpath scanning (it fails inside a Quarkus fast-jar): SQL files from index.txt, no Java migrations
                .resourceProvider(new IndexedMigrations(loader))
                .javaMigrationClassProvider(List::of)
                .connectRetries(0)
                .load();
        return flyway.migrate();
    }
}
