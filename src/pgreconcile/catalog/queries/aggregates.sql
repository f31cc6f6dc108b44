-- Ordinary, ordered-set and hypothetical-set aggregates of the managed schemas (moving-aggregate
-- forms and sort operators are not managed: unmanaged.sql). Support functions are read as (schema, name) pairs, qualified always, so that
-- `upper` and `pg_catalog.upper` are one spelling; members of extensions are left out.
SELECT n.nspname,
       p.proname::pg_catalog.text,
       ARRAY(SELECT pg_catalog.format_type(t.oid, NULL)
             FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS t(oid, i)
             ORDER BY t.i) AS arg_types,
       sn.nspname, sf.proname::pg_catalog.text,
       pg_catalog.format_type(a.aggtranstype, NULL) AS stype,
       fn.nspname, ff.proname::pg_catalog.text,
       cn.nspname, cf.proname::pg_catalog.text,
       a.agginitval,
       p.proparallel,
       pg_catalog.obj_description(p.oid, 'pg_proc') AS comment,
       p.provariadic <> 0 AS variadic,
       a.aggfinalextra,
       a.aggkind,
       a.aggnumdirectargs
FROM pg_catalog.pg_aggregate AS a
JOIN pg_catalog.pg_proc AS p ON p.oid = a.aggfnoid
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_proc AS sf ON sf.oid = a.aggtransfn
JOIN pg_catalog.pg_namespace AS sn ON sn.oid = sf.pronamespace
LEFT JOIN pg_catalog.pg_proc AS ff ON ff.oid = a.aggfinalfn
LEFT JOIN pg_catalog.pg_namespace AS fn ON fn.oid = ff.pronamespace
LEFT JOIN pg_catalog.pg_proc AS cf ON cf.oid = a.aggcombinefn
LEFT JOIN pg_catalog.pg_namespace AS cn ON cn.oid = cf.pronamespace
WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND a.aggmtransfn = 0
  AND a.aggsortop = 0
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND e.objid = p.oid AND e.deptype = 'e'
  )
ORDER BY 1, 2, p.oid
