-- Version 2's `estimate` (CONTRACT.md §2) as a column of its own. Until now it rode in
-- `kpi_figure.extra` under its header; each figure's mark moves here (true: the figure is an
-- estimate, as kpis.figures.estimate_flags reads a cell) and the header leaves
-- `kpi_file.extra`. `db dump` writes the column after `note`, each mark `x`, in a file that
-- holds an estimate: what the folder store writes.

ALTER TABLE kpi_figure ADD COLUMN estimate boolean NOT NULL DEFAULT false;

-- In each file, the first column whose header names the estimate (the reader's aliases).
WITH at AS (
    SELECT name, (
        SELECT min(i) FROM generate_subscripts(extra, 1) AS i
        WHERE lower(btrim(extra[i])) IN ('estimate', 'ước tính', 'uoc_tinh', 'ước')
    ) AS i
    FROM kpi_file
)
UPDATE kpi_figure AS f
SET estimate = lower(btrim(coalesce(f.extra[at.i], '')))
        NOT IN ('', '0', 'false', 'no', 'không', 'khong'),
    extra = f.extra[:at.i - 1] || f.extra[at.i + 1:]
FROM at
WHERE f.file = at.name AND at.i IS NOT NULL;

WITH at AS (
    SELECT name, (
        SELECT min(i) FROM generate_subscripts(extra, 1) AS i
        WHERE lower(btrim(extra[i])) IN ('estimate', 'ước tính', 'uoc_tinh', 'ước')
    ) AS i
    FROM kpi_file
)
UPDATE kpi_file AS k
SET extra = k.extra[:at.i - 1] || k.extra[at.i + 1:]
FROM at
WHERE k.name = at.name AND at.i IS NOT NULL;

-- Reading asks which lines of each file are estimates: few, found through this index.
CREATE INDEX kpi_figure_estimate ON kpi_figure (file, line) WHERE estimate;
