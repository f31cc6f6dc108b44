-- Every subscription of the current database (pg_subscription is shared by the whole server;
-- subdbid says whose each one is). Columns later majors added are read as the value every
-- subscription had before them (catalog/reader.py _NEWER_COLUMNS); substream was a boolean
-- before 16 and a "char" since, so it is read as text. s.subconninfo is readable by superusers
-- only: another role reads NULL in its place (catalog/reader.py). two_phase_alterable: whether
-- ALTER SUBSCRIPTION … SET (two_phase) exists (18+).
SELECT s.subname::pg_catalog.text,
       s.subconninfo,
       ARRAY(SELECT p FROM pg_catalog.unnest(s.subpublications) AS p ORDER BY 1)::pg_catalog.text[],
       s.subenabled,
       s.subslotname::pg_catalog.text,
       s.subsynccommit,
       s.subbinary,
       s.substream::pg_catalog.text,
       s.subtwophasestate <> 'd' AS two_phase,
       s.subdisableonerr AS disable_on_error,
       s.suborigin AS publisher_origin,
       s.subpasswordrequired AS password_required,
       s.subrunasowner AS run_as_owner,
       s.subfailover AS failover,
       'parallel' AS streaming_default,
       true AS two_phase_alterable,
       pg_catalog.obj_description(s.oid, 'pg_subscription'),
       pg_catalog.pg_get_userbyid(s.subowner)
FROM pg_catalog.pg_subscription AS s
WHERE s.subdbid = (SELECT d.oid FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database())
ORDER BY 1
