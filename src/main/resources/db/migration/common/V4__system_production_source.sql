-- system.production_source: which source the production values came from (1 production CT, 2 /api/v1/production,
-- 3 inverters entry of /production.json), so that the ledger never counts a change of source as energy.
ALTER TABLE system ADD COLUMN production_source DOUBLE PRECISION;
