-- Objects that read a column (or, attnum 0, a whole table) of a managed table, from pg_depend.
-- Only the dependents whose reads are expressions are fetched here: policies, CHECK
-- constraints, expression and partial indexes, and the kinds the model does not manage
-- (views and materialized views through their rewrite rules, triggers, SQL-standard function
-- bodies). Plain column lists (keys, foreign keys, simple indexes) are already in the model,
-- so reading their rows too would only multiply this result on a large schema.
-- Members of extensions are skipped: they belong to the extension.
SELECT d.refobjid AS relid,
       CASE WHEN d.refobjsubid > 0 THEN a.attname::pg_catalog.text END AS column_name,
       dep.kind,
       dep.schema_name,
       dep.table_name,
       dep.object_name
FROM pg_catalog.pg_depend AS d
JOIN pg_catalog.pg_class AS c ON c.oid = d.refobjid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute AS a
       ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
CROSS JOIN LATERAL (
    SELECT 'policy'::pg_catalog.text AS kind, pn.nspname AS schema_name, pc.relname AS table_name,
           pol.polname AS object_name
    FROM pg_catalog.pg_policy AS pol
    JOIN pg_catalog.pg_class AS pc ON pc.oid = pol.polrelid
    JOIN pg_catalog.pg_namespace AS pn ON pn.oid = pc.relnamespace
    WHERE d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND pol.oid = d.objid
    UNION ALL
    SELECT 'constraint', cn.nspname, cc.relname, con.conname
    FROM pg_catalog.pg_constraint AS con
    JOIN pg_catalog.pg_class AS cc ON cc.oid = con.conrelid
    JOIN pg_catalog.pg_namespace AS cn ON cn.oid = cc.relnamespace
    WHERE d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND con.oid = d.objid
      AND con.contype = 'c'
    UNION ALL
    SELECT 'index', xn.nspname, xt.relname, xc.relname
    FROM pg_catalog.pg_index AS x
    JOIN pg_catalog.pg_class AS xc ON xc.oid = x.indexrelid
    JOIN pg_catalog.pg_class AS xt ON xt.oid = x.indrelid
    JOIN pg_catalog.pg_namespace AS xn ON xn.oid = xc.relnamespace
    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND x.indexrelid = d.objid
      AND (x.indexprs IS NOT NULL OR x.indpred IS NOT NULL)
    UNION ALL
    SELECT CASE v.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END, vn.nspname, NULL, v.relname
    FROM pg_catalog.pg_rewrite AS rw
    JOIN pg_catalog.pg_class AS v ON v.oid = rw.ev_class
    JOIN pg_catalog.pg_namespace AS vn ON vn.oid = v.relnamespace
    WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND rw.oid = d.objid
      AND rw.ev_class <> d.refobjid
    UNION ALL
    SELECT 'trigger', tn.nspname, tc.relname, tg.tgname
    FROM pg_catalog.pg_trigger AS tg
    JOIN pg_catalog.pg_class AS tc ON tc.oid = tg.tgrelid
    JOIN pg_catalog.pg_namespace AS tn ON tn.oid = tc.relnamespace
    WHERE d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND tg.oid = d.objid
      AND NOT tg.tgisinternal
    UNION ALL
    SELECT 'function', fn.nspname, NULL,
           f.proname || '(' || pg_catalog.pg_get_function_identity_arguments(f.oid) || ')'
    FROM pg_catalog.pg_proc AS f
    JOIN pg_catalog.pg_namespace AS fn ON fn.oid = f.pronamespace
    WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND f.oid = d.objid
) AS dep
WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
  AND d.classid IN ('pg_catalog.pg_policy'::pg_catalog.regclass,
                    'pg_catalog.pg_constraint'::pg_catalog.regclass,
                    'pg_catalog.pg_class'::pg_catalog.regclass,
                    'pg_catalog.pg_rewrite'::pg_catalog.regclass,
                    'pg_catalog.pg_trigger'::pg_catalog.regclass,
                    'pg_catalog.pg_proc'::pg_catalog.regclass)
  AND d.deptype IN ('n', 'a')
  AND c.relkind IN ('r', 'p')
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = d.classid AND e.objid = d.objid AND e.deptype = 'e'
  )
ORDER BY 1, 2, 3, 4, 5, 6
