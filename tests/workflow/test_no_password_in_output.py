"""No output ever shows the password of the connection URL: plan in every view, the saved plan
file, apply's progress and its errors (a failing statement, a stale plan, the lock held by
another apply), inspect, and connection errors. The URL carries a real password of a real role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from workflow_helpers import NOTES, NOTES_DESIRED, invoke, schema_dir

from conftest import run_sql
from pgreconcile.apply.lock import ADVISORY_LOCK_KEY
from pgreconcile.localpg import LocalServer

PASSWORD = "Pa55-w0rd@with/odd:chars"


@pytest.fixture
def secret_url(pg_server: LocalServer, db_url: str) -> Iterator[str]:
    """``db_url`` as a role that has a password, with the password in the URL (percent-encoded)."""
    role = f"pgr_secret_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server.url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
    parts = urlsplit(db_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    url = urlunsplit(parts._replace(netloc=f"{role}:{quote(PASSWORD, safe='')}@{host}"))
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (role,)
    try:
        yield url
    finally:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER; DROP OWNED BY {role}")
        with psycopg.connect(pg_server.url, autocommit=True) as admin:
            admin.execute(f"DROP ROLE {role}")


def _assert_hidden(text: str) -> None:
    for spelling in (PASSWORD, quote(PASSWORD, safe=""), "Pa55-w0rd"):
        assert spelling not in text, text


def test_no_output_shows_the_password(tmp_path: Path, secret_url: str) -> None:
    run_sql(secret_url, NOTES)
    schema = schema_dir(tmp_path, NOTES_DESIRED)
    common = ("-s", str(schema), "-d", secret_url)
    seen: list[str] = []

    def run(*args: str, stdin: str | None = None) -> str:
        result = invoke(*args, stdin=stdin)
        seen.append(result.output)
        return result.output

    text = run("plan", *common)
    assert "(password hidden)" in text and "***" in text
    for view in ("--json", "--markdown", "--sql"):
        run("plan", *common, view)
    plan_file = tmp_path / "p.plan.json"
    run("plan", *common, "-out", str(plan_file))
    seen.append(plan_file.read_text())
    run("inspect", "-d", secret_url)

    # A stale saved plan, then the lock held by another session, then a statement that fails.
    run_sql(secret_url, "ALTER TABLE public.notes ADD COLUMN extra text")
    assert "changed since the plan was made" in run("apply", str(plan_file), "-d", secret_url)
    with psycopg.connect(secret_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        waited = run("apply", *common, "--auto-approve", "--allow-destroy", "--lock-timeout", "100")
        assert "another apply holds" in waited
    run_sql(secret_url, "INSERT INTO public.notes (body) VALUES ('a'), ('a')")
    failing = schema_dir(tmp_path, NOTES_DESIRED.replace("nullable: false}", "nullable: false, unique: true}", 1), "f")
    # Probes off, so that the statement fails mid-apply (they would refuse the plan up front).
    failing_args = ("-s", str(failing), "-d", secret_url, "--auto-approve", "--allow-destroy", "--probe-timeout", "0")
    assert "SQLSTATE 23505" in run("apply", *failing_args)
    # An apply that works, with its progress lines and verification.
    assert "Apply complete!" in run("apply", *common, "--auto-approve", "--allow-destroy")

    # Connection errors: a database that does not exist, and a malformed URL.
    missing = secret_url.rsplit("/", 1)[0] + "/no_such_database"
    assert "cannot connect" in run("plan", "-s", str(schema), "-d", missing)
    assert "Error" in run("plan", "-s", str(schema), "-d", secret_url.replace("@", "@[", 1))

    for output in seen:
        _assert_hidden(output)
