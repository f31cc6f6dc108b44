-- Functions and procedures of the managed schemas (aggregates and window functions are not
-- managed yet; C and internal functions have no body to declare and stay unmanaged). Members of
-- extensions are never read: an extension owns them. Argument arrays cover every argument
-- (proallargtypes) or, without OUT arguments, the input ones; defaults are printed per argument
-- by pg_get_function_arg_default (1-based over all arguments). `dependents` lists what reads the
-- function besides other functions: triggers, policies, constraints, indexes, column defaults.
SELECT n.nspname,
       p.proname::pg_catalog.text,
       p.prokind = 'p' AS is_procedure,
       ARRAY(SELECT pg_catalog.format_type(t.oid, NULL)
             FROM pg_catalog.unnest(COALESCE(p.proallargtypes, p.proargtypes::pg_catalog.oid[]))
                  WITH ORDINALITY AS t(oid, i)
             ORDER BY t.i) AS arg_types,
       COALESCE(p.proargmodes::pg_catalog.text[], '{}'::pg_catalog.text[]) AS arg_modes,
       COALESCE(p.proargnames, '{}'::pg_catalog.text[]) AS arg_names,
       ARRAY(SELECT pg_catalog.pg_get_function_arg_default(p.oid, i::pg_catalog.int4)
             FROM pg_catalog.generate_series(1, COALESCE(pg_catalog.array_length(p.proallargtypes, 1),
                                                         p.pronargs::pg_catalog.int4)) AS i
             ORDER BY i) AS arg_defaults,
       pg_catalog.pg_get_function_result(p.oid) AS result,
       l.lanname::pg_catalog.text,
       p.prosrc,
       CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid) END AS sql_body,
       p.provolatile,
       p.proisstrict,
       p.prosecdef,
       p.proleakproof,
       p.proparallel,
       p.procost,
       p.prorows,
       COALESCE(p.proconfig, '{}'::pg_catalog.text[]) AS config,
       pg_catalog.obj_description(p.oid, 'pg_proc') AS comment,
       (SELECT pg_catalog.jsonb_agg(DISTINCT pg_catalog.jsonb_build_array(r.kind, r.nsp, r.tab, r.obj))
        FROM pg_catalog.pg_depend AS d
        CROSS JOIN LATERAL (
            SELECT 'trigger' AS kind, tn.nspname::pg_catalog.text AS nsp, tc.relname::pg_catalog.text AS tab,
                   tg.tgname::pg_catalog.text AS obj
            FROM pg_catalog.pg_trigger AS tg
            JOIN pg_catalog.pg_class AS tc ON tc.oid = tg.tgrelid
            JOIN pg_catalog.pg_namespace AS tn ON tn.oid = tc.relnamespace
            WHERE d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND tg.oid = d.objid
              -- [partitions] a clone on a partition goes with its parent's trigger (triggers.sql)
              AND NOT (tc.relispartition AND EXISTS (
                  SELECT 1 FROM pg_catalog.pg_inherits AS i
                  JOIN pg_catalog.pg_trigger AS pt ON pt.tgrelid = i.inhparent AND pt.tgname = tg.tgname
                  WHERE i.inhrelid = tc.oid))
            UNION ALL
            SELECT 'policy', pn.nspname, pc.relname, pol.polname
            FROM pg_catalog.pg_policy AS pol
            JOIN pg_catalog.pg_class AS pc ON pc.oid = pol.polrelid
            JOIN pg_catalog.pg_namespace AS pn ON pn.oid = pc.relnamespace
            WHERE d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND pol.oid = d.objid
            UNION ALL
            SELECT 'constraint', cn.nspname, cc.relname, co.conname
            FROM pg_catalog.pg_constraint AS co
            JOIN pg_catalog.pg_class AS cc ON cc.oid = co.conrelid
            JOIN pg_catalog.pg_namespace AS cn ON cn.oid = cc.relnamespace
            WHERE d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND co.oid = d.objid
            UNION ALL
            SELECT 'index', xn.nspname, NULL, xc.relname
            FROM pg_catalog.pg_class AS xc
            JOIN pg_catalog.pg_namespace AS xn ON xn.oid = xc.relnamespace
            WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND xc.oid = d.objid
            UNION ALL
            SELECT 'column default', an.nspname, ac.relname, at.attname
            FROM pg_catalog.pg_attrdef AS ad
            JOIN pg_catalog.pg_attribute AS at ON at.attrelid = ad.adrelid AND at.attnum = ad.adnum
            JOIN pg_catalog.pg_class AS ac ON ac.oid = ad.adrelid
            JOIN pg_catalog.pg_namespace AS an ON an.oid = ac.relnamespace
            WHERE d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
        ) AS r
        WHERE d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.refobjid = p.oid
          AND d.deptype = 'n') AS dependents,
       sn.nspname AS support_schema,
       sp.proname::pg_catalog.text AS support_name
FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language AS l ON l.oid = p.prolang
-- The planner support function (SUPPORT), 0 for nearly every function.
LEFT JOIN pg_catalog.pg_proc AS sp ON sp.oid = p.prosupport
LEFT JOIN pg_catalog.pg_namespace AS sn ON sn.oid = sp.pronamespace
WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND p.prokind IN ('f', 'p')
  AND l.lanname NOT IN ('c', 'internal')
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND e.objid = p.oid AND e.deptype = 'e'
  )
ORDER BY 1, 2, p.oid
