-- Sequences in the managed schemas with their options (pg_sequence), the column that owns
-- each (pg_depend: 'a' for serial and OWNED BY, 'i' for an identity column's sequence) and
-- their comment. Members of extensions are left out. The current value is data, not read here
-- (catalog/counters.py reads it for the few sequences whose range a plan narrows).
SELECT n.nspname,
       c.relname,
       pg_catalog.format_type(s.seqtypid, NULL) AS type,
       s.seqstart,
       s.seqincrement,
       s.seqmin,
       s.seqmax,
       s.seqcache,
       s.seqcycle,
       owner.relname AS owner_table,
       a.attname AS owner_column,
       d.deptype,
       ds.description
FROM pg_catalog.pg_sequence AS s
JOIN pg_catalog.pg_class AS c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_depend AS d
       ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.objid = c.oid
      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.refobjsubid > 0
      AND d.deptype IN ('a', 'i')
LEFT JOIN pg_catalog.pg_class AS owner ON owner.oid = d.refobjid
LEFT JOIN pg_catalog.pg_attribute AS a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
LEFT JOIN pg_catalog.pg_description AS ds
       ON ds.objoid = c.oid
      AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND ds.objsubid = 0
WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid AND e.deptype = 'e'
  )
ORDER BY 1, 2
