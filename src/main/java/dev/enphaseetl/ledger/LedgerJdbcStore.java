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

    private final JdbcSink sink;

    public LedgerJdbcStore(JdbcSink sink) {
        this.sink = sink;
    }

    public int upsert(List<LedgerDay> days) {
        if (days.isEmpty()) {
            return 0;
        }
        return sink.withConnection((c, dialect) -> {
            String sql = dialect.upsert("daily_ledger", LedgerColumns.ALL, LedgerColumns.KEY, LedgerColumns.update(),
                    false);
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
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return days.size();
        });
    }
}
