-- A figure's estimate mark before and after a change (kpis.store.AUDIT_COLUMNS `old_estimate`,
-- `new_estimate`): `x` for an estimate, empty otherwise, as the folder's audit.csv writes it,
-- so that the history shows «3 (ước)» and an estimate replaced by the official figure
-- «3 (ước) → 3». Text, not boolean: the trail's rows are read and written as text in both
-- stores (`db load` copies a folder's trail as it is). Rows written before have neither: they
-- read as not marked.

ALTER TABLE kpi_audit ADD COLUMN old_estimate text NOT NULL DEFAULT '';
ALTER TABLE kpi_audit ADD COLUMN new_estimate text NOT NULL DEFAULT '';
