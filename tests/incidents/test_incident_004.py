"""Incident 004 end to end (docs/incidents.md), declared in Python: enums created
with the members' *names* (SYSADMIN, ADMIN, USER) while the code writes their *values*, naive
timestamps, and missing extensions. After apply the labels are the lowercase values, each row
keeps its role and action, the timestamps are the same instants as timestamptz, the extensions
exist, and planning again shows no changes."""

from __future__ import annotations

import datetime
from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TYPE public.userrole AS ENUM ('SYSADMIN', 'ADMIN', 'USER');
CREATE TYPE public.auditaction AS ENUM ('CREATE', 'READ', 'UPDATE', 'DELETE', 'LOGIN', 'LOGOUT', 'PERMISSION_CHANGE');
CREATE TABLE public.users (
    id uuid PRIMARY KEY,
    email text NOT NULL UNIQUE,
    role public.userrole NOT NULL DEFAULT 'USER',
    created_at timestamp NOT NULL DEFAULT now()
);
CREATE TABLE public.audit_logs (
    id uuid PRIMARY KEY,
    actor_id uuid REFERENCES public.users (id) ON DELETE SET NULL,
    action public.auditaction NOT NULL,
    "timestamp" timestamp NOT NULL DEFAULT now()
);
INSERT INTO public.users VALUES
    ('11111111-1111-4111-8111-111111111111', 'root@example.com', 'SYSADMIN', '2024-01-15 08:30:00'),
    ('22222222-2222-4222-8222-222222222222', 'ada@example.com', 'ADMIN', '2024-06-30 23:59:59.5'),
    ('33333333-3333-4333-8333-333333333333', 'bob@example.com', 'USER', '2025-02-01 00:00:00');
INSERT INTO public.audit_logs VALUES
    ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '11111111-1111-4111-8111-111111111111', 'PERMISSION_CHANGE',
     '2024-03-01 10:00:00'),
    ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', '33333333-3333-4333-8333-333333333333', 'LOGIN', '2024-03-02 11:00:00');
"""

MODELS = '''
import datetime
import enum
import uuid

from pgreconcile.declare import Table, column, enum_type

__extensions__ = ["pgcrypto", "uuid-ossp"]


@enum_type(name="userrole", renamed_from_names=True)
class UserRole(str, enum.Enum):
    SYSADMIN = "sysadmin"
    ADMIN = "admin"
    USER = "user"


@enum_type(name="auditaction", renamed_from_names=True)
class AuditAction(str, enum.Enum):
    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    DELETE = "delete"
    LOGIN = "login"
    LOGOUT = "logout"
    PERMISSION_CHANGE = "permission_change"


UTC = {"time_zone": "UTC"}


class User(Table, name="users"):
    id: uuid.UUID = column(primary_key=True, default_sql="gen_random_uuid()")
    email: str = column(unique=True)
    role: UserRole = column(default=UserRole.USER)
    created_at: datetime.datetime = column(default_sql="now()", convert=UTC)


class AuditLog(Table, name="audit_logs"):
    id: uuid.UUID = column(primary_key=True, default_sql="uuid_generate_v4()")
    actor_id: uuid.UUID | None = column(references=User, on_delete="set null")
    action: AuditAction
    timestamp: datetime.datetime = column(default_sql="now()", convert=UTC)
'''


def _reconcile(schema_dir: Path, db_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, [*args, "--schema-dir", str(schema_dir), "--database-url", db_url], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_incident_004_enums_by_value_and_timestamps_in_utc(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    (schema_dir / "models.py").write_text(MODELS)

    code, text = _reconcile(schema_dir, db_url, "plan")
    assert code == Exit.OK, text
    assert "» enum public.userrole value 'SYSADMIN' → 'sysadmin'" in text
    assert "+ extension pgcrypto" in text and "+ extension uuid-ossp" in text

    code, text = _reconcile(schema_dir, db_url, "apply", "--auto-approve")
    assert code == Exit.OK, text

    with psycopg.connect(db_url) as conn:
        roles = conn.execute("SELECT email, role::text FROM public.users ORDER BY email").fetchall()
        labels = conn.execute("SELECT enum_range(NULL::public.userrole)::text").fetchone()
        actions = conn.execute("SELECT action::text FROM public.audit_logs ORDER BY \"timestamp\"").fetchall()
        created = conn.execute(
            "SELECT email, created_at, pg_typeof(created_at)::text FROM public.users ORDER BY email"
        ).fetchall()
        extensions = {r[0] for r in conn.execute("SELECT extname FROM pg_extension").fetchall()}
    assert roles == [("ada@example.com", "admin"), ("bob@example.com", "user"), ("root@example.com", "sysadmin")]
    assert labels == ("{sysadmin,admin,user}",)
    assert actions == [("permission_change",), ("login",)]
    utc = datetime.UTC
    assert [(e, t) for e, t, _ in created] == [
        ("ada@example.com", datetime.datetime(2024, 6, 30, 23, 59, 59, 500000, tzinfo=utc)),
        ("bob@example.com", datetime.datetime(2025, 2, 1, 0, 0, tzinfo=utc)),
        ("root@example.com", datetime.datetime(2024, 1, 15, 8, 30, tzinfo=utc)),
    ]
    assert {kind for _, _, kind in created} == {"timestamp with time zone"}
    assert {"pgcrypto", "uuid-ossp"} <= extensions

    code, text = _reconcile(schema_dir, db_url, "plan", "--detailed-exitcode")
    assert code == Exit.OK, text
