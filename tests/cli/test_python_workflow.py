"""Python declarations through the CLI, on a real database.

The same schema declared once in YAML and once in Python gives the same desired model and the
same plan, byte for byte (text and JSON); applying the Python one converges; ``reconcile inspect
--format python`` writes a file that plans no changes; and YAML and Python files mix in one
schema directory.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_schema

SHOP = Path(__file__).parent.parent / "catalog" / "shop.sql"

LIVE = """
CREATE SCHEMA app;
CREATE TYPE app.priority AS ENUM ('low', 'high');
CREATE TABLE app.accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    name varchar(40) NOT NULL,
    created_at timestamp NOT NULL DEFAULT now(),
    legacy text
);
INSERT INTO app.accounts (email, name) VALUES ('a@example.com', 'Ann'), ('b@example.com', 'Bob');
"""

YAML = """
version: 1
extensions:
  pgcrypto: {}
schemas:
  app:
    comment: The application.
    enums:
      ticket_status: {values: [open, on_hold, closed], comment: Where a ticket is.}
      priority: [low, high, urgent]
    tables:
      accounts:
        comment: Customer accounts.
        columns:
          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}
          email: {type: text, nullable: false, unique: true}
          name: {type: varchar(80), nullable: false, comment: Display name.}
          balance: {type: numeric, nullable: false, default: "0.00"}
          active: {type: boolean, nullable: false, default: true}
          ratio: double precision
          joined_on: {type: date, nullable: false, default_sql: CURRENT_DATE}
          created_at: {type: timestamptz, nullable: false, default_sql: now()}
          opens_at: time
          grace: {type: interval, default: 1 day}
          avatar: bytea
          settings: {type: jsonb, nullable: false, default: {}}
          visits: {type: bigint, nullable: false, default: 0}
          rank: {type: integer, identity: by default}
          ip: inet
        checks:
          accounts_email_at: "position('@' in email) > 1"
        indexes:
          accounts_created_idx: {columns: [created_at DESC]}
          accounts_lower_name_idx: {columns: [lower(name)], where: active}
          accounts_settings_idx: {columns: [settings], method: gin}
        rls: {enabled: true}
        policies:
          accounts_read: {command: select, using: "true"}
        groups:
          profile: {keys: {age: bigint, nickname: text}, index: gin}
      tickets:
        columns:
          id: {type: bigint, identity: always, primary_key: true}
          account_id:
            type: uuid
            nullable: false
            references: {table: accounts, column: id, on_delete: cascade}
          status: {type: ticket_status, nullable: false, default: open}
          priority: priority
          title: {type: text, nullable: false, check: "length(title) > 0"}
          tags: {type: "text[]", nullable: false, default: []}
        unique:
          tickets_account_title_key: [account_id, title]
        indexes:
          tickets_account_idx: [account_id]
      ticket_links:
        columns:
          from_id: {type: bigint, nullable: false}
          to_id: {type: bigint, nullable: false}
        primary_key: [from_id, to_id]
        foreign_keys:
          ticket_links_from_fkey:
            columns: [from_id]
            references: {table: tickets, columns: [id]}
            on_delete: cascade
"""

PYTHON = '''
import datetime
import decimal
import enum
import ipaddress
import uuid

from pydantic import BaseModel

from pgreconcile.declare import Table, check, column, enum_type, foreign_key, index, policy, primary_key, unique

__schema__ = "app"
__extensions__ = ["pgcrypto"]
__schemas__ = {"app": {"comment": "The application."}}


@enum_type(comment="Where a ticket is.")
class TicketStatus(enum.Enum):
    OPEN = "open"
    ON_HOLD = "on_hold"
    CLOSED = "closed"


class Priority(enum.Enum):
    LOW = "low"
    HIGH = "high"
    URGENT = "urgent"


class Profile(BaseModel):
    age: int | None = None
    nickname: str | None = None


class Account(Table, name="accounts", comment="Customer accounts."):
    id: uuid.UUID = column(primary_key=True, default_sql="gen_random_uuid()")
    email: str = column(unique=True)
    name: str = column(type="varchar(80)", comment="Display name.")
    balance: decimal.Decimal = column(default=decimal.Decimal("0.00"))
    active: bool = True
    ratio: float | None
    joined_on: datetime.date = column(default_sql="CURRENT_DATE")
    created_at: datetime.datetime = column(default_sql="now()")
    opens_at: datetime.time | None
    grace: datetime.timedelta | None = datetime.timedelta(days=1)
    avatar: bytes | None
    settings: dict = column(default={})
    visits: int = 0
    rank: int = column(type="integer", identity="by default")
    ip: ipaddress.IPv4Address | None
    profile: Profile = column(index="gin")
    __checks__ = [check("accounts_email_at", "position('@' in email) > 1")]
    __indexes__ = [
        index("accounts_created_idx", "created_at DESC"),
        index("accounts_lower_name_idx", "lower(name)", where="active"),
        index("accounts_settings_idx", "settings", method="gin"),
    ]
    __rls__ = True
    __policies__ = [policy("accounts_read", command="select", using="true")]


class Ticket(Table, name="tickets"):
    id: int = column(identity="always", primary_key=True)
    account_id: uuid.UUID = column(references=Account, on_delete="cascade")
    status: TicketStatus = column(default=TicketStatus.OPEN)
    priority: Priority | None
    title: str = column(check="length(title) > 0")
    tags: list[str] = column(type="text[]", default=[])
    __unique__ = [unique("account_id", "title", name="tickets_account_title_key")]
    __indexes__ = [index("tickets_account_idx", "account_id")]


class TicketLink(Table, name="ticket_links"):
    from_id: int
    to_id: int
    __primary_key__ = primary_key("from_id", "to_id")
    __foreign_keys__ = [
        foreign_key("ticket_links_from_fkey", "from_id", Ticket, ref_columns=["id"], on_delete="cascade"),
    ]
'''


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return directory


def test_same_schema_in_yaml_and_python_plans_the_same(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_sql(db_url, LIVE)
    _write(tmp_path / "yaml" / "schema", "app.yaml", YAML)
    _write(tmp_path / "python" / "schema", "app.py", PYTHON)
    assert load_schema(tmp_path / "yaml" / "schema") == load_schema(tmp_path / "python" / "schema")
    outputs: dict[str, dict[str, str]] = {}
    for kind in ("yaml", "python"):
        monkeypatch.chdir(tmp_path / kind)  # both read `schema/`, so the plans name the same source
        outputs[kind] = {}
        for view in ("--no-color", "--json", "--sql"):
            code, output = _invoke("plan", "--database-url", db_url, view)
            assert code == Exit.OK, output
            outputs[kind][view] = output
    assert outputs["yaml"] == outputs["python"]
    plan = json.loads(outputs["python"]["--json"])
    assert plan["summary"]["add"] > 0 and plan["summary"]["change"] > 0
    assert "schema/ (1 file)" in outputs["python"]["--no-color"]


def test_python_declarations_apply_and_converge(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run_sql(db_url, LIVE)
    schema = _write(tmp_path / "schema", "app.py", PYTHON)
    monkeypatch.chdir(tmp_path)
    code, output = _invoke("apply", "--database-url", db_url, "--auto-approve", "--allow-destroy", "--no-color")
    assert code == Exit.OK, output
    assert "Apply complete!" in output
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, frozenset({"app"}))
        assert conn.execute("SELECT count(*) FROM app.accounts").fetchone() == (2,)
    desired = load_schema(schema)
    assert live.enums[("app", "ticket_status")].values == ("open", "on_hold", "closed")
    assert live.tables[("app", "tickets")].columns == desired.tables[("app", "tickets")].columns
    code, output = _invoke("plan", "--database-url", db_url, "--detailed-exitcode")
    assert code == Exit.OK, output
    assert "No changes." in output


def test_inspect_format_python_then_plan_shows_no_changes(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, SHOP.read_text())
    schema = tmp_path / "schema"
    schema.mkdir()
    code, output = _invoke("inspect", "--database-url", db_url, "--format", "python", "-o", str(schema / "app.py"))
    assert code == 0, output
    text = (schema / "app.py").read_text()
    assert "from pgreconcile.declare import" in text and "class Accounts(Table" in text
    code, output = _invoke("validate", "--schema-dir", str(schema))
    assert code == 0, output
    assert "(1 file)" in output
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode")
    assert "No changes. The database matches the declarations." in output
    assert code == Exit.OK


def test_inspect_format_is_a_closed_choice(db_url: str) -> None:
    code, output = _invoke("inspect", "--database-url", db_url, "--format", "toml")
    assert code == 2 and "'toml' is not one of 'yaml', 'python'" in output
    code, output = _invoke("inspect", "--database-url", db_url)
    assert code == 0 and output.startswith("# Generated by `reconcile inspect`")


def test_yaml_and_python_files_in_one_directory(tmp_path: Path, db_url: str) -> None:
    schema = tmp_path / "schema"
    _write(schema, "enums.yaml", "schemas:\n  public:\n    enums:\n      mood: [calm, tense]\n")
    _write(
        schema,
        "notes.py",
        """
        import uuid
        from pgreconcile.declare import Table, column

        class Note(Table, name="notes"):
            id: uuid.UUID = column(primary_key=True, default_sql="gen_random_uuid()")
            mood: str = column(type="mood", default="calm")
        """,
    )
    code, output = _invoke("validate", "--schema-dir", str(schema))
    assert code == 0, output
    assert f"{schema}/ (2 files)" in output and "1 table, 1 enum," in output
    code, output = _invoke("apply", "--schema-dir", str(schema), "--database-url", db_url, "--auto-approve")
    assert code == 0, output
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_empty_directory_names_every_kind(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    code, output = _invoke("validate", "--schema-dir", str(tmp_path / "schema"))
    assert code == Exit.ERROR
    assert "no *.yaml, *.yml, *.py or *.sql files" in output
