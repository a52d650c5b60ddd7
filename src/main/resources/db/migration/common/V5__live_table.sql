-- The high-rate measurement "live" (docs/live.md): power per source and phase from /ivp/livedata/status and
-- /ivp/meters/readings at a period down to 1 s. Keep it short: delete old rows on a schedule (docs/live.md).

CREATE TABLE live (
    gateway VARCHAR(64) NOT NULL DEFAULT '',
    source VARCHAR(64) NOT NULL DEFAULT '',
    phase VARCHAR(64) NOT NULL DEFAULT '',
    time BIGINT NOT NULL,
    time_utc VARCHAR(20) NOT NULL,
    active_power_w DOUBLE PRECISION,
    apparent_power_va DOUBLE PRECISION,
    PRIMARY KEY (gateway, source, phase, time)
);
