-- Collations of the managed schemas (CREATE COLLATION), members of extensions left out. The
-- locale columns differ between majors (colliculocale on 15-16, colllocale from 17, ICU rules
-- from 16), so they are read by name from the row as JSON: one text for every supported major.
SELECT n.nspname,
       co.collname::pg_catalog.text,
       co.collprovider::pg_catalog.text,
       COALESCE(pg_catalog.to_jsonb(co) ->> 'colllocale', pg_catalog.to_jsonb(co) ->> 'colliculocale'),
       co.collcollate,
       co.collctype,
       co.collisdeterministic,
       pg_catalog.to_jsonb(co) ->> 'collicurules',
       pg_catalog.obj_description(co.oid, 'pg_collation')
FROM pg_catalog.pg_collation AS co
JOIN pg_catalog.pg_namespace AS n ON n.oid = co.collnamespace
WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass AND e.objid = co.oid AND e.deptype = 'e'
  )
ORDER BY 1, 2
