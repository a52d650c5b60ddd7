-- Daily energy ledger (dev.enphaseetl.ledger): one row per gateway and local day, replaced on every recomputation.
-- day is the ISO local date (YYYY-MM-DD) in the zone named in zone; energies in kWh, shares in percent.
CREATE TABLE daily_ledger (
    gateway VARCHAR(64) NOT NULL,
    day VARCHAR(10) NOT NULL,
    zone VARCHAR(64) NOT NULL,
    produced_kwh DOUBLE PRECISION,
    consumed_kwh DOUBLE PRECISION,
    imported_kwh DOUBLE PRECISION,
    exported_kwh DOUBLE PRECISION,
    self_consumption_pct DOUBLE PRECISION,
    self_sufficiency_pct DOUBLE PRECISION,
    grid_source VARCHAR(8) NOT NULL DEFAULT '',
    flags VARCHAR(64) NOT NULL DEFAULT '',
    PRIMARY KEY (gateway, day)
);
