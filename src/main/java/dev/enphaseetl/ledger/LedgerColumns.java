package dev.enphaseetl.ledger;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/** Column names and order of the ledger, shared by the CSV files and the {@code daily_ledger} table. */
final class LedgerColumns {

    static final List<String> KEY = List.of("gateway", "day");
    static final List<String> ALL = List.of("gateway", "day", "zone", "produced_kwh", "consumed_kwh", "imported_kwh",
            "exported_kwh", "self_consumption_pct", "self_sufficiency_pct", "grid_source", "flags");

    /**
     * The CSV files' columns: those of the table plus, after {@code day}, the day's first instant in UTC
     * ({@code day_start_utc}, ISO-8601) and in the ledger's zone ({@code day_start_local}, a date-time spreadsheets
     * read as one).
     */
    static final List<String> CSV = List.of("gateway", "day", "day_start_utc", "day_start_local", "zone",
            "produced_kwh", "consumed_kwh", "imported_kwh", "exported_kwh", "self_consumption_pct",
            "self_sufficiency_pct", "grid_source", "flags");

    private LedgerColumns() {}

    static List<BigDecimal> numbers(LedgerDay d) {
        return Arrays.asList(d.producedKwh(), d.consumedKwh(), d.importedKwh(), d.exportedKwh(),
                d.selfConsumptionPct(), d.selfSufficiencyPct());
    }

    static List<String> update() {
        return ALL.subList(2, ALL.size());
    }
}
