package dev.enphaseetl.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data contract: every measurement with its tags and fields in a stable order. CSV column order, SQL tables, the
 * README schema table and the dashboard test are all derived from this one list.
 */
public final class Schema {

    /** A tag or field: its name, unit (empty for none) and meaning. */
    public record Column(String name, String unit, String description) {
    }

    /** A measurement with tags and fields in their stable order. */
    public record Measurement(String name, String description, List<Column> tags, List<Column> fields) {
        public List<String> tagNames() {
            return tags.stream().map(Column::name).toList();
        }

        public List<String> fieldNames() {
            return fields.stream().map(Column::name).toList();
        }
    }

    private static final Map<String, Measurement> MEASUREMENTS = new LinkedHashMap<>();

    static final Column GATEWAY = new Column("gateway", "", "gateway serial number");

    private static final List<Column> SYSTEM_FIELDS = List.of(
            new Column("production_w", "W", "production power now"),
            new Column("production_wh_today", "Wh", "production energy today (gateway's local day)"),
            new Column("production_wh_last_7_days", "Wh", "production energy of the last seven days"),
            new Column("production_wh_lifetime", "Wh", "production energy since installation"),
            new Column("consumption_w", "W", "total consumption power now"),
            new Column("consumption_wh_today", "Wh", "total consumption energy today"),
            new Column("consumption_wh_last_7_days", "Wh", "total consumption energy of the last seven days"),
            new Column("consumption_wh_lifetime", "Wh", "total consumption energy since installation"),
            new Column("net_w", "W", "net consumption power now (grid; negative = export)"),
            new Column("net_wh_today", "Wh", "net consumption energy today"),
            new Column("net_wh_last_7_days", "Wh", "net consumption energy of the last seven days"),
            new Column("net_wh_lifetime", "Wh", "net consumption energy since installation"));

    static {
        register(new Measurement("system",
                "whole-system production, total consumption and net consumption, from the best source the gateway offers",
                List.of(GATEWAY), SYSTEM_FIELDS));
        register(new Measurement("system_phase", "the system values per phase, for systems with more than one phase",
                List.of(GATEWAY, new Column("phase", "", "L1, L2 or L3")), SYSTEM_FIELDS));
        register(new Measurement("inverter", "one microinverter (or AC battery); timestamp is its last report date",
                List.of(GATEWAY, new Column("serial", "", "inverter serial number"),
                        new Column("dev_type", "", "Enphase device type (1 = microinverter, 11 = AC battery)")),
                List.of(new Column("watts", "W", "last reported power"),
                        new Column("max_watts", "W", "maximum reported power"))));
        register(new Measurement("meter", "one CT meter, as a total and per phase",
                List.of(GATEWAY, new Column("eid", "", "meter id"),
                        new Column("type", "", "production, net-consumption, total-consumption, storage, backfeed, ..."),
                        new Column("phase", "", "total, L1, L2 or L3")),
                List.of(new Column("active_power_w", "W", "active power"),
                        new Column("apparent_power_va", "VA", "apparent power"),
                        new Column("reactive_power_var", "var", "reactive power"),
                        new Column("energy_delivered_wh", "Wh", "lifetime active energy delivered"),
                        new Column("energy_received_wh", "Wh", "lifetime active energy received"),
                        new Column("voltage_v", "V", "RMS voltage"),
                        new Column("current_a", "A", "RMS current"),
                        new Column("frequency_hz", "Hz", "grid frequency"),
                        new Column("power_factor", "", "power factor (-1..1)"))));
    }

    private Schema() {
    }

    /** Adds a measurement; parsers of further endpoints register theirs here so that every output knows it. */
    private static void register(Measurement m) {
        MEASUREMENTS.put(m.name(), m);
    }

    public static Optional<Measurement> find(String name) {
        return Optional.ofNullable(MEASUREMENTS.get(name));
    }

    public static List<Measurement> all() {
        return Collections.unmodifiableList(new ArrayList<>(MEASUREMENTS.values()));
    }
}
