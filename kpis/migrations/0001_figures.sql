-- The figures, their history and the audit trail (kpis/pgstore.py). Applied once by
-- `python -m kpis db upgrade`, which records it in kpi_schema_version.
--
-- A data file is kept as its rows: `figure` holds every row of every file in the canonical
-- order (`line` is the row's line in the canonical CSV, the header being line 1), each cell
-- as written; `db dump` writes the same bytes the folder store writes.

CREATE TABLE kpi_file (
    name   text PRIMARY KEY CHECK (name ~ '^[^/\\]+\.csv$'),
    extra  text[] NOT NULL DEFAULT '{}'  -- headers of the columns outside the contract, in order
);

CREATE TABLE kpi_figure (
    file      text    NOT NULL REFERENCES kpi_file (name) ON DELETE CASCADE,
    line      integer NOT NULL CHECK (line >= 2),
    indicator text    NOT NULL,
    region    text    NOT NULL,  -- as written: '' is the plan's region
    year      text    NOT NULL,
    value     text    NOT NULL,  -- as written, decimal point; '' = not reported
    source    text    NOT NULL,
    note      text    NOT NULL,
    extra     text[]  NOT NULL DEFAULT '{}',  -- cells under kpi_file.extra
    PRIMARY KEY (file, line)
);

-- One row, bumped by every save and undo: what pages compare to notice another process's
-- change, and what a writer locks (SELECT ... FOR UPDATE) so that saves take turns.
CREATE TABLE kpi_change (
    id     integer PRIMARY KEY CHECK (id = 1),
    n      bigint  NOT NULL,
    at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO kpi_change (id, n) VALUES (1, 0);

CREATE TABLE kpi_entry (
    id        text PRIMARY KEY,
    time      text NOT NULL,
    "user"    text NOT NULL,
    action    text NOT NULL,
    undone    boolean NOT NULL DEFAULT false,
    undone_by text,
    undone_at text
);

-- Each file as it was before the entry's save (content NULL: it did not exist), and as the
-- undo found it (after): an undo loses nothing either.
CREATE TABLE kpi_entry_file (
    entry    text  NOT NULL REFERENCES kpi_entry (id) ON DELETE CASCADE,
    name     text  NOT NULL,
    existed  boolean NOT NULL,
    content  bytea,
    after    bytea,
    PRIMARY KEY (entry, name)
);

CREATE TABLE kpi_audit (
    id        bigserial PRIMARY KEY,
    time      text NOT NULL,
    "user"    text NOT NULL,
    indicator text NOT NULL,
    region    text NOT NULL,
    year      text NOT NULL,
    old       text NOT NULL,
    new       text NOT NULL,
    source    text NOT NULL,
    file      text NOT NULL,
    action    text NOT NULL,
    entry     text NOT NULL
);
CREATE INDEX kpi_audit_entry ON kpi_audit (entry);
