-- Issue 16's task progress in the database (issue 15): each plan's `_tasks-<plan id>.csv`,
-- a side file of the store (kpis.store.is_side_file), kept whole as its bytes.
--
-- Bytes, not rows: the file is small (one row a task, a few kilobytes), always read and
-- written whole, and read by one reader (kpis.tasks.parse_progress) that needs the plan to
-- check it. Kept as it was written, it is what the folder store holds: `db dump` writes it
-- back byte for byte (a file edited by hand too), undo and redo put back the bytes that
-- kpi_entry_file keeps, and its columns stay issue 16's to change.

CREATE TABLE kpi_side_file (
    name     text  PRIMARY KEY CHECK (name ~ '^_[^/\\]+\.csv$'),
    content  bytea NOT NULL
);

-- Bumped by every save, undo or redo of a side file, as `n` is by the figures': pages key
-- their caches on both (a task saved elsewhere is seen on the next rerun), while a figures
-- save still compares `n` alone, so saving task progress never refuses an editor's figures.
ALTER TABLE kpi_change ADD COLUMN side bigint NOT NULL DEFAULT 0;
