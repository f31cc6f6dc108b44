"""Incident 004 (docs/incidents.md) declared in Python, the way its team wrote models.

The ORM created ``userrole`` and ``auditaction`` with the members' *names* (``SYSADMIN``) while
the application wrote their *values* (``sysadmin``), and every timestamp was naive. Declared here
with lowercase-valued ``enum.Enum`` classes and ``datetime`` fields, the desired model must have
lowercase labels and only ``timestamptz`` columns, and the live database built from it must accept
the values and refuse the names. (Moving the incident's live data — renaming the labels in place,
converting the naive timestamps — is the job of the enum and conversion stages; this file checks
the Python side they start from: ``renamed_values`` from the names, ``convert: {time_zone: UTC}``.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

from pgreconcile.apply.runner import apply_plan
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_schema, parse_files
from pgreconcile.plan import make_plan

if TYPE_CHECKING:
    from declare_helpers import SchemaDir

pytest_plugins = ["declare_helpers"]  # the schema_dir fixture

MODELS = '''
"""The iam-dashboard models of incident 004, as pgreconcile declarations."""

import datetime
import enum
import uuid

from pgreconcile.declare import Table, column, enum_type, index

__extensions__ = ["pgcrypto", "uuid-ossp"]


# The live types were created from the member names; the labels are the values.
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


UTC = {"time_zone": "UTC"}  # the naive values were written in UTC


class User(Table, name="users"):
    id: uuid.UUID = column(primary_key=True, default_sql="gen_random_uuid()")
    email: str = column(unique=True)
    password_hash: str
    role: UserRole = column(default=UserRole.USER)
    created_at: datetime.datetime = column(default_sql="now()", convert=UTC)
    updated_at: datetime.datetime = column(default_sql="now()", convert=UTC)
    last_login_at: datetime.datetime | None = column(convert=UTC)
    locked_until: datetime.datetime | None = column(convert=UTC)


class AuditLog(Table, name="audit_logs"):
    id: uuid.UUID = column(primary_key=True, default_sql="uuid_generate_v4()")
    actor_id: uuid.UUID | None = column(references=User, on_delete="set null")
    action: AuditAction
    resource_type: str
    ip_address: str | None
    timestamp: datetime.datetime = column(default_sql="now()", convert=UTC)
    __indexes__ = [index("audit_logs_actor_idx", "actor_id")]
'''


@pytest.fixture
def incident(schema_dir: SchemaDir) -> Path:
    return schema_dir.write("models.py", MODELS)


def test_labels_are_the_lowercase_values(incident: Path) -> None:
    schema = load_schema(incident.parent)
    assert schema.enums[("public", "userrole")].values == ("sysadmin", "admin", "user")
    assert schema.enums[("public", "auditaction")].values == (
        "create", "read", "update", "delete", "login", "logout", "permission_change",
    )
    users = schema.table("public", "users")
    assert users is not None
    role = users.column("role")
    assert role is not None and role.default == "'user'::public.userrole"


def test_every_datetime_is_timestamptz(incident: Path) -> None:
    schema = load_schema(incident.parent)
    datetimes = {
        (t.name, c.name): c.type for t in schema.tables.values() for c in t.columns if "timestamp" in c.type
    }
    assert set(datetimes) == {
        ("users", "created_at"), ("users", "updated_at"), ("users", "last_login_at"), ("users", "locked_until"),
        ("audit_logs", "timestamp"),
    }
    assert set(datetimes.values()) == {"timestamp with time zone"}
    assert set(schema.extensions) == {"pgcrypto", "uuid-ossp"}


def test_live_names_map_to_values_and_conversions_say_utc(incident: Path) -> None:
    (document,) = parse_files([incident])
    enums = document.spec.schemas["public"].enums
    assert enums["userrole"].renamed_values == {"SYSADMIN": "sysadmin", "ADMIN": "admin", "USER": "user"}
    assert enums["auditaction"].renamed_values["PERMISSION_CHANGE"] == "permission_change"
    users = document.spec.schemas["public"].tables["users"]
    assert users.columns["created_at"].convert is not None
    assert users.columns["created_at"].convert.time_zone == "UTC"


def test_database_built_from_it_takes_values_and_refuses_names(incident: Path, db_url: str) -> None:
    desired = load_schema(incident.parent)
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
    with psycopg.connect(db_url, autocommit=True) as conn:
        apply_plan(conn, make_plan(desired, live, source="models.py", target="test"), allow_destroy=False)
        conn.execute("INSERT INTO users (email, password_hash) VALUES ('a@example.com', 'x')")
        conn.execute("INSERT INTO users (email, password_hash, role) VALUES ('b@example.com', 'x', 'admin')")
        assert conn.execute("SELECT role::text FROM users ORDER BY email").fetchall() == [("user",), ("admin",)]
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            conn.execute("INSERT INTO users (email, password_hash, role) VALUES ('c@example.com', 'x', 'ADMIN')")
        conn.execute("INSERT INTO audit_logs (action, resource_type) VALUES ('permission_change', 'user')")
        kinds = conn.execute(
            "SELECT data_type FROM information_schema.columns WHERE column_name IN ('created_at', 'timestamp')"
        ).fetchall()
        assert set(kinds) == {("timestamp with time zone",)}
        after = read_schema(conn, desired.managed)
    assert not make_plan(desired, after, source="models.py", target="test").has_changes
