-- Objects that read a column (or, attnum 0, a whole table) of a managed table, from pg_depend:
-- policies (on any table, through subqueries too) and the kinds the model does not manage
-- (views and materialized views through their rewrite rules, rules, triggers, SQL-standard function
-- bodies). What the model already holds — key and index column lists, CHECK and index
-- expressions — is not read again: on a large schema every table has some, and the planner
-- needs them only for the few columns a plan changes (diff/dependents.py parses those).
-- Each branch starts from its (small) catalog and probes pg_depend through its depender index
-- (classid, objid), rather than visiting every pg_depend row. Members of extensions are skipped.
WITH dep AS (
    SELECT d.refobjid, d.refobjsubid, 'policy'::pg_catalog.text AS kind, pc.relnamespace AS nsp,
           pc.relname::pg_catalog.text AS table_name, pol.polname::pg_catalog.text AS object_name,
           d.classid, d.objid, d.deptype
    FROM pg_catalog.pg_policy AS pol
    JOIN pg_catalog.pg_class AS pc ON pc.oid = pol.polrelid
    JOIN pg_catalog.pg_depend AS d
      ON d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objid = pol.oid
    UNION ALL
    -- A view through its _RETURN rule (its own columns aside); a rule of a table by name, the
    -- columns of its own table included (PostgreSQL refuses to retype or drop those too).
    SELECT d.refobjid, d.refobjsubid,
           CASE WHEN rw.rulename <> '_RETURN' THEN 'rule' WHEN v.relkind = 'm' THEN 'materialized view'
                ELSE 'view' END,
           v.relnamespace, CASE WHEN rw.rulename <> '_RETURN' THEN v.relname END,
           CASE WHEN rw.rulename <> '_RETURN' THEN rw.rulename ELSE v.relname END,
           d.classid, d.objid, d.deptype
    FROM pg_catalog.pg_rewrite AS rw
    JOIN pg_catalog.pg_class AS v ON v.oid = rw.ev_class
    JOIN pg_catalog.pg_depend AS d
      ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = rw.oid
    WHERE rw.ev_class <> d.refobjid OR (rw.rulename <> '_RETURN' AND d.refobjsubid > 0)
    UNION ALL
    SELECT d.refobjid, d.refobjsubid, 'trigger', tc.relnamespace, tc.relname, tg.tgname, d.classid, d.objid, d.deptype
    FROM pg_catalog.pg_trigger AS tg
    JOIN pg_catalog.pg_class AS tc ON tc.oid = tg.tgrelid
    JOIN pg_catalog.pg_depend AS d
      ON d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objid = tg.oid
    WHERE NOT tg.tgisinternal
    UNION ALL
    SELECT d.refobjid, d.refobjsubid, 'function', f.pronamespace, NULL,
           f.proname || '(' || pg_catalog.pg_get_function_identity_arguments(f.oid) || ')', d.classid, d.objid, d.deptype
    FROM pg_catalog.pg_depend AS d
    JOIN pg_catalog.pg_proc AS f ON f.oid = d.objid
    WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
    UNION ALL
    -- A foreign key that references a managed table's columns. Those of tables in the managed
    -- schemas are in the model already; the others (tables outside them) are not, and PostgreSQL
    -- refuses to drop what they reference. Which is which is known only once the declarations
    -- have named the managed schemas (a plan reads every schema first): diff/dependents.py.
    SELECT d.refobjid, d.refobjsubid, 'foreign key', fc.relnamespace, fc.relname, con.conname,
           d.classid, d.objid, d.deptype
    FROM pg_catalog.pg_constraint AS con
    JOIN pg_catalog.pg_class AS fc ON fc.oid = con.conrelid
    JOIN pg_catalog.pg_depend AS d
      ON d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objid = con.oid
    WHERE con.contype = 'f' AND d.refobjid = con.confrelid AND con.conrelid <> con.confrelid
)
SELECT dep.refobjid AS relid,
       CASE WHEN dep.refobjsubid > 0 THEN a.attname::pg_catalog.text END AS column_name,
       dep.kind,
       dn.nspname AS schema_name,
       dep.table_name,
       dep.object_name
FROM dep
JOIN pg_catalog.pg_class AS c ON c.oid = dep.refobjid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_namespace AS dn ON dn.oid = dep.nsp
LEFT JOIN pg_catalog.pg_attribute AS a
       ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid AND dep.refobjsubid > 0
WHERE c.relkind IN ('r', 'p', 'f')
  AND dep.deptype IN ('n', 'a')
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = dep.classid AND e.objid = dep.objid AND e.deptype = 'e'
  )
ORDER BY 1, 2, 3, 4, 5, 6
