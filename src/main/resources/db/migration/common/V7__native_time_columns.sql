-- A native timestamp for every reading table and a DATE for the ledger day (issue #14), so that Grafana and BI tools
-- use time functions directly. Existing columns stay: time (epoch seconds, key) and time_utc (ISO text) are unchanged.
-- ts: the reading's time in UTC, typed per database through Flyway placeholders (dev.enphaseetl.sink.jdbc.SqlDialect):
-- TIMESTAMPTZ on PostgreSQL, DATETIME(6) in UTC on MariaDB, ISO-8601 text (YYYY-MM-DDTHH:MM:SSZ) on SQLite.
-- day_date: daily_ledger.day as a DATE (ISO text on SQLite). Both filled here for existing rows, then by the writers.

ALTER TABLE system ADD COLUMN ts ${ts_type};
UPDATE system SET ts = ${ts_from_time};
CREATE INDEX system_ts ON system (ts);
ALTER TABLE system_phase ADD COLUMN ts ${ts_type};
UPDATE system_phase SET ts = ${ts_from_time};
CREATE INDEX system_phase_ts ON system_phase (ts);
ALTER TABLE inverter ADD COLUMN ts ${ts_type};
UPDATE inverter SET ts = ${ts_from_time};
CREATE INDEX inverter_ts ON inverter (ts);
ALTER TABLE meter ADD COLUMN ts ${ts_type};
UPDATE meter SET ts = ${ts_from_time};
CREATE INDEX meter_ts ON meter (ts);
ALTER TABLE eim ADD COLUMN ts ${ts_type};
UPDATE eim SET ts = ${ts_from_time};
CREATE INDEX eim_ts ON eim (ts);
ALTER TABLE storage ADD COLUMN ts ${ts_type};
UPDATE storage SET ts = ${ts_from_time};
CREATE INDEX storage_ts ON storage (ts);
ALTER TABLE pdm_energy ADD COLUMN ts ${ts_type};
UPDATE pdm_energy SET ts = ${ts_from_time};
CREATE INDEX pdm_energy_ts ON pdm_energy (ts);
ALTER TABLE inverter_detail ADD COLUMN ts ${ts_type};
UPDATE inverter_detail SET ts = ${ts_from_time};
CREATE INDEX inverter_detail_ts ON inverter_detail (ts);
ALTER TABLE livedata ADD COLUMN ts ${ts_type};
UPDATE livedata SET ts = ${ts_from_time};
CREATE INDEX livedata_ts ON livedata (ts);
ALTER TABLE livedata_battery ADD COLUMN ts ${ts_type};
UPDATE livedata_battery SET ts = ${ts_from_time};
CREATE INDEX livedata_battery_ts ON livedata_battery (ts);
ALTER TABLE consumption_report ADD COLUMN ts ${ts_type};
UPDATE consumption_report SET ts = ${ts_from_time};
CREATE INDEX consumption_report_ts ON consumption_report (ts);
ALTER TABLE battery ADD COLUMN ts ${ts_type};
UPDATE battery SET ts = ${ts_from_time};
CREATE INDEX battery_ts ON battery (ts);
ALTER TABLE battery_aggregate ADD COLUMN ts ${ts_type};
UPDATE battery_aggregate SET ts = ${ts_from_time};
CREATE INDEX battery_aggregate_ts ON battery_aggregate (ts);
ALTER TABLE live ADD COLUMN ts ${ts_type};
UPDATE live SET ts = ${ts_from_time};
CREATE INDEX live_ts ON live (ts);
ALTER TABLE daily_ledger ADD COLUMN day_date ${date_type};
UPDATE daily_ledger SET day_date = ${date_from_day};
CREATE INDEX daily_ledger_day_date ON daily_ledger (day_date);
