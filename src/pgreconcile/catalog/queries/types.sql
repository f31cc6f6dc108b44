-- Composite types (standalone ones, not the row types of tables) and range types of the managed
-- schemas, one row per type: `kind` is 'c' or 'r'. Composite rows carry their attributes in
-- order (names, types, collations other than the type's default, and comments: COMMENT ON
-- COLUMN type.attribute); range rows their subtype and, where not the default, the operator class, collation,
-- canonical and subtype_diff functions. Types that belong to an extension are left out.
SELECT t.typtype AS kind,
       n.nspname AS schema_name,
       t.typname::pg_catalog.text AS name,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment,
       ARRAY(SELECT a.attname::pg_catalog.text FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attr_names,
       ARRAY(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attr_types,
       ARRAY(SELECT CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation THEN
                        (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::pg_catalog.text
                                     ELSE cn.nspname || '.' || co.collname END
                         FROM pg_catalog.pg_collation AS co
                         JOIN pg_catalog.pg_namespace AS cn ON cn.oid = co.collnamespace
                         WHERE co.oid = a.attcollation) END
             FROM pg_catalog.pg_attribute AS a JOIN pg_catalog.pg_type AS at ON at.oid = a.atttypid
             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attr_collations,
       pg_catalog.format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN NOT opc.opcdefault THEN
           CASE WHEN on_.nspname = 'pg_catalog' THEN opc.opcname::pg_catalog.text
                ELSE on_.nspname || '.' || opc.opcname END
       END AS subtype_opclass,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN
           CASE WHEN rcn.nspname = 'pg_catalog' THEN rco.collname::pg_catalog.text
                ELSE rcn.nspname || '.' || rco.collname END
       END AS collation,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::pg_catalog.regproc::pg_catalog.text END AS canonical,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::pg_catalog.text END AS subtype_diff,
       ARRAY(SELECT pg_catalog.col_description(t.typrelid, a.attnum) FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attr_comments
FROM pg_catalog.pg_type AS t
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_class AS rel ON rel.oid = t.typrelid
LEFT JOIN pg_catalog.pg_range AS r ON r.rngtypid = t.oid
LEFT JOIN pg_catalog.pg_type AS st ON st.oid = r.rngsubtype
LEFT JOIN pg_catalog.pg_opclass AS opc ON opc.oid = r.rngsubopc
LEFT JOIN pg_catalog.pg_namespace AS on_ ON on_.oid = opc.opcnamespace
LEFT JOIN pg_catalog.pg_collation AS rco ON rco.oid = r.rngcollation
LEFT JOIN pg_catalog.pg_namespace AS rcn ON rcn.oid = rco.collnamespace
WHERE (t.typtype = 'r' OR (t.typtype = 'c' AND rel.relkind = 'c'))
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND e.objid = t.oid AND e.deptype = 'e')
ORDER BY 2, 3
