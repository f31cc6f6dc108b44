-- User-defined operators of the managed schemas, one row each; members of extensions and shell
-- operators (oprcode 0: made by PostgreSQL when a commutator or negator named one that did not
-- exist, see model/operators.py) left out. Types as format_type() prints them under
-- search_path = pg_catalog, functions and other operators by schema and name, and `users`: what
-- depends on the operator (pg_describe_object of each), which a DROP OPERATOR would refuse.
SELECT n.nspname,
       o.oprname::pg_catalog.text,
       CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) END,
       pg_catalog.format_type(o.oprright, NULL),
       fn.nspname, f.proname::pg_catalog.text,
       cn.nspname, com.oprname::pg_catalog.text,
       nn.nspname, neg.oprname::pg_catalog.text,
       rn.nspname, r.proname::pg_catalog.text,
       jn.nspname, j.proname::pg_catalog.text,
       o.oprcanhash,
       o.oprcanmerge,
       pg_catalog.obj_description(o.oid, 'pg_operator'),
       pg_catalog.pg_get_userbyid(o.oprowner),
       ARRAY(SELECT pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)
             FROM pg_catalog.pg_depend AS d
             WHERE d.refclassid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND d.refobjid = o.oid
               AND d.deptype = 'n'
             ORDER BY 1)
FROM pg_catalog.pg_operator AS o
JOIN pg_catalog.pg_namespace AS n ON n.oid = o.oprnamespace
JOIN pg_catalog.pg_proc AS f ON f.oid = o.oprcode
JOIN pg_catalog.pg_namespace AS fn ON fn.oid = f.pronamespace
LEFT JOIN pg_catalog.pg_operator AS com ON com.oid = o.oprcom
LEFT JOIN pg_catalog.pg_namespace AS cn ON cn.oid = com.oprnamespace
LEFT JOIN pg_catalog.pg_operator AS neg ON neg.oid = o.oprnegate
LEFT JOIN pg_catalog.pg_namespace AS nn ON nn.oid = neg.oprnamespace
LEFT JOIN pg_catalog.pg_proc AS r ON r.oid = o.oprrest
LEFT JOIN pg_catalog.pg_namespace AS rn ON rn.oid = r.pronamespace
LEFT JOIN pg_catalog.pg_proc AS j ON j.oid = o.oprjoin
LEFT JOIN pg_catalog.pg_namespace AS jn ON jn.oid = j.pronamespace
WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND e.objid = o.oid AND e.deptype = 'e'
  )
ORDER BY 1, 2, 3, 4
