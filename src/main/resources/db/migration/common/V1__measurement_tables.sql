-- Tables per measurement, generated from dev.enphaseetl.model.Schema by SqlTable.main (dialect-neutral:
-- PostgreSQL, MariaDB and SQLite). Never edit an applied migration: add V<n>__<what>.sql instead.

CREATE TABLE system (
    gateway VARCHAR(64) NOT NULL DEFAULT '',
    time BIGINT NOT NULL,
    time_utc VARCHAR(20) NOT NULL,
    production_w DOUBLE PRECISION,
    production_wh_today DOUBLE PRECISION,
    production_wh_last_7_days DOUBLE PRECISION,
    production_wh_lifetime DOUBLE PRECISION,
    consumption_w DOUBLE PRECISION,
    consumption_wh_today DOUBLE PRECISION,
    consumption_wh_last_7_days DOUBLE PRECISION,
    consumption_wh_lifetime DOUBLE PRECISION,
    net_w DOUBLE PRECISION,
    net_wh_today DOUBLE PRECISION,
    net_wh_last_7_days DOUBLE PRECISION,
    net_wh_lifetime DOUBLE PRECISION,
    PRIMARY KEY (gateway, time)
);

CREATE TABLE system_phase (
    gateway VARCHAR(64) NOT NULL DEFAULT '',
    phase VARCHAR(64) NOT NULL DEFAULT '',
    time BIGINT NOT NULL,
    time_utc VARCHAR(20) NOT NULL,
    production_w DOUBLE PRECISION,
    production_wh_today DOUBLE PRECISION,
    production_wh_last_7_days DOUBLE PRECISION,
    production_wh_lifetime DOUBLE PRECISION,
    consumption_w DOUBLE PRECISION,
    consumption_wh_today DOUBLE PRECISION,
    consumption_wh_last_7_days DOUBLE PRECISION,
    consumption_wh_lifetime DOUBLE PRECISION,
    net_w DOUBLE PRECISION,
    net_wh_today DOUBLE PRECISION,
    net_wh_last_7_days DOUBLE PRECISION,
    net_wh_lifetime DOUBLE PRECISION,
    PRIMARY KEY (gateway, phase, time)
);

CREATE TABLE inverter (
    gateway VARCHAR(64) NOT NULL DEFAULT '',
    serial VARCHAR(64) NOT NULL DEFAULT '',
    dev_type VARCHAR(64) NOT NULL DEFAULT '',
    time BIGINT NOT NULL,
    time_utc VARCHAR(20) NOT NULL,
    watts DOUBLE PRECISION,
    max_watts DOUBLE PRECISION,
    PRIMARY KEY (gateway, serial, dev_type, time)
);

CREATE TABLE meter (
    gateway VARCHAR(64) NOT NULL DEFAULT '',
    eid VARCHAR(64) NOT NULL DEFAULT '',
    type VARCHAR(64) NOT NULL DEFAULT '',
    phase VARCHAR(64) NOT NULL DEFAULT '',
    time BIGINT NOT NULL,
    time_utc VARCHAR(20) NOT NULL,
    active_power_w DOUBLE PRECISION,
    apparent_power_va DOUBLE PRECISION,
    reactive_power_var DOUBLE PRECISION,
    energy_delivered_wh DOUBLE PRECISION,
    energy_received_wh DOUBLE PRECISION,
    voltage_v DOUBLE PRECISION,
    current_a DOUBLE PRECISION,
    frequency_hz DOUBLE PRECISION,
    power_factor DOUBLE PRECISION,
    PRIMARY KEY (gateway, eid, type, phase, time)
);

