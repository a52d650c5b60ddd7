package dev.enphaseetl.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;

/**
 * One gateway's energy balance for one local day. Energies in kWh (null when the day has no interval of the counter
 * they come from), shares in percent (null when undefined: nothing produced / consumed, or the grid side unknown).
 *
 * @param gridSource {@code meter} (import/export from the net-consumption CT's lifetime counters), {@code net}
 *                   (sign-split deltas of {@code system.net_wh_lifetime}) or empty when unknown
 * @param flags      why intervals of the day were left out, never counted as energy: {@code reset} (a counter
 *                   decreased), {@code source-switch} (the production values changed source, e.g. production CT to
 *                   inverters: different counters), {@code jump} (a delta larger than the system's power allows in
 *                   that time, e.g. a counter back from zero after a power cut), {@code gap} (a long interval across
 *                   midnight)
 */
public record LedgerDay(String gateway, LocalDate day, String zone, BigDecimal producedKwh, BigDecimal consumedKwh,
        BigDecimal importedKwh, BigDecimal exportedKwh, BigDecimal selfConsumptionPct, BigDecimal selfSufficiencyPct,
        String gridSource, Set<String> flags) {

    /** kWh carry 6 decimals (1 mWh), percentages 2; normalized here so that equal days are equal records. */
    public LedgerDay {
        flags = Set.copyOf(flags);
        producedKwh = scale(producedKwh, 6);
        consumedKwh = scale(consumedKwh, 6);
        importedKwh = scale(importedKwh, 6);
        exportedKwh = scale(exportedKwh, 6);
        selfConsumptionPct = scale(selfConsumptionPct, 2);
        selfSufficiencyPct = scale(selfSufficiencyPct, 2);
    }

    private static BigDecimal scale(BigDecimal v, int decimals) {
        return v == null ? null : v.setScale(decimals, RoundingMode.HALF_UP);
    }

    /** Flags sorted and joined with ';' (the CSV and SQL form). */
    public String flagText() {
        return String.join(";", new TreeSet<>(flags));
    }
}
