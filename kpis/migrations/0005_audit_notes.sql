-- A figure's note before and after a change (kpis.store.AUDIT_COLUMNS `old_note`, `new_note`):
-- a note taken out or rewritten is recorded in the trail. Rows written before have neither.

ALTER TABLE kpi_audit ADD COLUMN old_note text NOT NULL DEFAULT '';
ALTER TABLE kpi_audit ADD COLUMN new_note text NOT NULL DEFAULT '';
