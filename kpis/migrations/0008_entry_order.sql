-- History entries in the order the database committed them, not by their ids: an id was the
-- saving machine's clock, and two dashboard machines whose clocks differ made `undo` revert
-- the wrong save (and with it erase another editor's later one). `seq` is taken from a
-- sequence inside the save's transaction, which holds the writers' turn (kpi_change FOR
-- UPDATE): its order is the order of the saves.
--
-- Entries saved before keep an order: their own audit rows' (kpi_audit.id, numbered by the
-- server as each save committed), then, for an entry without audit rows, its id.

ALTER TABLE kpi_entry ADD COLUMN seq bigint;
UPDATE kpi_entry SET seq = ordered.n
FROM (
    SELECT e.id, row_number() OVER (
        ORDER BY (
            SELECT min(a.id) FROM kpi_audit AS a
            WHERE a.entry = e.id AND a.action NOT IN ('undo', 'redo')
        ) NULLS LAST, e.id
    ) AS n
    FROM kpi_entry AS e
) AS ordered
WHERE kpi_entry.id = ordered.id;
CREATE SEQUENCE kpi_entry_seq OWNED BY kpi_entry.seq;
SELECT setval('kpi_entry_seq', coalesce((SELECT max(seq) FROM kpi_entry), 0) + 1, false);
ALTER TABLE kpi_entry
    ALTER COLUMN seq SET DEFAULT nextval('kpi_entry_seq'),
    ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX kpi_entry_order ON kpi_entry (seq);
