-- User triggers (not the internal ones behind foreign keys) on the tables of every user schema:
-- those of managed tables are managed; those on tables elsewhere (auth.users) only when
-- declared, so the reader keeps them all and the diff decides. The WHEN condition is printed
-- only inside pg_get_triggerdef (pg_get_expr cannot deparse NEW/OLD); catalog/build_routines.py
-- cuts it out. tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate,
-- 64 instead of. UPDATE OF columns come back by name, sorted.
SELECT n.nspname,
       c.relname::pg_catalog.text,
       tg.tgname::pg_catalog.text,
       fn.nspname,
       f.proname::pg_catalog.text,
       tg.tgtype,
       ARRAY(SELECT a.attname::pg_catalog.text
             FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = tg.tgrelid AND a.attnum = ANY (tg.tgattr::pg_catalog.int2[])
             ORDER BY a.attname) AS update_columns,
       tg.tgargs,
       tg.tgnargs,
       tg.tgoldtable::pg_catalog.text,
       tg.tgnewtable::pg_catalog.text,
       tg.tgconstraint <> 0 AS is_constraint,
       tg.tgdeferrable,
       tg.tginitdeferred,
       tg.tgenabled,
       CASE WHEN tg.tgqual IS NOT NULL THEN pg_catalog.pg_get_triggerdef(tg.oid) END AS definition,
       pg_catalog.obj_description(tg.oid, 'pg_trigger') AS comment,
       rn.nspname AS referenced_schema,
       rc.relname::pg_catalog.text AS referenced_table
FROM pg_catalog.pg_trigger AS tg
JOIN pg_catalog.pg_class AS c ON c.oid = tg.tgrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc AS f ON f.oid = tg.tgfoid
JOIN pg_catalog.pg_namespace AS fn ON fn.oid = f.pronamespace
-- A constraint trigger's FROM table (tgconstrrelid), 0 for every other trigger.
LEFT JOIN pg_catalog.pg_class AS rc ON rc.oid = tg.tgconstrrelid
LEFT JOIN pg_catalog.pg_namespace AS rn ON rn.oid = rc.relnamespace
WHERE NOT tg.tgisinternal
  -- [partitions] A trigger PostgreSQL cloned onto a partition from its parent's is the parent's.
  AND NOT (c.relispartition AND EXISTS (
      SELECT 1 FROM pg_catalog.pg_inherits AS i
      JOIN pg_catalog.pg_trigger AS pt ON pt.tgrelid = i.inhparent AND pt.tgname = tg.tgname
      WHERE i.inhrelid = c.oid))
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_)'
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND e.objid = tg.oid AND e.deptype = 'e'
  )
ORDER BY 1, 2, 3
