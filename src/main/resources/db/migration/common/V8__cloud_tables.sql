-- Data from Enphase's cloud (Enlighten Systems API v4, docs/cloud.md), kept apart from the gateway's readings so that
-- a cloud value can never overwrite a local one: 15-minute interval energy written where the archive has a gap, and
-- daily energy since the system's start (history import). ts as in V7 (native timestamp, typed per database).

CREATE TABLE cloud_interval (
    gateway VARCHAR(64) NOT NULL DEFAULT '',
    source VARCHAR(64) NOT NULL DEFAULT '',
    kind VARCHAR(64) NOT NULL DEFAULT '',
    time BIGINT NOT NULL,
    time_utc VARCHAR(20) NOT NULL,
    ts ${ts_type},
    energy_wh DOUBLE PRECISION,
    power_w DOUBLE PRECISION,
    duration_s DOUBLE PRECISION,
    devices_reporting DOUBLE PRECISION,
    PRIMARY KEY (gateway, source, kind, time)
);

CREATE TABLE cloud_day (
    gateway VARCHAR(64) NOT NULL DEFAULT '',
    source VARCHAR(64) NOT NULL DEFAULT '',
    time BIGINT NOT NULL,
    time_utc VARCHAR(20) NOT NULL,
    ts ${ts_type},
    production_wh DOUBLE PRECISION,
    consumption_wh DOUBLE PRECISION,
    PRIMARY KEY (gateway, source, time)
);

CREATE INDEX cloud_interval_ts ON cloud_interval (ts);
CREATE INDEX cloud_day_ts ON cloud_day (ts);
