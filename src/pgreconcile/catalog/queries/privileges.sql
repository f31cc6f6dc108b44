-- Every ACL of the managed schemas, exploded: one row per (object, grantee, privilege), and one
-- row with NULL grantee for an object whose ACL holds nothing for anyone but its owner (so its
-- owner is known). A NULL ACL means PostgreSQL's default (acldefault): PUBLIC's EXECUTE on a
-- function and USAGE on a type come back like any grant. The owner's own privileges are left
-- out: they are implicit. Members of extensions are left out too.
WITH objects AS (
    SELECT 'schema' AS kind, NULL::pg_catalog.text AS schema_name, n.nspname::pg_catalog.text AS object_name,
           NULL::pg_catalog.text AS column_name, NULL::pg_catalog.text[] AS args, n.nspowner AS owner,
           COALESCE(n.nspacl, pg_catalog.acldefault('n', n.nspowner)) AS acl,
           n.oid AS oid, 'pg_catalog.pg_namespace'::pg_catalog.regclass AS classid
    FROM pg_catalog.pg_namespace AS n
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                          WHEN 'S' THEN 'sequence' ELSE 'table' END,
           n.nspname, c.relname, NULL, NULL, c.relowner,
           COALESCE(c.relacl, pg_catalog.acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner)),
           c.oid, 'pg_catalog.pg_class'::pg_catalog.regclass
    FROM pg_catalog.pg_class AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    -- A column has no default ACL: only columns something was granted on are listed.
    SELECT 'column', n.nspname, c.relname, a.attname, NULL, c.relowner, a.attacl,
           c.oid, 'pg_catalog.pg_class'::pg_catalog.regclass
    FROM pg_catalog.pg_attribute AS a
    JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
           n.nspname, p.proname, NULL,
           ARRAY(SELECT pg_catalog.format_type(t.oid, NULL)
                 FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS t(oid, i)
                 ORDER BY t.i),
           p.proowner, COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner)),
           p.oid, 'pg_catalog.pg_proc'::pg_catalog.regclass
    FROM pg_catalog.pg_proc AS p
    JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
    -- Aggregates as the model knows them (aggregates.sql): no moving or sort-operator ones.
    WHERE (p.prokind IN ('f', 'p')
           OR (p.prokind = 'a' AND EXISTS (SELECT 1 FROM pg_catalog.pg_aggregate AS g
                                           WHERE g.aggfnoid = p.oid AND g.aggmtransfn = 0 AND g.aggsortop = 0)))
      AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    SELECT 'type', n.nspname, t.typname, NULL, NULL, t.typowner,
           COALESCE(t.typacl, pg_catalog.acldefault('T', t.typowner)),
           t.oid, 'pg_catalog.pg_type'::pg_catalog.regclass
    FROM pg_catalog.pg_type AS t
    JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
    WHERE (t.typtype IN ('e', 'd', 'r')
           OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class AS r
                                           WHERE r.oid = t.typrelid AND r.relkind = 'c')))
      AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
)
SELECT o.kind, o.schema_name, o.object_name, o.column_name, o.args,
       pg_catalog.pg_get_userbyid(o.owner) AS owner,
       CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(x.grantee) END AS grantee,
       pg_catalog.lower(x.privilege_type) AS privilege, x.is_grantable
FROM objects AS o
LEFT JOIN LATERAL pg_catalog.aclexplode(o.acl) AS x ON x.grantee <> o.owner
WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS e
    WHERE e.classid = o.classid AND e.objid = o.oid AND e.deptype = 'e'
)
ORDER BY 1, 2, 3, 4, 5, 7, 8
