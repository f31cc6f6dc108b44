-- publications.sql for PostgreSQL 14 and older: no column lists, row filters or schemas.
SELECT p.pubname::pg_catalog.text, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,
       p.pubviaroot, pg_catalog.obj_description(p.oid, 'pg_publication'),
       ARRAY(SELECT pg_catalog.json_build_object('schema', n.nspname, 'name', c.relname,
                                                 'columns', NULL, 'where', NULL)::pg_catalog.text
             FROM pg_catalog.pg_publication_rel AS r
             JOIN pg_catalog.pg_class AS c ON c.oid = r.prrelid
             JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
             WHERE r.prpubid = p.oid
             ORDER BY n.nspname, c.relname),
       ARRAY[]::pg_catalog.text[],
       pg_catalog.pg_get_userbyid(p.pubowner)
FROM pg_catalog.pg_publication AS p
ORDER BY 1
