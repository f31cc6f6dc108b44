-- Every publication (they belong to the database, not to a schema), with its tables (column
-- lists and row filters: PostgreSQL 15+) and its schemas (FOR TABLES IN SCHEMA).
SELECT p.pubname::pg_catalog.text, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,
       p.pubviaroot, pg_catalog.obj_description(p.oid, 'pg_publication'),
       ARRAY(SELECT pg_catalog.json_build_object(
                        'schema', n.nspname, 'name', c.relname,
                        'columns', (SELECT pg_catalog.json_agg(a.attname ORDER BY k.i)
                                    FROM pg_catalog.unnest(r.prattrs::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, i)
                                    JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum = k.attnum),
                        'where', pg_catalog.pg_get_expr(r.prqual, r.prrelid))::pg_catalog.text
             FROM pg_catalog.pg_publication_rel AS r
             JOIN pg_catalog.pg_class AS c ON c.oid = r.prrelid
             JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
             WHERE r.prpubid = p.oid
             ORDER BY n.nspname, c.relname),
       ARRAY(SELECT n.nspname::pg_catalog.text
             FROM pg_catalog.pg_publication_namespace AS s
             JOIN pg_catalog.pg_namespace AS n ON n.oid = s.pnnspid
             WHERE s.pnpubid = p.oid
             ORDER BY 1),
       pg_catalog.pg_get_userbyid(p.pubowner)
FROM pg_catalog.pg_publication AS p
ORDER BY 1
