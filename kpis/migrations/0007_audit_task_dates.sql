-- A task's progress date before and after a change (kpis.store.AUDIT_COLUMNS `old_date`,
-- `new_date`), ISO text (2025-06-30) or empty, as the folder's audit.csv writes it: /data's
-- history shows a corrected date, «đang triển khai (30/06/1925) → đang triển khai (30/06/2025)».
-- Rows written before have neither: they show the state alone.

ALTER TABLE kpi_audit ADD COLUMN old_date text NOT NULL DEFAULT '';
ALTER TABLE kpi_audit ADD COLUMN new_date text NOT NULL DEFAULT '';
