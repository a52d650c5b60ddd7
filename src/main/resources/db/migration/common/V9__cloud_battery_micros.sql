-- Battery telemetry and per-micro-inverter production from Enphase's cloud (docs/cloud.md): cloud_interval gains the
-- tag column device (a micro-inverter's serial for kind micro, '' otherwise) in its natural key, and the field soc_pct
-- (battery state of charge, kind battery_soc). A primary key cannot be changed in place on every database (SQLite),
-- so the table is copied into a new one and renamed; its rows keep device ''.

CREATE TABLE cloud_interval_v9 (
    gateway VARCHAR(64) NOT NULL DEFAULT '',
    source VARCHAR(64) NOT NULL DEFAULT '',
    kind VARCHAR(64) NOT NULL DEFAULT '',
    device VARCHAR(64) NOT NULL DEFAULT '',
    time BIGINT NOT NULL,
    time_utc VARCHAR(20) NOT NULL,
    ts ${ts_type},
    energy_wh DOUBLE PRECISION,
    power_w DOUBLE PRECISION,
    duration_s DOUBLE PRECISION,
    devices_reporting DOUBLE PRECISION,
    soc_pct DOUBLE PRECISION,
    PRIMARY KEY (gateway, source, kind, device, time)
);

INSERT INTO cloud_interval_v9 (gateway, source, kind, device, time, time_utc, ts, energy_wh, power_w, duration_s,
        devices_reporting)
    SELECT gateway, source, kind, '', time, time_utc, ts, energy_wh, power_w, duration_s, devices_reporting
    FROM cloud_interval;

DROP TABLE cloud_interval;

ALTER TABLE cloud_interval_v9 RENAME TO cloud_interval;

CREATE INDEX cloud_interval_ts ON cloud_interval (ts);
