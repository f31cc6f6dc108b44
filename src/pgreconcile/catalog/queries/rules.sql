-- Rewrite rules (CREATE RULE) on the tables of the managed schemas: not a view's own _RETURN
-- rule, not members of extensions. The condition and actions are printed only inside
-- pg_get_ruledef (there is no function that deparses them alone, since they read NEW and OLD):
-- catalog/build_rules.py cuts them out. ev_type: 2 update, 3 insert, 4 delete. What each rule
-- reads (tables and columns, for the order of steps) comes from pg_depend through its depender
-- index, as [schema, table, column or null]; pg_rewrite is small, so the per-row calls are few.
SELECT n.nspname,
       c.relname::pg_catalog.text,
       r.rulename::pg_catalog.text,
       r.ev_type::pg_catalog.text,
       r.is_instead,
       r.ev_enabled::pg_catalog.text,
       pg_catalog.pg_get_ruledef(r.oid, true),
       pg_catalog.obj_description(r.oid, 'pg_rewrite'),
       (SELECT pg_catalog.jsonb_agg(DISTINCT pg_catalog.jsonb_build_array(rn.nspname, rc.relname, a.attname))
        FROM pg_catalog.pg_depend AS d
        JOIN pg_catalog.pg_class AS rc ON rc.oid = d.refobjid
        JOIN pg_catalog.pg_namespace AS rn ON rn.oid = rc.relnamespace
        LEFT JOIN pg_catalog.pg_attribute AS a
               ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
        WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
          AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'n')
FROM pg_catalog.pg_rewrite AS r
JOIN pg_catalog.pg_class AS c ON c.oid = r.ev_class
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND c.relkind IN ('r', 'p')
  AND r.rulename <> '_RETURN'
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND e.objid = r.oid AND e.deptype = 'e'
  )
ORDER BY 1, 2, 3
