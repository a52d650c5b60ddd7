package dev.enphaseetl.parse;

import java.util.List;

/**
 * What one /production.json payload said, reduced to what the system reading needs. An entry is null when the
 * payload did not have it.
 */
record ProductionSnapshot(Entry inverters, Entry productionEim, Entry totalConsumption, Entry netConsumption) {

    /** One entry: its readingTime (null if missing or implausible), activeCount, totals and per-phase lines. */
    record Entry(Long readingTime, long activeCount, Values total, List<Values> lines) {
        Entry {
            lines = List.copyOf(lines);
        }

        boolean active() {
            return activeCount > 0;
        }
    }

    boolean hasActiveProductionEim() {
        return productionEim != null && productionEim.active();
    }
}
