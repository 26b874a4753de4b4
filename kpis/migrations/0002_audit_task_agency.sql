-- Issue 16: an audit row names the task it changed and the agency that answers for the
-- figure or task (kpis.store.AUDIT_COLUMNS). Rows written before have neither.

ALTER TABLE kpi_audit ADD COLUMN task text NOT NULL DEFAULT '';
ALTER TABLE kpi_audit ADD COLUMN agency text NOT NULL DEFAULT '';
