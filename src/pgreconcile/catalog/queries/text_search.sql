-- Text search dictionaries ('d') and configurations ('c') of the managed schemas, members of
-- extensions left out: one query for both kinds (and their token mappings). Each row has the
-- template's or parser's schema and name; a dictionary its options as PostgreSQL serialized
-- them (dictinitoption: `name = 'text', name = 42`), a configuration its mappings as JSON
-- [[token alias, [[dictionary schema, name], …]], …] sorted by alias, dictionaries in order.
SELECT found.kind, found.schema_name, found.object_name, pg_catalog.pg_get_userbyid(found.owner),
       pg_catalog.obj_description(found.oid, found.catalog), found.ref_schema, found.ref_name,
       found.options, found.mappings
FROM (
    SELECT 'd' AS kind, n.nspname AS schema_name, d.dictname::pg_catalog.text AS object_name,
           d.dictowner AS owner, d.oid, 'pg_ts_dict' AS catalog, tn.nspname AS ref_schema,
           t.tmplname::pg_catalog.text AS ref_name, d.dictinitoption AS options,
           NULL::pg_catalog.jsonb AS mappings, 'pg_catalog.pg_ts_dict'::pg_catalog.regclass AS classid
    FROM pg_catalog.pg_ts_dict AS d
    JOIN pg_catalog.pg_namespace AS n ON n.oid = d.dictnamespace
    JOIN pg_catalog.pg_ts_template AS t ON t.oid = d.dicttemplate
    JOIN pg_catalog.pg_namespace AS tn ON tn.oid = t.tmplnamespace
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    SELECT 'c', n.nspname, c.cfgname::pg_catalog.text, c.cfgowner, c.oid, 'pg_ts_config', pn.nspname,
           p.prsname::pg_catalog.text, NULL,
           (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_array(tt.alias, m.dicts) ORDER BY tt.alias)
            FROM (SELECT mm.maptokentype,
                         pg_catalog.jsonb_agg(pg_catalog.jsonb_build_array(dn.nspname, dd.dictname::pg_catalog.text)
                                              ORDER BY mm.mapseqno) AS dicts
                  FROM pg_catalog.pg_ts_config_map AS mm
                  JOIN pg_catalog.pg_ts_dict AS dd ON dd.oid = mm.mapdict
                  JOIN pg_catalog.pg_namespace AS dn ON dn.oid = dd.dictnamespace
                  WHERE mm.mapcfg = c.oid
                  GROUP BY mm.maptokentype) AS m
            JOIN pg_catalog.ts_token_type(c.cfgparser) AS tt ON tt.tokid = m.maptokentype),
           'pg_catalog.pg_ts_config'::pg_catalog.regclass
    FROM pg_catalog.pg_ts_config AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.cfgnamespace
    JOIN pg_catalog.pg_ts_parser AS p ON p.oid = c.cfgparser
    JOIN pg_catalog.pg_namespace AS pn ON pn.oid = p.prsnamespace
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
) AS found
WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS e
    WHERE e.classid = found.classid AND e.objid = found.oid AND e.deptype = 'e'
)
ORDER BY 1, 2, 3
