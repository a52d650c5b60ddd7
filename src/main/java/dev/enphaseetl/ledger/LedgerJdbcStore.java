package dev.enphaseetl.ledger;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.List;

import dev.enphaseetl.sink.jdbc.JdbcSink;

/**
 * Upserts ledger days into the {@code daily_ledger} table (created by the Flyway migrations), in one transaction on the
 * sink's connection; a recomputed day replaces the stored row.
 */
public class LedgerJdbcStore {

    /** The CSV's columns, then the day as a DATE (V7) for SQL tools. */
    private static final List<String> COLUMNS = with(LedgerColumns.ALL, "day_date");
    private static final List<String> UPDATE = with(LedgerColumns.update(), "day_date");

    private final JdbcSink sink;

    private static List<String> with(List<String> columns, String extra) {
        List<String> out = new java.util.ArrayList<>(columns);
        out.add(extra);
        return List.copyOf(out);
    }

    public LedgerJdbcStore(JdbcSink sink) {
        this.sink = sink;
    }

    public int upsert(List<LedgerDay> days) {
        if (days.isEmpty()) {
            return 0;
        }
        return sink.withConnection((c, dialect) -> {
            String sql = dialect.upsert("daily_ledger", COLUMNS, LedgerColumns.KEY, UPDATE, false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (LedgerDay d : days) {
                    int i = 1;
                    ps.setString(i++, d.gateway());
                    ps.setString(i++, d.day().toString());
                    ps.setString(i++, d.zone());
                    for (BigDecimal n : LedgerColumns.numbers(d)) {
                        if (n == null) {
                            ps.setNull(i++, Types.DOUBLE);
                        } else {
                            ps.setDouble(i++, n.doubleValue());
                        }
                    }
                    ps.setString(i++, d.gridSource());
                    ps.setString(i++, d.flagText());
                    dialect.setDate(ps, i++, d.day());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return days.size();
        });
    }
}
