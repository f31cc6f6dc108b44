"""Incident 001 end to end (docs/incidents.md): integer ids where the code expects
uuids, "fixed" elsewhere by dropping the tables. Here the ids are regenerated as uuids with
`convert: regenerate`, and every message keeps its conversation — checked by content."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TABLE public.conversations (id serial PRIMARY KEY, title text NOT NULL);
CREATE TABLE public.messages (
    id serial PRIMARY KEY,
    conversation_id integer NOT NULL REFERENCES public.conversations (id) ON DELETE CASCADE,
    role text NOT NULL CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant', 'system')),
    content text NOT NULL
);
INSERT INTO public.conversations (title) SELECT 'conversation ' || n FROM generate_series(1, 1000) AS n;
INSERT INTO public.messages (conversation_id, role, content)
SELECT 1 + n % 1000, (ARRAY['user', 'assistant', 'system'])[1 + n % 3],
       'message ' || n || ' of conversation ' || (1 + n % 1000)
FROM generate_series(1, 10000) AS n;
"""

DESIRED = """
version: 1
schemas:
  public:
    tables:
      conversations:
        columns:
          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid(), convert: regenerate}
          title: {type: text, nullable: false}
      messages:
        columns:
          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid(), convert: regenerate}
          conversation_id:
            type: uuid
            nullable: false
            references: {table: conversations, column: id, on_delete: cascade}
          role: {type: text, nullable: false, check: "role IN ('user', 'assistant', 'system')"}
          content: {type: text, nullable: false}
"""

PAIRS = """
SELECT m.content, c.title FROM public.messages AS m JOIN public.conversations AS c ON c.id = m.conversation_id
"""


def _reconcile(schema_dir: Path, db_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, [*args, "--schema-dir", str(schema_dir), "--database-url", db_url], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_incident_001_integer_ids_become_uuids_and_messages_keep_their_conversation(
    tmp_path: Path, db_url: str
) -> None:
    run_sql(db_url, LIVE)
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    (schema_dir / "app.yaml").write_text(DESIRED)
    with psycopg.connect(db_url) as conn:
        before = set(conn.execute(PAIRS).fetchall())
    assert len(before) == 10_000

    code, text = _reconcile(schema_dir, db_url, "plan")
    assert code == Exit.OK, text
    assert "drops data" not in text  # nothing is destroyed: no table dropped, no value lost
    assert "DROP TABLE" not in _reconcile(schema_dir, db_url, "plan", "--sql")[1]

    code, text = _reconcile(schema_dir, db_url, "apply", "--auto-approve")
    assert code == Exit.OK, text

    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, ["public"])
        after = set(conn.execute(PAIRS).fetchall())
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM public.conversations), (SELECT count(*) FROM public.messages)"
        ).fetchone()
        # A new row gets a uuid by default; the FK cascades.
        conn.execute("INSERT INTO public.conversations (title) VALUES ('new')")
        conn.execute("DELETE FROM public.conversations WHERE title = 'conversation 1'")
        left = conn.execute(
            "SELECT count(*) FROM public.messages WHERE content LIKE '% of conversation 1'"
        ).fetchone()
        conn.rollback()
    assert counts == (1_000, 10_000)
    assert after == before  # every message still belongs to the same conversation
    assert left == (0,)
    messages = live.tables[("public", "messages")]
    assert [c.type for c in messages.columns[:2]] == ["uuid", "uuid"]
    assert [fk.name for fk in messages.foreign_keys] == ["messages_conversation_id_fkey"]
    assert [c.name for c in messages.checks] == ["messages_role_check"]
    assert {c.name for c in messages.columns} == {"id", "conversation_id", "role", "content"}  # no scratch left

    code, text = _reconcile(schema_dir, db_url, "plan", "--detailed-exitcode")
    assert code == Exit.OK, text


def test_a_self_referencing_key_keeps_its_tree(tmp_path: Path, db_url: str) -> None:
    case = Path(__file__).parents[1] / "cases" / "conversion" / "regenerate-self-reference"
    run_sql(db_url, (case / "live.sql").read_text())
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    (schema_dir / "app.yaml").write_text((case / "desired.yaml").read_text())
    code, text = _reconcile(schema_dir, db_url, "apply", "--auto-approve")
    assert code == Exit.OK, text
    with psycopg.connect(db_url) as conn:
        pairs = set(
            conn.execute(
                "SELECT c.body, p.body FROM public.comments AS c LEFT JOIN public.comments AS p ON p.id = c.parent_id"
            ).fetchall()
        )
    assert pairs == {("root", None), ("reply to root", "root"), ("reply to reply", "reply to root")}
