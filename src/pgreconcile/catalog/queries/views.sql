-- Views and materialized views of the managed schemas, one row each: the query as the server
-- prints it (pg_get_viewdef with pretty-printing, under search_path = pg_catalog, so every name
-- outside pg_catalog comes back schema-qualified), the options, the comments, the output
-- columns, and the keys (model.keys) of what the query reads, from the pg_depend rows of its
-- rewrite rule (catalog objects left out). Members of extensions are skipped. The same query,
-- run over the temporary schema, reads the canonical form of declared queries
-- (catalog/canonical.py).
SELECT c.oid,
       n.nspname,
       c.relname,
       c.relkind,
       pg_catalog.pg_get_viewdef(c.oid, true) AS query,
       coalesce(c.reloptions, '{}') AS reloptions,
       d.description,
       ARRAY(SELECT a.attname::pg_catalog.text FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS column_names,
       ARRAY(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS column_types,
       ARRAY(SELECT cd.description
             FROM pg_catalog.pg_attribute AS a
             LEFT JOIN pg_catalog.pg_description AS cd
                    ON cd.objoid = c.oid AND cd.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
                   AND cd.objsubid = a.attnum
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS column_comments,
       ARRAY(
           SELECT DISTINCT
                  CASE WHEN dep.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN
                           'function:' || pn.nspname || '.' || p.proname || '(' || pg_catalog.array_to_string(
                               ARRAY(SELECT pg_catalog.format_type(t.oid, NULL)
                                     FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS t(oid, n)
                                     ORDER BY t.n), ',') || ')'
                       WHEN dep.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass THEN
                           'type:' || tn.nspname || '.' || ty.typname
                       WHEN rc.relkind = 'v' THEN 'view:' || rn.nspname || '.' || rc.relname
                       WHEN rc.relkind = 'm' THEN 'materialized view:' || rn.nspname || '.' || rc.relname
                       WHEN dep.refobjsubid > 0 THEN 'column:' || rn.nspname || '.' || rc.relname || '.' || ra.attname
                       ELSE 'table:' || rn.nspname || '.' || rc.relname
                  END
           FROM pg_catalog.pg_rewrite AS rw
           JOIN pg_catalog.pg_depend AS dep
             ON dep.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND dep.objid = rw.oid
            AND dep.deptype = 'n'
           LEFT JOIN pg_catalog.pg_class AS rc
                  ON dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND rc.oid = dep.refobjid
           LEFT JOIN pg_catalog.pg_namespace AS rn ON rn.oid = rc.relnamespace
           LEFT JOIN pg_catalog.pg_attribute AS ra
                  ON ra.attrelid = rc.oid AND ra.attnum = dep.refobjsubid AND dep.refobjsubid > 0
           LEFT JOIN pg_catalog.pg_proc AS p
                  ON dep.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = dep.refobjid
           LEFT JOIN pg_catalog.pg_namespace AS pn ON pn.oid = p.pronamespace
           LEFT JOIN pg_catalog.pg_type AS ty
                  ON dep.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND ty.oid = dep.refobjid
           LEFT JOIN pg_catalog.pg_namespace AS tn ON tn.oid = ty.typnamespace
           WHERE rw.ev_class = c.oid
             AND dep.refobjid <> c.oid
             AND coalesce(rn.nspname, pn.nspname, tn.nspname) NOT IN ('pg_catalog', 'information_schema')
       ) AS reads
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description AS d
       ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relkind IN ('v', 'm')
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid AND e.deptype = 'e'
  )
ORDER BY 2, 3
