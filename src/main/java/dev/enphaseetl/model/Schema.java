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
    public record Column(String name, String unit, String description) {}

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
                List.of(GATEWAY), java.util.stream.Stream.concat(SYSTEM_FIELDS.stream(), java.util.stream.Stream.of(
                        new Column("production_source", "", "where the production values come from: 1 production CT"
                                + " (eim of /production.json), 2 /api/v1/production, 3 inverters entry of"
                                + " /production.json; their lifetime counters differ, so a change is no energy")))
                        .toList()));
        register(new Measurement("system_phase", "the system values per phase, for systems with more than one phase",
                List.of(GATEWAY, new Column("phase", "", "L1, L2 or L3")), SYSTEM_FIELDS));
        register(new Measurement("inverter", "one microinverter (or AC battery); timestamp is its last report date"
                + " (from /ivp/pdm/device_data where complete, else /api/v1/production/inverters)",
                List.of(GATEWAY, new Column("serial", "", "inverter serial number"),
                        new Column("dev_type", "", "Enphase device type (1 = microinverter, 11 = AC battery)")),
                List.of(new Column("watts", "W", "last reported power"),
                        new Column("max_watts", "W", "maximum reported power"))));
        register(new Measurement("meter", "one CT meter, as a total and per phase",
                List.of(GATEWAY, new Column("eid", "", "meter id"),
                        new Column("type", "",
                                "production, net-consumption, total-consumption, storage, backfeed, ..."),
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
        register(new Measurement("eim",
                "a CT (integrated meter) entry of /production.json with activeCount > 0, as a total and per phase line;"
                        + " timestamp is its readingTime",
                List.of(GATEWAY, new Column("type", "", "production, total-consumption or net-consumption"),
                        new Column("phase", "", "total, L1, L2 or L3")),
                List.of(new Column("active_power_w", "W", "active power now (wNow)"),
                        new Column("apparent_power_va", "VA", "apparent power (apprntPwr)"),
                        new Column("reactive_power_var", "var", "reactive power (reactPwr)"),
                        new Column("voltage_v", "V", "RMS voltage"),
                        new Column("current_a", "A", "RMS current"),
                        new Column("power_factor", "", "power factor"),
                        new Column("energy_wh_today", "Wh", "active energy today (whToday)"),
                        new Column("energy_wh_last_7_days", "Wh", "active energy of the last seven days"),
                        new Column("energy_wh_lifetime", "Wh", "active energy since installation (whLifetime)"),
                        new Column("apparent_energy_vah_today", "VAh", "apparent energy today"),
                        new Column("apparent_energy_vah_lifetime", "VAh", "apparent energy since installation"),
                        new Column("reactive_energy_lead_varh_lifetime", "varh",
                                "leading reactive energy since installation"),
                        new Column("reactive_energy_lag_varh_lifetime", "varh",
                                "lagging reactive energy since installation"),
                        new Column("active_count", "", "number of active meters of this type"))));
        register(new Measurement("storage",
                "a storage entry of /production.json (AC batteries, Encharge); timestamp is its readingTime",
                List.of(GATEWAY, new Column("type", "", "acb or encharge")),
                List.of(new Column("power_w", "W", "power now (wNow; positive = discharging)"),
                        new Column("energy_wh", "Wh", "stored energy now (whNow)"),
                        new Column("soc_pct", "%", "state of charge (percentFull), when reported"),
                        new Column("active_count", "", "number of active storage devices"))));
        register(new Measurement("pdm_energy",
                "/ivp/pdm/energy: power and energy per source class; the endpoint carries no timestamp, so the time is"
                        + " the most recent device timestamp the gateway reported on another endpoint",
                List.of(GATEWAY, new Column("direction", "", "production or consumption"),
                        new Column("source", "", "pcu (microinverters), rgm (revenue grade meter) or eim (CT)")),
                List.of(new Column("power_w", "W", "power now (wattsNow)"),
                        new Column("energy_wh_today", "Wh", "energy today"),
                        new Column("energy_wh_last_7_days", "Wh", "energy of the last seven days"),
                        new Column("energy_wh_lifetime", "Wh", "energy since installation"))));
        register(new Measurement("inverter_detail",
                "/ivp/pdm/device_data: one inverter channel's last interval reading, converted from milli-units and"
                        + " joules to base units; timestamp is lastReading.endDate",
                List.of(GATEWAY, new Column("serial", "", "inverter serial number"),
                        new Column("dev_name", "", "device class (pcu, ...)")),
                List.of(new Column("power_w", "W", "power now (watts.now)"),
                        new Column("max_power_w", "W", "maximum power (watts.max)"),
                        new Column("energy_wh_today", "Wh", "energy today (wattHours.today)"),
                        new Column("energy_wh_yesterday", "Wh", "energy yesterday"),
                        new Column("energy_wh_week", "Wh", "energy of the week"),
                        new Column("interval_energy_j", "J", "energy produced in the last interval (joulesProduced)"),
                        new Column("interval_duration_s", "s", "length of the last interval"),
                        new Column("lifetime_energy_j", "J",
                                "energy produced since installation (lifetime.joulesProduced)"),
                        new Column("ac_voltage_v", "V", "AC voltage (acVoltageINmV / 1000)"),
                        new Column("ac_current_a", "A", "AC current (acCurrentInmA / 1000)"),
                        new Column("ac_frequency_hz", "Hz", "AC frequency (acFrequencyINmHz / 1000)"),
                        new Column("dc_voltage_v", "V", "DC voltage (dcVoltageINmV / 1000)"),
                        new Column("dc_current_a", "A", "DC current (dcCurrentINmA / 1000)"),
                        new Column("temperature_c", "°C", "channel temperature"),
                        new Column("leading_var", "var", "leading reactive power (leadingVArs)"),
                        new Column("lagging_var", "var", "lagging reactive power (laggingVArs)"))));
        register(new Measurement("livedata",
                "/ivp/livedata/status power per source and phase, converted from mW and mVA; timestamp is meters.last_update",
                List.of(GATEWAY, new Column("source", "", "pv, storage, grid, load or generator"),
                        new Column("phase", "", "total, L1, L2 or L3")),
                List.of(new Column("active_power_w", "W", "active power (agg_p_mw / 1000)"),
                        new Column("apparent_power_va", "VA", "apparent power (agg_s_mva / 1000)"))));
        register(new Measurement("live",
                "high-rate mode (docs/live.md): power per source and phase from /ivp/livedata/status (source pv,"
                        + " storage, grid, load, generator) or /ivp/meters/readings (source: the meter type), at a"
                        + " period down to 1 s; timestamp is the device's",
                List.of(GATEWAY, new Column("source", "", "pv, storage, grid, load, generator or a meter type"),
                        new Column("phase", "", "total, L1, L2 or L3")),
                List.of(new Column("active_power_w", "W", "active power"),
                        new Column("apparent_power_va", "VA", "apparent power"))));
        register(new Measurement("livedata_battery",
                "/ivp/livedata/status battery aggregate; timestamp is meters.last_update",
                List.of(GATEWAY),
                List.of(new Column("soc_pct", "%", "state of charge of all batteries"),
                        new Column("backup_soc_pct", "%", "reserve kept for backup"),
                        new Column("encharge_soc_pct", "%", "state of charge of the Encharge batteries"),
                        new Column("encharge_energy_wh", "Wh", "energy stored in the Encharge batteries"),
                        new Column("acb_soc_pct", "%", "state of charge of the AC batteries"),
                        new Column("acb_energy_wh", "Wh", "energy stored in the AC batteries"))));
        register(new Measurement("consumption_report",
                "/ivp/meters/reports/consumption: one consumption report as a total and per phase line; timestamp is"
                        + " createdAt",
                List.of(GATEWAY, new Column("type", "", "reportType: total-consumption or net-consumption"),
                        new Column("report", "", "position of the report in the payload (0, 1, ...): some firmware"
                                + " sends two reports of the same type"),
                        new Column("phase", "", "total, L1, L2 or L3")),
                List.of(new Column("active_power_w", "W", "active power (actPower)"),
                        new Column("apparent_power_va", "VA", "apparent power (apprntPwr)"),
                        new Column("reactive_power_var", "var", "reactive power (reactPwr)"),
                        new Column("energy_delivered_wh", "Wh", "cumulative energy delivered (whDlvdCum)"),
                        new Column("energy_received_wh", "Wh", "cumulative energy received (whRcvdCum)"),
                        new Column("apparent_energy_vah", "VAh", "cumulative apparent energy (vahCum)"),
                        new Column("reactive_energy_lag_varh", "varh", "cumulative lagging reactive energy"),
                        new Column("reactive_energy_lead_varh", "varh", "cumulative leading reactive energy"),
                        new Column("voltage_v", "V", "RMS voltage"),
                        new Column("current_a", "A", "RMS current"),
                        new Column("power_factor", "", "power factor"),
                        new Column("frequency_hz", "Hz", "frequency"))));
        register(new Measurement("battery",
                "one Encharge battery from /ivp/ensemble/inventory; timestamp is its last_rpt_date",
                List.of(GATEWAY, new Column("serial", "", "battery serial number")),
                List.of(new Column("soc_pct", "%", "state of charge (percentFull)"),
                        new Column("capacity_wh", "Wh", "nominal capacity (encharge_capacity)"),
                        new Column("temperature_c", "°C", "battery temperature"),
                        new Column("max_cell_temperature_c", "°C", "hottest cell temperature"))));
        register(new Measurement("battery_aggregate",
                "/ivp/ensemble/secctrl battery aggregate; the endpoint carries no timestamp, so the time is the most"
                        + " recent device timestamp the gateway reported on another endpoint",
                List.of(GATEWAY),
                List.of(new Column("soc_pct", "%", "aggregate state of charge (agg_soc)"),
                        new Column("max_energy_wh", "Wh", "aggregate capacity (Max_energy)"),
                        new Column("encharge_soc_pct", "%", "Encharge state of charge (ENC_agg_soc)"),
                        new Column("encharge_soh_pct", "%", "Encharge state of health (ENC_agg_soh)"),
                        new Column("encharge_available_energy_wh", "Wh",
                                "Encharge available energy (ENC_agg_avail_energy)"),
                        new Column("encharge_backup_energy_wh", "Wh",
                                "Encharge energy kept for backup (ENC_agg_backup_energy)"),
                        new Column("acb_soc_pct", "%", "AC battery state of charge (ACB_agg_soc)"),
                        new Column("acb_energy_wh", "Wh", "AC battery energy (ACB_agg_energy)"),
                        new Column("backup_soc_pct", "%", "configured backup reserve (configured_backup_soc)"))));
        register(new Measurement("cloud_interval",
                "energy of one interval from Enphase's cloud (Enlighten Systems API v4 telemetry, docs/cloud.md), written"
                        + " only where the local archive has a gap; timestamp is the interval's end (end_at)",
                List.of(GATEWAY, new Column("source", "", "always cloud: the value did not come from the gateway"),
                        new Column("kind", "", "production, consumption, import, export, battery_charge,"
                                + " battery_discharge, battery_soc or micro"),
                        new Column("device", "", "the micro-inverter's serial (kind micro); empty otherwise")),
                List.of(new Column("energy_wh", "Wh",
                        "energy of the interval (enwh, wh_del, wh_imported, wh_exported; battery charge.enwh,"
                                + " discharge.enwh)"),
                        new Column("power_w", "W", "mean power of the interval (energy_wh / duration)"),
                        new Column("duration_s", "s", "length of the interval (900 for 15-minute telemetry, 300"
                                + " for micro-inverters)"),
                        new Column("devices_reporting", "", "devices that had reported the interval when it was"
                                + " fetched, when the API tells"),
                        new Column("soc_pct", "%", "battery state of charge at the interval's end (kind"
                                + " battery_soc)"))));
        register(new Measurement("cloud_day",
                "daily energy from Enphase's cloud since the system's start (v4 energy_lifetime and"
                        + " consumption_lifetime, docs/cloud.md); timestamp is the start of the system's local day",
                List.of(GATEWAY, new Column("source", "", "always cloud")),
                List.of(new Column("production_wh", "Wh", "energy produced that day"),
                        new Column("consumption_wh", "Wh", "energy consumed that day, when the system meters it"))));
    }

    private Schema() {}

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
