package dev.enphaseetl.sink.jdbc;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.api.FlywayException;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.Redactor;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.model.Schema;

/**
 * Upserts readings into one table per measurement (see {@link SqlTable}); a batch is one transaction with one JDBC
 * batch per measurement, so a re-delivered batch never duplicates a row and a failed batch leaves nothing behind. A
 * field absent from a reading keeps the stored value (COALESCE), a present field overwrites it.
 *
 * <p>
 * The schema is migrated with Flyway on the first delivery (or explicitly with {@link #migrate()}). Synchronized: one
 * connection, one batch at a time.
 */
public class JdbcSink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JdbcSink.class);

    private final JdbcSinkConfig config;
    private final SqlDialect dialect;
    private final ConnectionHolder connections;
    private final Redactor redactor;
    private final GatewayRows gatewayRows = new GatewayRows();
    private boolean migrated;

    public JdbcSink(JdbcSinkConfig config) {
        this.config = config;
        this.dialect = config.dialect();
        this.connections = new ConnectionHolder(config);
        this.redactor = new Redactor(config.password());
        if (dialect == SqlDialect.SQLITE) {
            createSqliteDirectory(config.url());
        }
    }

    private static void createSqliteDirectory(String url) {
        String path = url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", "");
        if (path.isEmpty() || path.equals(":memory:") || path.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new TransientSinkException("cannot create the SQLite directory " + parent + ": " + e, e);
        }
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /** Runs the Flyway migrations now (they also run before the first delivery). */
    public synchronized void migrate() {
        if (migrated) {
            return;
        }
        try {
            SchemaMigrator.migrate(config);
            migrated = true;
        } catch (FlywayException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            // no data is to blame for a schema that cannot be made (wrong credentials, no database, no
            // permission, server away): the sink is down and the readings wait for it
            String msg = "schema migration of " + dialect + " database failed: " + redactor.redact(e.getMessage());
            if (root instanceof SQLException sql && root != e) {
                msg += " (SQLState " + sql.getSQLState() + ")";
            }
            throw new TransientSinkException(msg, e);
        }
    }

    /**
     * Upserts the readings in one transaction. Returns nothing on purpose: as a Camel bean step it leaves the message body (the readings)
     * untouched, so several sinks can follow each other in one route.
     */
    public synchronized void deliver(List<Reading> readings) {
        if (readings.isEmpty()) {
            return;
        }
        Map<SqlTable, List<Reading>> byTable = groupByTable(readings);
        migrate();
        try {
            Connection c = connections.get();
            try {
                for (Map.Entry<SqlTable, List<Reading>> e : byTable.entrySet()) {
                    upsert(c, e.getKey(), e.getValue());
                }
                var gateways = gatewayRows.write(c, dialect, readings);
                c.commit();
                gatewayRows.committed(gateways);
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            if (JdbcErrors.isTransient(e, dialect)) {
                connections.discard();
            }
            var classified = JdbcErrors.classify("upsert of " + readings.size() + " readings into " + dialect, e,
                    dialect, redactor);
            // the caller reports it (the pipeline once per problem, not once per failed batch)
            LOG.debug(classified.getMessage());
            throw classified;
        }
    }

    private static Map<SqlTable, List<Reading>> groupByTable(List<Reading> readings) {
        Map<String, List<Reading>> byMeasurement = new LinkedHashMap<>();
        for (Reading r : readings) {
            byMeasurement.computeIfAbsent(r.measurement(), k -> new ArrayList<>()).add(r);
        }
        Map<SqlTable, List<Reading>> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, List<Reading>> e : byMeasurement.entrySet()) {
            Schema.find(e.getKey()).ifPresentOrElse(m -> out.put(SqlTable.of(m), e.getValue()),
                    () -> unknown.add(e.getKey()));
        }
        if (!unknown.isEmpty()) {
            throw new PermanentSinkException("measurements not in the schema, no table to write to: " + unknown,
                    unknown, null);
        }
        return out;
    }

    private void upsert(Connection c, SqlTable table, List<Reading> rows) throws SQLException {
        if (dialect == SqlDialect.POSTGRESQL) {
            copyUpsert(c, table, merged(table, rows));
            return;
        }
        String sql = dialect.upsert(table.name(), table.columns(), table.keyColumns(), table.updateColumns(), true);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Reading r : rows) {
                int i = 1;
                for (String tag : table.tagColumns()) {
                    String v = r.tag(tag);
                    ps.setString(i++, v == null ? "" : v);
                }
                ps.setLong(i++, r.time());
                ps.setString(i++, Instant.ofEpochSecond(r.time()).toString());
                dialect.setTimestamp(ps, i++, r.time());
                for (String field : table.fieldColumns()) {
                    Double v = r.field(field);
                    if (v == null) {
                        ps.setNull(i++, Types.DOUBLE);
                    } else {
                        ps.setDouble(i++, v);
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * PostgreSQL: the rows are copied ({@code COPY ... FROM STDIN}, PgJDBC's CopyManager) into a temporary table of the
     * same shape that empties itself at commit, then upserted from it by one {@code INSERT ... SELECT ... ON CONFLICT}
     * with the same COALESCE rule as the row-by-row upsert.
     */
    private static void copyUpsert(Connection c, SqlTable table, List<Reading> rows) throws SQLException {
        String staging = "copy_" + table.name();
        List<String> columns = table.columns();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS " + staging + " (LIKE " + table.name()
                    + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
        }
        StringBuilder data = new StringBuilder(rows.size() * 160);
        for (Reading r : rows) {
            for (String tag : table.tagColumns()) {
                String v = r.tag(tag);
                copyText(data, v == null ? "" : v).append('\t');
            }
            data.append(r.time()).append('\t');
            String iso = Instant.ofEpochSecond(r.time()).toString();
            data.append(iso).append('\t').append(iso);
            for (String field : table.fieldColumns()) {
                Double v = r.field(field);
                data.append('\t');
                if (v == null) {
                    data.append("\\N");
                } else {
                    data.append(v.doubleValue());
                }
            }
            data.append('\n');
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + staging + " (" + String.join(", ", columns)
                    + ") FROM STDIN", new StringReader(data.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY into " + staging + " failed: " + e.getMessage(), "08006", e);
        }
        try (Statement st = c.createStatement()) {
            st.executeUpdate(SqlDialect.POSTGRESQL.upsertFrom(table.name(), staging, columns, table.keyColumns(),
                    table.updateColumns()));
        }
    }

    /** Text format of COPY: backslash, tab, newline and carriage return escaped. */
    private static StringBuilder copyText(StringBuilder out, String v) {
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }

    /**
     * Readings with the same key (tags and time) merged in order, as one upsert after the other would store them: a
     * later field overwrites, a field the later reading lacks keeps the earlier value. One {@code INSERT ... SELECT}
     * may not touch a row twice.
     */
    static List<Reading> merged(SqlTable table, List<Reading> rows) {
        Map<List<Object>, Reading> byKey = new LinkedHashMap<>();
        for (Reading r : rows) {
            List<Object> key = new ArrayList<>(table.tagColumns().size() + 1);
            for (String tag : table.tagColumns()) {
                String v = r.tag(tag);
                key.add(v == null ? "" : v);
            }
            key.add(r.time());
            byKey.merge(key, r, (earlier, later) -> {
                Reading.Builder b = Reading.of(later.measurement(), later.time());
                later.tags().forEach(b::tag);
                earlier.fields().forEach(b::field);
                later.fields().forEach(b::field);
                return b.build();
            });
        }
        return byKey.size() == rows.size() ? rows : new ArrayList<>(byKey.values());
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is probably gone; it is discarded by the caller
        }
    }

    /**
     * Reads stored readings of one measurement back, {@code fromInclusive <= time < toExclusive}, ordered by time
     * (e.g. to recompute the daily ledger over whole days). Empty tags ('') and NULL fields are left out, as in the
     * readings that were delivered.
     */
    public List<Reading> read(String measurement, long fromInclusive, long toExclusive) {
        SqlTable table = SqlTable.of(Schema.find(measurement)
                .orElseThrow(
                        () -> new IllegalArgumentException("measurement " + measurement + " is not in the schema")));
        String sql = "SELECT " + String.join(", ", table.columns()) + " FROM " + table.name()
                + " WHERE time >= ? AND time < ? ORDER BY time, " + String.join(", ", table.tagColumns());
        return withConnection((c, d) -> {
            List<Reading> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, fromInclusive);
                ps.setLong(2, toExclusive);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Reading.Builder b = Reading.of(measurement, rs.getLong(SqlTable.TIME));
                        for (String tag : table.tagColumns()) {
                            b.tag(tag, rs.getString(tag));
                        }
                        for (String field : table.fieldColumns()) {
                            double v = rs.getDouble(field);
                            b.field(field, rs.wasNull() ? null : v);
                        }
                        b.addTo(out);
                    }
                }
            }
            return out;
        });
    }

    /** Gives access to the sink's connection for companions (e.g. the ledger table) within its lock. */
    public synchronized <T> T withConnection(SqlWork<T> work) {
        migrate();
        try {
            Connection c = connections.get();
            try {
                T result = work.run(c, dialect);
                c.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            if (JdbcErrors.isTransient(e, dialect)) {
                connections.discard();
            }
            throw JdbcErrors.classify("SQL work on " + dialect, e, dialect, redactor);
        }
    }

    /**
     * Opens (or validates) the sink's connection without migrating or writing ({@code enphase-etl doctor}): the
     * sink's own connection and error classification. Returns a description; throws the {@code SinkException} a
     * delivery would have met.
     */
    public synchronized String check() {
        try {
            Connection c = connections.get();
            String product = c.getMetaData().getDatabaseProductName() + " "
                    + c.getMetaData().getDatabaseProductVersion();
            return dialect + " database " + redactor.redact(config.url()) + " answers (" + product + ")";
        } catch (SQLException e) {
            connections.discard();
            throw JdbcErrors.classify("connection to the " + dialect + " database " + redactor.redact(config.url()), e,
                    dialect, redactor);
        }
    }

    /** Work on an open connection in a transaction the sink commits. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c, SqlDialect dialect) throws SQLException;
    }

    @Override
    public synchronized void close() {
        connections.close();
    }

    @Override
    public String toString() {
        return "JdbcSink[" + config + "]";
    }
}
