-- Objects in the managed schemas of kinds pgreconcile does not manage (C and
-- window functions, rules on views, extended statistics on materialized views and foreign
-- tables, text search parsers and templates, operator classes and families, conversions;
-- operators and casts are managed: operators.sql, casts.sql). They are never changed;
-- plans list them so that nobody mistakes "not mentioned" for "not there". Members of
-- extensions, sequences owned by a column (serial, identity) and the row types of tables are
-- not separate objects and are left out. (Domains, composite and range types are managed, and a
-- range's multirange type comes with it; sequences are managed: queries/sequences.sql; table
-- inheritance is managed: the parents of each table come with it in queries/tables.sql.)
SELECT kind, schema_name, object_name
FROM (
    -- Functions, procedures (functions.sql) and aggregates (aggregates.sql) are managed; C and
    -- internal functions, window functions and moving or sort-operator aggregates are not.
    SELECT CASE f.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
                          WHEN 'w' THEN 'window function' ELSE 'function' END AS kind,
           n.nspname AS schema_name,
           f.proname || '(' || pg_catalog.pg_get_function_identity_arguments(f.oid) || ')' AS object_name,
           f.oid AS oid, 'pg_catalog.pg_proc'::pg_catalog.regclass AS classid
    FROM pg_catalog.pg_proc AS f
    JOIN pg_catalog.pg_namespace AS n ON n.oid = f.pronamespace
    JOIN pg_catalog.pg_language AS l ON l.oid = f.prolang
    LEFT JOIN pg_catalog.pg_aggregate AS ag ON ag.aggfnoid = f.oid
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
      AND (f.prokind = 'w' OR (f.prokind <> 'a' AND l.lanname IN ('c', 'internal'))
           OR (f.prokind = 'a' AND (ag.aggmtransfn <> 0 OR ag.aggsortop <> 0)))
      -- [constraints-types] the constructors of a range type are part of it
      AND NOT EXISTS (
          SELECT 1 FROM pg_catalog.pg_depend AS i
          WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = f.oid AND i.deptype = 'i')
    UNION ALL
    -- Rules other than a view's own _RETURN rule: those on tables are managed (rules.sql).
    SELECT 'rule', n.nspname, r.rulename || ' on ' || c.relname, r.oid,
           'pg_catalog.pg_rewrite'::pg_catalog.regclass
    FROM pg_catalog.pg_rewrite AS r
    JOIN pg_catalog.pg_class AS c ON c.oid = r.ev_class
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE r.rulename <> '_RETURN' AND c.relkind NOT IN ('r', 'p')
      AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    -- Extended statistics on tables are managed (statistics.sql).
    SELECT 'statistics', n.nspname, s.stxname::pg_catalog.text, s.oid,
           'pg_catalog.pg_statistic_ext'::pg_catalog.regclass
    FROM pg_catalog.pg_statistic_ext AS s
    JOIN pg_catalog.pg_namespace AS n ON n.oid = s.stxnamespace
    JOIN pg_catalog.pg_class AS c ON c.oid = s.stxrelid
    WHERE c.relkind NOT IN ('r', 'p') AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    -- Text search dictionaries and configurations are managed (text_search.sql); parsers and
    -- templates (made of C functions, created by superusers) are not.
    SELECT 'text search parser', n.nspname, p.prsname::pg_catalog.text, p.oid,
           'pg_catalog.pg_ts_parser'::pg_catalog.regclass
    FROM pg_catalog.pg_ts_parser AS p
    JOIN pg_catalog.pg_namespace AS n ON n.oid = p.prsnamespace
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    SELECT 'text search template', n.nspname, t.tmplname::pg_catalog.text, t.oid,
           'pg_catalog.pg_ts_template'::pg_catalog.regclass
    FROM pg_catalog.pg_ts_template AS t
    JOIN pg_catalog.pg_namespace AS n ON n.oid = t.tmplnamespace
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    -- Operator classes and families (index support: CREATE OPERATOR CLASS / FAMILY) and
    -- encoding conversions are not managed.
    SELECT 'operator class', n.nspname, o.opcname || ' using ' || am.amname, o.oid,
           'pg_catalog.pg_opclass'::pg_catalog.regclass
    FROM pg_catalog.pg_opclass AS o
    JOIN pg_catalog.pg_namespace AS n ON n.oid = o.opcnamespace
    JOIN pg_catalog.pg_am AS am ON am.oid = o.opcmethod
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    SELECT 'operator family', n.nspname, o.opfname || ' using ' || am.amname, o.oid,
           'pg_catalog.pg_opfamily'::pg_catalog.regclass
    FROM pg_catalog.pg_opfamily AS o
    JOIN pg_catalog.pg_namespace AS n ON n.oid = o.opfnamespace
    JOIN pg_catalog.pg_am AS am ON am.oid = o.opfmethod
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
      -- CREATE OPERATOR CLASS without FAMILY makes a family of the same name: one object.
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS d
                      WHERE d.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass
                        AND d.refclassid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass
                        AND d.refobjid = o.oid AND d.deptype = 'a')
    UNION ALL
    SELECT 'conversion', n.nspname, c.conname::pg_catalog.text, c.oid,
           'pg_catalog.pg_conversion'::pg_catalog.regclass
    FROM pg_catalog.pg_conversion AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.connamespace
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])

) AS found
WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS e
    WHERE e.classid = found.classid AND e.objid = found.oid AND e.deptype = 'e'
)
ORDER BY 2, 1, 3
