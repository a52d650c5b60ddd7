package dev.enphaseetl.web;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.sink.jdbc.ConnectionHolder;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;
import dev.enphaseetl.sink.jdbc.SqlDialect;

/**
 * Read-only queries of the SQL archive (the jdbc sink's tables, docs/sinks.md) for the page. Time series are
 * averaged into buckets by the database ({@code GROUP BY time / bucket}), so a year of one-minute rows reaches the
 * browser as about a thousand points. Plain JDBC on a connection of its own rather than Camel's sql component: the
 * project has no DataSource (the jdbc sink holds one connection), and the bucket expression differs per dialect
 * (MariaDB's {@code /} is not an integer division). Every value comes in as a bound parameter; the bucket width and
 * the column names are numbers and fixed names from this class.
 */
@ApplicationScoped
public class ArchiveReader {

    /** Power columns of {@code system} and {@code system_phase}, in chart order. */
    public static final List<String> POWER = List.of("production_w", "consumption_w", "net_w");

    /** A bucketed series: bucket start times (epoch s) and one list of averages per column (null = no value). */
    public record Series(long bucketSeconds, List<Long> time, Map<String, List<Double>> values) {}

    private final JdbcSinkConfig config;
    private final ConnectionHolder connection;

    @Inject
    public ArchiveReader(EnphaseConfig config) {
        this(config.sink().jdbc().url().filter(u -> !u.isBlank())
                .map(url -> new JdbcSinkConfig(url, config.sink().jdbc().user().orElse(null),
                        config.sink().jdbc().password().orElse(null)))
                .orElseGet(() -> JdbcSinkConfig.sqlite(Path.of(config.dataDir()))));
    }

    public ArchiveReader(JdbcSinkConfig config) {
        this.config = config;
        // SQLite: read-only only at open time; its driver's default busy timeout (3 s) lets the sink's writes wait for
        // a read
        this.connection = new ConnectionHolder(config, c -> {
            if (config.dialect() != SqlDialect.SQLITE) {
                c.setReadOnly(true);
            }
        });
    }

    /** {@code (time / b) * b}, an integer division in each dialect. */
    String bucket(long seconds) {
        return config.dialect() == SqlDialect.MARIADB
                ? "((time DIV " + seconds + ") * " + seconds + ")"
                : "((time / " + seconds + ") * " + seconds + ")";
    }

    /** Gateways in the archive, each with its newest {@code system} time. */
    public synchronized Map<String, Long> gateways() throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        for (Object[] row : query("SELECT gateway, MAX(time) FROM system GROUP BY gateway", List.of())) {
            out.put((String) row[0], ((Number) row[1]).longValue());
        }
        return out;
    }

    /** The newest row of a table for a gateway (column name to value), optionally with extra conditions. */
    public synchronized Optional<Map<String, Object>> latest(String table, String gateway, List<String> columns,
            String extraCondition) throws SQLException {
        String sql = "SELECT time, " + String.join(", ", columns) + " FROM " + table + " WHERE gateway = ?"
                + (extraCondition == null ? "" : " AND " + extraCondition) + " ORDER BY time DESC LIMIT 1";
        List<Object[]> rows = query(sql, List.of(gateway));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", ((Number) rows.get(0)[0]).longValue());
        for (int i = 0; i < columns.size(); i++) {
            out.put(columns.get(i), number(rows.get(0)[i + 1]));
        }
        return Optional.of(out);
    }

    /** Bucketed averages of {@code columns} of {@code system} for a gateway in {@code [from, to)}. */
    public synchronized Series systemPower(String gateway, long from, long to, long bucketSeconds)
            throws SQLException {
        String b = bucket(bucketSeconds);
        StringBuilder sql = new StringBuilder("SELECT " + b);
        POWER.forEach(c -> sql.append(", AVG(").append(c).append(")"));
        sql.append(" FROM system WHERE gateway = ? AND time >= ? AND time < ? GROUP BY ").append(b)
                .append(" ORDER BY 1");
        Series s = new Series(bucketSeconds, new ArrayList<>(), new LinkedHashMap<>());
        POWER.forEach(c -> s.values().put(c, new ArrayList<>()));
        for (Object[] row : query(sql.toString(), List.of(gateway, from, to))) {
            s.time().add(((Number) row[0]).longValue());
            for (int i = 0; i < POWER.size(); i++) {
                s.values().get(POWER.get(i)).add(number(row[i + 1]));
            }
        }
        return s;
    }

    /** Bucketed averages of {@code system_phase} power per phase (empty when the system has no phases). */
    public synchronized Map<String, Series> phasePower(String gateway, long from, long to, long bucketSeconds)
            throws SQLException {
        String b = bucket(bucketSeconds);
        StringBuilder sql = new StringBuilder("SELECT phase, " + b);
        POWER.forEach(c -> sql.append(", AVG(").append(c).append(")"));
        sql.append(" FROM system_phase WHERE gateway = ? AND time >= ? AND time < ? GROUP BY phase, ").append(b)
                .append(" ORDER BY 1, 2");
        Map<String, Series> out = new TreeMap<>();
        for (Object[] row : query(sql.toString(), List.of(gateway, from, to))) {
            Series s = out.computeIfAbsent((String) row[0], p -> {
                Series n = new Series(bucketSeconds, new ArrayList<>(), new LinkedHashMap<>());
                POWER.forEach(c -> n.values().put(c, new ArrayList<>()));
                return n;
            });
            s.time().add(((Number) row[1]).longValue());
            for (int i = 0; i < POWER.size(); i++) {
                s.values().get(POWER.get(i)).add(number(row[i + 2]));
            }
        }
        return out;
    }

    /** Bucketed average watts per inverter serial: serial to (bucket start to watts). */
    public synchronized Map<String, Map<Long, Double>> inverterWatts(String gateway, long from, long to,
            long bucketSeconds) throws SQLException {
        String b = bucket(bucketSeconds);
        Map<String, Map<Long, Double>> out = new TreeMap<>();
        for (Object[] row : query("SELECT serial, " + b + ", AVG(watts) FROM inverter WHERE gateway = ? AND time >= ?"
                + " AND time < ? GROUP BY serial, " + b + " ORDER BY 1, 2", List.of(gateway, from, to))) {
            out.computeIfAbsent((String) row[0], k -> new TreeMap<>()).put(((Number) row[1]).longValue(),
                    number(row[2]));
        }
        return out;
    }

    /** Per inverter in {@code [from, to)}: last report time, highest watts seen, highest {@code max_watts}. */
    public synchronized List<Map<String, Object>> inverterList(String gateway, long from, long to)
            throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object[] row : query("SELECT serial, MAX(time), MAX(watts), MAX(max_watts) FROM inverter"
                + " WHERE gateway = ? AND time >= ? AND time < ? GROUP BY serial ORDER BY serial",
                List.of(gateway, from, to))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("serial", row[0]);
            m.put("last_report", ((Number) row[1]).longValue());
            m.put("peak_watts", number(row[2]));
            m.put("max_watts", number(row[3]));
            out.add(m);
        }
        return out;
    }

    /** Rows of {@code daily_ledger} with {@code first <= day <= last} (ISO dates), by day then gateway. */
    public synchronized List<Map<String, Object>> ledger(String gateway, String first, String last)
            throws SQLException {
        List<Object> params = new ArrayList<>(List.of(first, last));
        String sql = "SELECT gateway, day, zone, produced_kwh, consumed_kwh, imported_kwh, exported_kwh,"
                + " self_consumption_pct, self_sufficiency_pct, grid_source, flags FROM daily_ledger"
                + " WHERE day >= ? AND day <= ?";
        if (gateway != null) {
            sql += " AND gateway = ?";
            params.add(gateway);
        }
        String[] names = {"gateway", "day", "zone", "produced_kwh", "consumed_kwh", "imported_kwh", "exported_kwh",
                "self_consumption_pct", "self_sufficiency_pct", "grid_source", "flags"};
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object[] row : query(sql + " ORDER BY day, gateway", params)) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                m.put(names[i], row[i] instanceof Number ? number(row[i]) : row[i]);
            }
            out.add(m);
        }
        return out;
    }

    private static Double number(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }

    /** Runs a query on the read connection (reopened once after a failure); a missing table reads as no rows. */
    private List<Object[]> query(String sql, List<Object> params) throws SQLException {
        try {
            return run(sql, params);
        } catch (SQLException e) {
            connection.discard();
            if (missingTable(e)) {
                return List.of();
            }
            return run(sql, params);
        }
    }

    private List<Object[]> run(String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = connection.get().prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** Before the jdbc sink's first delivery the schema may not exist yet: that is an empty archive. */
    private static boolean missingTable(SQLException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase();
        return "42P01".equals(e.getSQLState()) || "42S02".equals(e.getSQLState()) || m.contains("no such table");
    }

    @PreDestroy
    synchronized void close() {
        connection.close();
    }
}
