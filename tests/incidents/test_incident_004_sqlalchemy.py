"""Incident 004 end to end again, declared the way the team that had it declares its schema:
SQLAlchemy models (with a YAML file beside them for the extensions). The live enums hold the
members' *names* (what ``Enum(UserRole)`` without ``values_callable`` created); ``reconcile
lint`` on the old models names that trap; the fixed models (``values_callable``,
``DateTime(timezone=True)``) rename every label in place to its value, keep every row and its
instant, and plan no changes afterwards."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

pytest.importorskip("sqlalchemy", reason="SQLAlchemy is optional: pip install 'pgreconcile[sqlalchemy]'")

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

# The models as they were when the incident happened (what created LIVE).
OLD = '''
import datetime
import enum
import uuid

from sqlalchemy import DateTime, Enum, ForeignKey, Text, Uuid, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class UserRole(str, enum.Enum):
    SYSADMIN = "sysadmin"
    ADMIN = "admin"
    USER = "user"


class AuditAction(str, enum.Enum):
    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    DELETE = "delete"
    LOGIN = "login"
    LOGOUT = "logout"
    PERMISSION_CHANGE = "permission_change"


ROLE = Enum(UserRole, name="userrole")
ACTION = Enum(AuditAction, name="auditaction")
WHEN = DateTime()
CONVERT = {}


class User(Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, server_default=text("gen_random_uuid()"))
    email: Mapped[str] = mapped_column(Text, unique=True)
    role: Mapped[UserRole] = mapped_column(ROLE, server_default=ROLE.enums[2])
    created_at: Mapped[datetime.datetime] = mapped_column(WHEN, server_default=text("now()"), info=CONVERT)


class AuditLog(Base):
    __tablename__ = "audit_logs"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, server_default=text("uuid_generate_v4()"))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[AuditAction] = mapped_column(ACTION)
    timestamp: Mapped[datetime.datetime] = mapped_column(WHEN, server_default=text("now()"), info=CONVERT)
'''

BY_VALUE = "values_callable=lambda e: [m.value for m in e]"
FIXED = (
    OLD.replace('name="userrole")', f'name="userrole", {BY_VALUE})')
    .replace('name="auditaction")', f'name="auditaction", {BY_VALUE})')
    .replace("WHEN = DateTime()", "WHEN = DateTime(timezone=True)")
    .replace("CONVERT = {}", 'CONVERT = {"pgreconcile": {"convert": {"time_zone": "UTC"}}}')
    + '''
# The live labels are the members' names: rename each in place to its value.
Base.metadata.info["pgreconcile"] = {
    "enums": {"userrole": {"renamed_from_names": True}, "auditaction": {"renamed_from_names": True}},
}
'''
)

EXTENSIONS = """
version: 1
extensions: [pgcrypto, uuid-ossp]
conventions:
  timestamps: timestamptz
"""


def _project(tmp_path: Path, models: str) -> str:
    module = f"incident004_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text(models)
    (tmp_path / "schema").mkdir(exist_ok=True)
    (tmp_path / "schema" / "extensions.yaml").write_text(EXTENSIONS)
    return f"{module}:Base.metadata"


def _reconcile(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_lint_names_the_trap_in_the_old_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    target = _project(tmp_path, OLD)
    code, text = _reconcile("lint", "--from-sqlalchemy", target)
    assert code == Exit.ERROR
    assert "column public.users.role  Enum(UserRole) stores member names: PostgreSQL gets the labels " \
        "SYSADMIN, ADMIN, USER, not the values sysadmin, admin, user  [enum_names]" in text
    assert "column public.audit_logs.action  Enum(AuditAction) stores member names" in text
    assert "column public.users.created_at  is DateTime() without timezone=True" in text


def test_incident_004_from_sqlalchemy_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    run_sql(db_url, LIVE)
    monkeypatch.chdir(tmp_path)
    target = _project(tmp_path, OLD)
    # The old models describe the live database exactly (but for the missing extensions).
    code, text = _reconcile("plan", "--from-sqlalchemy", target, "-d", db_url)
    assert code == Exit.ERROR and "[timestamps]" in text  # the convention refuses naive timestamps

    target = _project(tmp_path, FIXED)
    assert _reconcile("lint", "--from-sqlalchemy", target)[0] == Exit.OK
    code, text = _reconcile("plan", "--from-sqlalchemy", target, "-d", db_url)
    assert code == Exit.OK, text
    assert "» enum public.userrole value 'SYSADMIN' → 'sysadmin'" in text
    assert "+ extension pgcrypto" in text and "+ extension uuid-ossp" in text

    code, text = _reconcile("apply", "--from-sqlalchemy", target, "-d", db_url, "--auto-approve")
    assert code == Exit.OK, text
    with psycopg.connect(db_url) as conn:
        roles = conn.execute("SELECT email, role::text FROM public.users ORDER BY email").fetchall()
        labels = conn.execute("SELECT enum_range(NULL::public.userrole)::text").fetchone()
        actions = conn.execute("SELECT action::text FROM public.audit_logs ORDER BY \"timestamp\"").fetchall()
        created = conn.execute("SELECT email, created_at FROM public.users ORDER BY email").fetchall()
        default = conn.execute(
            "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'public.users'::regclass "
            "AND adnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'public.users'::regclass "
            "AND attname = 'role')"
        ).fetchone()
    assert roles == [("ada@example.com", "admin"), ("bob@example.com", "user"), ("root@example.com", "sysadmin")]
    assert labels == ("{sysadmin,admin,user}",)
    assert actions == [("permission_change",), ("login",)]
    utc = datetime.UTC
    assert created == [
        ("ada@example.com", datetime.datetime(2024, 6, 30, 23, 59, 59, 500000, tzinfo=utc)),
        ("bob@example.com", datetime.datetime(2025, 2, 1, 0, 0, tzinfo=utc)),
        ("root@example.com", datetime.datetime(2024, 1, 15, 8, 30, tzinfo=utc)),
    ]
    assert default == ("'user'::userrole",)  # server_default=ROLE.enums[2] is now the value
    code, text = _reconcile("plan", "--from-sqlalchemy", target, "-d", db_url, "--detailed-exitcode")
    assert code == Exit.OK, text
