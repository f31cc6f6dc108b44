"""Text search dictionaries and configurations: declared in YAML, Python or SQL files, read back,
inspected in every format, and refused where PostgreSQL could not drop one."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql, sql_files_cli
from pgreconcile.catalog.build_text_search import dictionary_options
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_files
from pgreconcile.diff.compare import compare
from pgreconcile.errors import DeclarationErrors
from pgreconcile.localpg import LocalServer, create_database, drop_database
from pgreconcile.model import Schema
from pgreconcile.order.graph import build_graph

LIVE = """
CREATE SCHEMA app;
CREATE TEXT SEARCH DICTIONARY app.english_nostop (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH DICTIONARY app.plain (TEMPLATE = simple, stopwords = 'english', accept = false);
COMMENT ON TEXT SEARCH DICTIONARY app.plain IS 'Stop words out.';
CREATE TEXT SEARCH CONFIGURATION app.notes (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION app.notes ALTER MAPPING FOR asciiword, word WITH app.english_nostop, simple;
ALTER TEXT SEARCH CONFIGURATION app.notes DROP MAPPING FOR email, url;
COMMENT ON TEXT SEARCH CONFIGURATION app.notes IS 'Notes.';
CREATE TEXT SEARCH CONFIGURATION app.bare (PARSER = default);
CREATE TABLE app.notes (id bigint PRIMARY KEY, body text,
                        words tsvector GENERATED ALWAYS AS (to_tsvector('app.notes', body)) STORED);
CREATE INDEX notes_body_idx ON app.notes USING gin (to_tsvector('app.notes'::regconfig, body));
INSERT INTO app.notes (id, body) VALUES (1, 'The running notes');
"""

# Every text search object of schema app as the catalog has it, mappings by token alias.
OBJECTS = """
SELECT 'dictionary', d.dictname::text, t.tmplname::text, d.dictinitoption, obj_description(d.oid, 'pg_ts_dict')
FROM pg_ts_dict d JOIN pg_ts_template t ON t.oid = d.dicttemplate WHERE d.dictnamespace = 'app'::regnamespace
UNION ALL
SELECT 'configuration', c.cfgname::text, p.prsname::text,
       (SELECT string_agg(tt.alias || ':' || m.mapdict::regdictionary::text, ' ' ORDER BY tt.alias, m.mapseqno)
        FROM pg_ts_config_map m JOIN ts_token_type(c.cfgparser) tt ON tt.tokid = m.maptokentype
        WHERE m.mapcfg = c.oid),
       obj_description(c.oid, 'pg_ts_config')
FROM pg_ts_config c JOIN pg_ts_parser p ON p.oid = c.cfgparser WHERE c.cfgnamespace = 'app'::regnamespace
ORDER BY 1, 2
"""


def _objects(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        conn.execute("SET search_path = app, pg_catalog")
        rows = conn.execute(OBJECTS).fetchall()
    # Options in any order (PostgreSQL keeps the written one, which inspect does not keep).
    return [(*row[:3], dictionary_options(row[3]) if row[0] == "dictionary" else row[3], row[4]) for row in rows]


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt,name", [("yaml", "app.yaml"), ("python", "app.py"), ("sql", "app.sql")])
def test_inspected_text_search_builds_the_same_database(
    fmt: str, name: str, tmp_path: Path, db_url: str, pg_server: LocalServer
) -> None:
    run_sql(db_url, LIVE)
    expected = _objects(db_url)
    assert [row[:2] for row in expected] == [
        ("configuration", "bare"), ("configuration", "notes"), ("dictionary", "english_nostop"), ("dictionary", "plain")
    ]
    directory = tmp_path / "schema"
    directory.mkdir()
    code, output = _invoke("inspect", "-d", db_url, "--schema", "app", "--format", fmt, "-o", str(directory / name))
    assert code == 0, output
    written = (directory / name).read_text()
    assert "english_nostop" in written and "asciiword" in written
    scratch = ("--scratch", "local") if fmt == "sql" else ()
    code, output = _invoke("plan", "-s", str(directory), "-d", db_url, "--detailed-exitcode", *scratch)
    assert code == 0, output
    assert "Not managed" not in output and "text search" not in output
    fresh = f"pgr_text_search_{uuid.uuid4().hex[:10]}"
    fresh_url = create_database(pg_server.url, fresh)
    try:
        code, output = _invoke("apply", "-s", str(directory), "-d", fresh_url, "--auto-approve", *scratch)
        assert code == 0, output
        assert _objects(fresh_url) == expected
        with psycopg.connect(fresh_url) as conn:
            conn.execute("INSERT INTO app.notes (id, body) VALUES (1, 'The running notes')")
            # The own configuration stems (english_nostop) and keeps stop words (no stop list).
            words = conn.execute("SELECT words::text FROM app.notes").fetchone()
            assert words == ("'note':3 'run':2 'the':1",)
    finally:
        drop_database(pg_server.url, fresh)


def test_sql_files_converge_with_owner_and_changed_mappings(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE + "CREATE ROLE pgr_ts_owner;")
    try:
        files = LIVE.replace("DROP MAPPING FOR email, url", "DROP MAPPING FOR email") + """
ALTER TEXT SEARCH DICTIONARY app.plain (accept = true);
ALTER TEXT SEARCH CONFIGURATION app.notes OWNER TO pgr_ts_owner;
ALTER TEXT SEARCH DICTIONARY app.english_nostop OWNER TO pgr_ts_owner;
"""
        run = sql_files_cli(tmp_path, db_url, files)
        code, output = run("plan")
        assert code == 0, output
        assert "~ text search configuration app.notes mapping url none → [simple], owner " in output, output
        assert "~ text search dictionary app.plain option accept 'false' → 'true'" in output, output
        code, output = run("apply", "--auto-approve")
        assert code == 0, output
        code, output = run("plan", "--detailed-exitcode")
        assert code == 0, output
        with psycopg.connect(db_url) as conn:
            owners = conn.execute(
                "SELECT pg_get_userbyid(cfgowner) FROM pg_ts_config WHERE cfgname = 'notes' UNION ALL "
                "SELECT pg_get_userbyid(dictowner) FROM pg_ts_dict WHERE dictname = 'english_nostop'"
            ).fetchall()
        assert owners == [("pgr_ts_owner",), ("pgr_ts_owner",)]
    finally:
        run_sql(db_url, "DROP SCHEMA app CASCADE; DROP ROLE pgr_ts_owner;")


def test_a_configuration_in_use_is_not_dropped_nor_re_created(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text("""version: 1
schemas:
  app:
    text_search_dictionaries:
      english_nostop: {template: simple}
      plain: {template: simple, options: {stopwords: english, accept: false}, comment: Stop words out.}
    text_search_configurations:
      notes:
        mappings: {asciiword: [english_nostop, simple]}
    tables:
      notes:
        columns:
          id: {type: bigint, primary_key: true}
          body: text
""")
    code, output = _invoke("plan", "-s", str(schema), "-d", db_url)
    assert code == Exit.ERROR, output
    assert "text search configuration app.notes must be re-created (a dictionary it maps is re-created)" in output
    assert "index app.notes_body_idx" in output and "column app.notes.words" in output


def test_a_mapped_dictionary_must_be_declared(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, "CREATE SCHEMA app; CREATE TEXT SEARCH DICTIONARY app.missing (TEMPLATE = simple);")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text("""version: 1
schemas:
  app:
    text_search_configurations:
      notes: {mappings: {asciiword: app.missing}}
""")
    code, output = _invoke("plan", "-s", str(schema), "-d", db_url)
    assert code == Exit.ERROR, output
    assert "text search configuration app.notes maps app.missing, which is not declared and would be dropped" \
        in output


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("text_search_dictionaries:\n      d: {options: {a: b}}", "template"),
        ("text_search_configurations:\n      c: {mappings: {asciiword: []}}", "token type asciiword is mapped to no"),
        ("text_search_configurations:\n      c: {parser: 'a.b.c'}", "is not a name"),
    ],
)
def test_a_text_search_object_missing_what_it_needs_is_an_error(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(f"version: 1\nschemas:\n  app:\n    {body}\n")
    with pytest.raises(DeclarationErrors) as caught:
        load_files([path])
    assert "app.yaml:5" in str(caught.value) and message in str(caught.value)


def test_dictionary_options_are_read_as_postgresql_serializes_them() -> None:
    text = """language = 'english', "MaxLen" = 10, ratio = 0.5, path = E'a\\\\b''c'"""
    assert dictionary_options(text) == (("MaxLen", 10), ("language", "english"), ("path", "a\\b'c"), ("ratio", 0.5))
    assert dictionary_options(None) == ()


def _declared(tmp_path: Path, name: str, body: str) -> Schema:
    path = tmp_path / name
    path.write_text("version: 1\nschemas:\n  app:\n" + body)
    return load_files([path])


def test_what_names_a_configuration_is_ordered_around_it_by_edges(tmp_path: Path) -> None:
    """Not by rank alone: an index, a generated column and an SQL function that name a
    configuration are created after it, and a live index naming one goes before its drop."""
    with_old = """    text_search_configurations:
      old_cfg: {mappings: {asciiword: simple}}
    tables:
      notes:
        columns:
          body: text
        indexes:
          notes_old_idx: {columns: ["to_tsvector('app.old_cfg'::regconfig, body)"], method: gin}
"""
    with_new = """    text_search_configurations:
      new_cfg: {mappings: {asciiword: simple}}
    functions:
      words(t text):
        returns: tsvector
        body: SELECT to_tsvector('new_cfg', t)
    tables:
      notes:
        columns:
          body: text
          words: {type: tsvector, generated: "to_tsvector('app.new_cfg'::regconfig, body)"}
        indexes:
          notes_new_idx: {columns: ["to_tsvector('app.new_cfg'::regconfig, body)"], method: gin}
"""
    changes = compare(_declared(tmp_path, "new.yaml", with_new), _declared(tmp_path, "old.yaml", with_old)).changes
    graph = build_graph(changes)
    at = {(type(c).__name__, c.key): i for i, c in enumerate(changes)}
    create_cfg = at[("CreateTsConfiguration", "text search configuration:app.new_cfg")]
    drop_cfg = at[("DropTsConfiguration", "text search configuration:app.old_cfg")]
    for name, key in [("CreateIndex", "index:app.notes_new_idx"), ("CreateFunction", "function:app.words(text)")]:
        assert graph.has_edge(create_cfg, at[(name, key)]), name
    generated = next(i for i, c in enumerate(changes) if "words" in str(getattr(c, "column", "")))
    assert graph.has_edge(create_cfg, generated)
    assert graph.has_edge(at[("DropIndex", "index:app.notes_old_idx")], drop_cfg)


def test_a_saved_plan_is_refused_when_a_configuration_changed_since(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, "CREATE SCHEMA app; CREATE TEXT SEARCH CONFIGURATION app.notes (PARSER = default);")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.yaml").write_text("version: 1\nschemas:\n  app:\n    text_search_configurations:\n"
                                     "      notes: {mappings: {asciiword: simple}}\n")
    saved = str(tmp_path / "saved.plan.json")
    code, output = _invoke("plan", "-s", str(schema), "-d", db_url, "-out", saved)
    assert code == 0, output
    assert '"text search configuration:app.notes": "sha256:' in Path(saved).read_text()
    run_sql(db_url, "ALTER TEXT SEARCH CONFIGURATION app.notes ADD MAPPING FOR word WITH simple;")
    code, output = _invoke("apply", saved, "-d", db_url)
    assert code != 0 and "text search configuration app.notes changed" in output, output
