package dev.enphaseetl.ledger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.jdbc.JdbcSink;

/**
 * Recomputes whole days of the ledger from the SQL archive and stores them (CSV year files and/or the
 * {@code daily_ledger} table). Call it from a timer route, e.g. {@code recompute(yesterday, today)} every 15 minutes.
 * Readings are read from {@code maxCrossDayGap} before the first midnight to {@code maxCrossDayGap} after the last,
 * so intervals crossing the range's midnights are split as in a full computation; only the requested days are stored.
 */
public class LedgerRecompute {

    private final JdbcSink archive;
    private final LedgerConfig config;
    private final LedgerCsvStore csv;
    private final LedgerJdbcStore table;

    /** {@code csv} and {@code table} may be null to skip that store. */
    public LedgerRecompute(JdbcSink archive, LedgerConfig config, LedgerCsvStore csv, LedgerJdbcStore table) {
        this.archive = archive;
        this.config = config;
        this.csv = csv;
        this.table = table;
    }

    /** Recomputes yesterday and today (local days in the ledger's zone): the method for a timer route's bean step. */
    public List<LedgerDay> recomputeRecent() {
        LocalDate today = LocalDate.now(config.zone());
        return recompute(today.minusDays(1), today);
    }

    /** Recomputes {@code first..last} (inclusive, local days) and returns the stored days. */
    public List<LedgerDay> recompute(LocalDate first, LocalDate last) {
        long margin = config.maxCrossDayGap().toSeconds();
        long from = first.atStartOfDay(config.zone()).toEpochSecond() - margin;
        long to = last.plusDays(1).atStartOfDay(config.zone()).toEpochSecond() + margin + 1;
        List<Reading> readings = new ArrayList<>(archive.read("system", from, to));
        readings.addAll(archive.read("meter", from, to));
        readings.addAll(archive.read("cloud_interval", from, to));
        readings.addAll(archive.read("cloud_day", from, to));
        List<LedgerDay> days = new DailyLedger(config).compute(readings).stream()
                .filter(d -> !d.day().isBefore(first) && !d.day().isAfter(last)).toList();
        if (csv != null) {
            csv.upsert(days);
        }
        if (table != null) {
            table.upsert(days);
        }
        return days;
    }
}
