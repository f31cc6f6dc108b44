-- Foreign data, one row per object: wrappers and servers (database-wide; members of extensions
-- left out, as postgres_fdw's wrapper), and the server and options of each foreign table of
-- the managed schemas (its columns come with the tables'), and user mappings. Columns: kind,
-- schema, name, the wrapper of a server or the server of a foreign table or mapping, owner,
-- handler or server type (for a mapping: whether its options could be read), validator or
-- server version (a foreign table: its columns' options), options as name=value text. pg_user_mappings shows a mapping's options only
-- to a superuser, the mapped role or the server's owner; the same test says when they were.
SELECT 'wrapper', NULL::pg_catalog.text, w.fdwname::pg_catalog.text, NULL::pg_catalog.text,
       pg_catalog.pg_get_userbyid(w.fdwowner)::pg_catalog.text,
       NULLIF(w.fdwhandler, 0)::pg_catalog.regproc::pg_catalog.text,
       NULLIF(w.fdwvalidator, 0)::pg_catalog.regproc::pg_catalog.text,
       w.fdwoptions
FROM pg_catalog.pg_foreign_data_wrapper AS w
WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS e
    WHERE e.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass AND e.objid = w.oid
      AND e.deptype = 'e'
)
UNION ALL
SELECT 'server', NULL, s.srvname::pg_catalog.text, w.fdwname::pg_catalog.text,
       pg_catalog.pg_get_userbyid(s.srvowner)::pg_catalog.text, s.srvtype, s.srvversion, s.srvoptions
FROM pg_catalog.pg_foreign_server AS s
JOIN pg_catalog.pg_foreign_data_wrapper AS w ON w.oid = s.srvfdw
WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS e
    WHERE e.classid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass AND e.objid = s.oid AND e.deptype = 'e'
)
UNION ALL
SELECT 'user mapping', NULL, um.usename::pg_catalog.text, um.srvname::pg_catalog.text, NULL,
       CASE WHEN (um.umuser <> 0 AND um.usename = CURRENT_USER
                  AND (pg_catalog.pg_has_role(s.srvowner, 'USAGE') OR pg_catalog.has_server_privilege(s.oid, 'USAGE')))
              OR (um.umuser = 0 AND pg_catalog.pg_has_role(s.srvowner, 'USAGE'))
              OR (SELECT r.rolsuper FROM pg_catalog.pg_roles AS r WHERE r.rolname = CURRENT_USER)
            THEN 'readable' END,
       NULL, um.umoptions
FROM pg_catalog.pg_user_mappings AS um
JOIN pg_catalog.pg_foreign_server AS s ON s.oid = um.srvid
UNION ALL
SELECT 'foreign table', n.nspname, c.relname::pg_catalog.text, s.srvname::pg_catalog.text, NULL, NULL,
       -- Its columns' own options (ALTER COLUMN … OPTIONS: attfdwoptions) as JSON text,
       -- {"column": ["name=value", …]}, in the slot the other kinds use for a validator.
       (SELECT pg_catalog.jsonb_object_agg(a.attname, a.attfdwoptions)::pg_catalog.text
        FROM pg_catalog.pg_attribute AS a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attfdwoptions IS NOT NULL),
       ft.ftoptions
FROM pg_catalog.pg_foreign_table AS ft
JOIN pg_catalog.pg_class AS c ON c.oid = ft.ftrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_foreign_server AS s ON s.oid = ft.ftserver
WHERE NOT c.relispartition AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY 1, 2, 3
