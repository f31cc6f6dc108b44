-- Columns of the managed tables, one row each, in attnum order per table.
-- format_type() runs under search_path = pg_catalog (set by the reader), so every type outside
-- pg_catalog comes back schema-qualified: that spelling is the model's canonical type text.
-- Identity columns have no pg_attrdef row; generated columns do (their expression), which the
-- reader does not treat as a default. [inheritance] attislocal: the table declares the column
-- itself; attinhcount > 0: it (also) comes from a parent table.
SELECT a.attrelid,
       a.attname,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull,
       -- With its table (not relid 0, which would be a quarter faster at 2,000 tables): the
       -- server then takes the ACCESS SHARE lock that makes a read wait, bounded, for a table a
       -- migration holds, instead of planning against it mid-change (tests/workflow/test_lock_bound.py).
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       a.attidentity,
       a.attgenerated,
       d.description,
       a.attislocal,
       a.attinhcount > 0 AS inherited,
       -- PostgreSQL 18+: the column's NOT NULL constraint: its name, whether it is validated
       -- (NOT VALID) and NO INHERIT; no such rows before 18. One inherited from a parent
       -- (coninhcount > 0) has a name that is the parent's to choose: the model keeps it apart,
       -- for the renames PostgreSQL would refuse (diff/not_null_names.py).
       nn.conname::pg_catalog.text AS not_null_name,
       nn.convalidated AS not_null_validated,
       nn.connoinherit AS not_null_no_inherit,
       nn.coninhcount > 0 AS not_null_inherited
FROM pg_catalog.pg_attribute AS a
JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef AS ad
       ON ad.adrelid = a.attrelid
      AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_constraint AS nn
       ON nn.conrelid = a.attrelid
      AND nn.contype = 'n'
      AND nn.conkey[1] = a.attnum
LEFT JOIN pg_catalog.pg_description AS d
       ON d.objoid = a.attrelid
      AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.objsubid = a.attnum
WHERE a.attnum > 0
  AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'f')
  AND NOT c.relispartition
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY a.attrelid, a.attnum
