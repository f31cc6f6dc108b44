-- Extended statistics (CREATE STATISTICS) on the tables of the managed schemas, members of
-- extensions left out. Columns come back by name (sorted: their order carries no meaning),
-- expressions as the server prints them (PostgreSQL 14+), stxkind as its letters ('e', the
-- statistics every expression gets, is dropped by catalog/build_statistics.py). The target is
-- -1 for the default (NULL from PostgreSQL 17). pg_statistic_ext is small: the per-row calls
-- are a few per statistics object, never per table.
SELECT n.nspname,
       s.stxname::pg_catalog.text,
       c.relname::pg_catalog.text,
       ARRAY(SELECT a.attname::pg_catalog.text
             FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = s.stxrelid AND a.attnum = ANY (s.stxkeys::pg_catalog.int2[])
             ORDER BY a.attname) AS columns,
       CASE WHEN s.stxexprs IS NOT NULL THEN pg_catalog.pg_get_statisticsobjdef_expressions(s.oid) END,
       s.stxkind::pg_catalog.text[],
       COALESCE(s.stxstattarget::pg_catalog.int4, -1),
       pg_catalog.obj_description(s.oid, 'pg_statistic_ext')
FROM pg_catalog.pg_statistic_ext AS s
JOIN pg_catalog.pg_namespace AS n ON n.oid = s.stxnamespace
JOIN pg_catalog.pg_class AS c ON c.oid = s.stxrelid
WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass AND e.objid = s.oid AND e.deptype = 'e'
  )
ORDER BY 1, 2
