"""Subscriptions on a real server: SQL files, YAML and Python converge (applied, planned again
with no changes, and — for SQL — equal to a database the files themselves built, publications
compared as a set: their order means nothing to PostgreSQL and the model keeps them sorted); a password
never reaches plans, saved plans, inspect output or errors; options a major lacks are refused;
a role that cannot read connection strings plans no change to them; saved plans are refused once
a subscription changed. Every subscription is made with ``connect = false`` or ``slot_name =
NONE``: no test ever contacts a publisher (the golden case subscription/create-alter-drop and its
inspect round trips cover creating, altering and dropping from YAML)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql, sql_files_cli
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.sql.script import parse_script
from pgreconcile.declare.sql.subscriptions import declared_subscriptions, take_subscriptions
from pgreconcile.localpg import LocalServer, create_database, drop_database
from pgreconcile.model.subscriptions import holds_mask, masked_conninfo

SECRET = "Hunter2-sub-secret"
OFFLINE = "WITH (connect = false, slot_name = NONE)"

SNAPSHOT = """
SELECT s.subname, s.subconninfo, ARRAY(SELECT p FROM unnest(s.subpublications) AS p ORDER BY 1)::text,
       s.subenabled, s.subslotname, s.subsynccommit,
       s.subbinary, s.substream::text, pg_get_userbyid(s.subowner), obj_description(s.oid, 'pg_subscription')
FROM pg_subscription s WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY 1
"""


def _snapshot(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(SNAPSHOT).fetchall()]


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _major(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.info.server_version // 10000


@pytest.fixture
def owner_role(db_url: str) -> Iterator[str]:
    # Before PostgreSQL 16 a subscription's owner must be a superuser.
    role = "pgr_sub_owner"
    run_sql(db_url, f"DO $$ BEGIN CREATE ROLE {role} SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
    yield role


BASE = f"CREATE SUBSCRIPTION app_sub CONNECTION 'host=publisher.invalid dbname=app' PUBLICATION app_pub {OFFLINE};\n"
SQL_TRANSITIONS = {
    "create": ("", BASE + "COMMENT ON SUBSCRIPTION app_sub IS 'from the files';\n"),
    "alter-in-place": (BASE, BASE + (
        f"ALTER SUBSCRIPTION app_sub CONNECTION 'host=publisher.invalid dbname=app password={SECRET}';\n"
        "ALTER SUBSCRIPTION app_sub SET PUBLICATION app_pub, audit_pub WITH (refresh = false);\n"
        "ALTER SUBSCRIPTION app_sub ADD PUBLICATION more_pub WITH (refresh = false);\n"
        "ALTER SUBSCRIPTION app_sub DROP PUBLICATION audit_pub WITH (refresh = false);\n"
        "ALTER SUBSCRIPTION app_sub SET (slot_name = 'app_slot', binary = true, synchronous_commit = 'local');\n"
        "ALTER SUBSCRIPTION app_sub OWNER TO pgr_sub_owner;\n"
        "COMMENT ON SUBSCRIPTION app_sub IS 'changed';\n")),
    # Files that drop their last subscription still manage subscriptions: the live one goes.
    "drop-last": (BASE, BASE + "DROP SUBSCRIPTION app_sub;\n"),
    # A live one with a slot name: detached from it (no publisher contacted) before the drop.
    "drop-with-slot": (
        "CREATE SUBSCRIPTION slotted CONNECTION 'host=publisher.invalid dbname=app' PUBLICATION app_pub "
        "WITH (connect = false, slot_name = 'slotted_slot');\n", "DROP SUBSCRIPTION IF EXISTS slotted;\n"),
    "rename": (BASE, BASE + "ALTER SUBSCRIPTION app_sub RENAME TO renamed_sub;\n"),
    # Option spellings PostgreSQL accepts: a quoted 'none' slot, a bare boolean, on for a setting.
    "spellings": ("", "CREATE SUBSCRIPTION spelled CONNECTION E'host=publisher.invalid dbname=app' "
                      "PUBLICATION app_pub, \"Audit\" WITH (connect = false, slot_name = 'none', binary, "
                      "synchronous_commit = on, streaming = 'on');\n"),
}


@pytest.mark.parametrize("transition", sorted(SQL_TRANSITIONS))
def test_sql_transitions_converge_and_match_the_files(
    transition: str, tmp_path: Path, db_url: str, pg_server: LocalServer, owner_role: str
) -> None:
    before, after = SQL_TRANSITIONS[transition]
    if before:
        run_sql(db_url, before)
    run = sql_files_cli(tmp_path, db_url, after or "SELECT 1;\n")
    code, output = run("apply", "--auto-approve", "--allow-destroy")
    assert code == Exit.OK, output
    assert SECRET not in output
    code, output = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, output
    fresh = f"sub_{uuid.uuid4().hex[:10]}"
    fresh_url = create_database(pg_server.url, fresh)
    try:
        run_sql(fresh_url, after)
        assert _snapshot(db_url) == _snapshot(fresh_url)
    finally:
        drop_database(pg_server.url, fresh)


YAML = f"""version: 1
subscriptions:
  every_option:
    connection: host=publisher.invalid dbname=app user=replicator password={SECRET}
    publications: [app_pub, audit_pub]
    connect: false
    slot_name: every_slot
    enabled: false
    synchronous_commit: remote_apply
    binary: true
    streaming: on
    comment: every option the oldest major has
  no_slot:
    connection: postgresql://replicator@publisher.invalid/app
    publications: app_pub
    slot_name: NONE
"""

PYTHON = f'''__subscriptions__ = {{
    "every_option": {{
        "connection": "host=publisher.invalid dbname=app user=replicator password={SECRET}",
        "publications": ["app_pub", "audit_pub"],
        "connect": False,
        "slot_name": "every_slot",
        "enabled": False,
        "synchronous_commit": "remote_apply",
        "binary": True,
        "streaming": "on",
        "comment": "every option the oldest major has",
    }},
    "no_slot": {{"connection": "postgresql://replicator@publisher.invalid/app", "publications": "app_pub",
                "slot_name": "NONE"}},
}}
'''


@pytest.mark.parametrize(("name", "text"), [("subs.yaml", YAML), ("subs.py", PYTHON)])
def test_yaml_and_python_converge_and_never_show_the_password(
    name: str, text: str, tmp_path: Path, db_url: str
) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / name).write_text(text, encoding="utf-8")
    common = ("-s", str(schema), "-d", db_url)
    saved = tmp_path / "saved.plan.json"
    code, output = _invoke("plan", *common, "-out", str(saved), "--json")
    assert code == Exit.OK, output
    assert SECRET not in output and SECRET not in saved.read_text()
    statements = [s for step in json.loads(saved.read_text())["steps"] for s in step["statements"]]
    assert any("password=***" in s for s in statements), statements
    # The saved plan cannot set the password it does not hold: refused, from the declarations instead.
    code, output = _invoke("apply", str(saved), "-d", db_url)
    assert code != Exit.OK and "connection string with a password" in output, output
    assert SECRET not in output
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    assert SECRET not in output
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output
    rows = {row[0]: row for row in _snapshot(db_url)}
    assert rows["every_option"][1:8] == (
        f"host=publisher.invalid dbname=app user=replicator password={SECRET}", "{app_pub,audit_pub}", False,
        "every_slot", "remote_apply", True, "true" if _major(db_url) < 16 else "t")
    assert rows["no_slot"][3:5] == (False, None)
    # inspect never writes it either, in any format; what it writes keeps the live password.
    for fmt, ext in (("yaml", "yaml"), ("python", "py"), ("sql", "sql")):
        out = tmp_path / f"inspected-{fmt}"
        out.mkdir()
        code, output = _invoke("inspect", "-d", db_url, "--format", fmt, "--output", str(out / f"app.{ext}"))
        assert code == Exit.OK, output
        written = (out / f"app.{ext}").read_text()
        assert SECRET not in written and "password=***" in written, written
        code, output = _invoke("plan", "-s", str(out), "-d", db_url, "--detailed-exitcode", "--scratch", "local")
        assert code == Exit.OK, output


def test_a_masked_password_is_never_sent(tmp_path: Path, db_url: str) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "subs.yaml").write_text("""version: 1
subscriptions:
  masked:
    connection: host=publisher.invalid dbname=app password=***
    publications: app_pub
    slot_name: NONE
""", encoding="utf-8")
    code, output = _invoke("plan", "-s", str(schema), "-d", db_url)
    assert code == Exit.ERROR, output
    assert "masked password" in output and "subs.yaml:3" in output, output


@pytest.mark.parametrize(("option", "major"), [
    ("two_phase: true", 15), ("disable_on_error: true", 15), ("origin: none", 16), ("password_required: false", 16),
    ("run_as_owner: true", 16), ("streaming: parallel", 16), ("failover: true", 17),
])
def test_an_option_the_major_lacks_is_refused_else_applied(
    option: str, major: int, tmp_path: Path, db_url: str
) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "subs.yaml").write_text(f"""version: 1
subscriptions:
  optioned:
    connection: host=publisher.invalid dbname=app
    publications: app_pub
    slot_name: NONE
    {option}
""", encoding="utf-8")
    common = ("-s", str(schema), "-d", db_url)
    if _major(db_url) < major:
        code, output = _invoke("plan", *common)
        assert code == Exit.ERROR, output
        assert f"needs PostgreSQL {major} or later" in output and f"remove `{option}`" in output, output
        return
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


@pytest.fixture
def reader_url(db_url: str) -> Iterator[str]:
    role = f"pgr_sub_reader_{uuid.uuid4().hex[:6]}"
    run_sql(db_url, f'CREATE ROLE "{role}" LOGIN')
    try:
        yield psycopg.conninfo.make_conninfo(db_url, user=role)
    finally:
        run_sql(db_url, f'DROP ROLE "{role}"')


def test_a_role_that_cannot_read_connection_strings_changes_none(tmp_path: Path, db_url: str, reader_url: str) -> None:
    run_sql(db_url, f"CREATE SUBSCRIPTION hidden CONNECTION 'host=publisher.invalid dbname=app password={SECRET}' "
                    f"PUBLICATION app_pub {OFFLINE};")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "subs.yaml").write_text("""version: 1
subscriptions:
  hidden: {connection: host=elsewhere.invalid dbname=app, publications: app_pub, slot_name: NONE,
           comment: seen}
""", encoding="utf-8")
    code, output = _invoke("plan", "-s", str(schema), "-d", reader_url)
    assert code == Exit.OK, output
    assert "readable by superusers only" in output, output
    assert "subscription hidden: comment none → 'seen'" in output and "connection" not in output.split("seen")[0].split(
        "subscription hidden:")[-1], output
    assert SECRET not in output


def test_a_saved_plan_is_refused_when_a_subscription_changed_since(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, f"CREATE SUBSCRIPTION moving CONNECTION 'host=publisher.invalid dbname=app' PUBLICATION app_pub "
                    f"{OFFLINE};")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "subs.yaml").write_text("""version: 1
subscriptions:
  moving: {connection: host=publisher.invalid dbname=app, publications: app_pub, slot_name: NONE, comment: planned}
""", encoding="utf-8")
    saved = str(tmp_path / "saved.plan.json")
    code, output = _invoke("plan", "-s", str(schema), "-d", db_url, "-out", saved)
    assert code == Exit.OK, output
    assert '"subscription:moving": "sha256:' in Path(saved).read_text()
    run_sql(db_url, "ALTER SUBSCRIPTION moving SET (binary = true);")
    code, output = _invoke("apply", saved, "-d", db_url)
    assert code != Exit.OK and "subscription moving changed" in output, output


def test_conninfo_masking() -> None:
    assert masked_conninfo(f"host=a password={SECRET} port=1") == "host=a password=*** port=1"
    assert masked_conninfo(f"host=a password='{SECRET} x' port=1") == "host=a password=*** port=1"
    assert masked_conninfo(f"postgresql://u:{SECRET}@h/db?sslmode=require") == "postgresql://u:***@h/db?sslmode=require"
    assert masked_conninfo(f"postgresql://u@h/db?password={SECRET}&sslmode=require") == (
        "postgresql://u@h/db?password=***&sslmode=require")
    assert masked_conninfo(f"postgresql://u:{SECRET}@x@h/db") == "postgresql://u:***@h/db"  # an unencoded @
    assert holds_mask("host=a password=*** port=1") and not holds_mask(f"host=a password={SECRET}")
    assert not holds_mask("host=a port=1")


def test_statements_cut_from_the_files_and_errors_at_their_line() -> None:
    text = ("CREATE TABLE t (id int);\n"
            "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p WITH (connect = false, slot_name = NONE);\n"
            "ALTER SUBSCRIPTION nope ENABLE;\n"
            "ALTER SUBSCRIPTION s SET (binray = true);\n")
    script, taken = take_subscriptions(parse_script(text, "app.sql"))
    assert [s.words(2) for s in script.statements] == [("create", "table")]
    assert script.text.count("\n") == text.count("\n")  # lines stay where they were
    problems = Problems()
    subs = declared_subscriptions(taken, None, problems)
    assert set(subs) == {"s"} and subs["s"].slot_name is None and not subs["s"].enabled
    assert [(e.where, "nope" in e.message or "'binray'" in e.message) for e in problems.errors] == [
        ("app.sql:3", True), ("app.sql:4", True)]


def test_a_server_error_quoting_the_password_is_scrubbed() -> None:
    from pgreconcile.apply.runner import _scrubbed
    from pgreconcile.diff.actions import Action
    from pgreconcile.plan.model import Step

    real = f"CREATE SUBSCRIPTION s CONNECTION 'host=h password={SECRET}' PUBLICATION p"
    step = Step(1, Action.CREATE, "subscription", "subscription:s", "subscription s",
                (real.replace(SECRET, "***"),), secret_statements=(real,))
    assert _scrubbed(f'bad value "{SECRET}" in connection info', step) == 'bad value "***" in connection info'


TWO_PHASE_LIVE = (
    "CREATE SUBSCRIPTION phased CONNECTION 'host=publisher.invalid dbname=app' PUBLICATION app_pub "
    "WITH (connect = false, slot_name = 'phased_slot');\n"
    "CREATE SUBSCRIPTION settled CONNECTION 'host=publisher.invalid dbname=app' PUBLICATION app_pub "
    "WITH (connect = false, slot_name = 'settled_slot', two_phase = true);\n"
)


def _two_phase_yaml(phased: bool, settled: bool) -> str:
    return f"""version: 1
subscriptions:
  phased: {{connection: host=publisher.invalid dbname=app, publications: app_pub, slot_name: phased_slot,
           enabled: false, two_phase: {str(phased).lower()}}}
  settled: {{connection: host=publisher.invalid dbname=app, publications: app_pub, slot_name: settled_slot,
            enabled: false, two_phase: {str(settled).lower()}}}
"""


def test_two_phase_turned_on_in_place_on_18_and_refused_at_plan_time_before(tmp_path: Path, db_url: str) -> None:
    major = _major(db_url)
    if major < 15:
        pytest.skip("two_phase is PostgreSQL 15+")
    run_sql(db_url, TWO_PHASE_LIVE)
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "subs.yaml").write_text(_two_phase_yaml(phased=True, settled=True), encoding="utf-8")
    common = ("-s", str(schema), "-d", db_url)
    if major < 18:
        # 15-17 have no ALTER for it: refused while planning, never a failing apply.
        code, output = _invoke("plan", *common)
        assert code == Exit.ERROR, output
        assert "subscription phased: two_phase false → true" in output, output
        assert "PostgreSQL before 18 cannot change two_phase of an existing subscription" in output, output
        code, output = _invoke("apply", *common, "--auto-approve")
        assert code == Exit.ERROR and "two_phase" in output, output
        assert _phases(db_url) == [("phased", "d"), ("settled", "p")]
        return
    code, output = _invoke("plan", *common, "--sql")
    assert code == Exit.OK, output
    assert "ALTER SUBSCRIPTION phased SET (two_phase = true)" in output, output
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    assert _phases(db_url) == [("phased", "p"), ("settled", "p")]
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_two_phase_turned_off_is_refused_at_plan_time(tmp_path: Path, db_url: str) -> None:
    major = _major(db_url)
    if major < 15:
        pytest.skip("two_phase is PostgreSQL 15+")
    run_sql(db_url, TWO_PHASE_LIVE)
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "subs.yaml").write_text(_two_phase_yaml(phased=False, settled=False), encoding="utf-8")
    code, output = _invoke("plan", "-s", str(schema), "-d", db_url)
    assert code == Exit.ERROR, output
    assert "subscription settled: two_phase true → false" in output, output
    if major >= 18:
        # the slot on the publisher changes with it: apply contacts no publisher, so the user runs it
        assert "alters the replication slot on the publisher" in output, output
        assert "ALTER SUBSCRIPTION settled SET (two_phase = false)" in output, output
    else:
        assert "PostgreSQL before 18 cannot change two_phase" in output, output
    assert _phases(db_url) == [("phased", "d"), ("settled", "p")]


def _phases(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        return [tuple(r) for r in conn.execute(  # type: ignore[misc]
            "SELECT subname::text, subtwophasestate::text FROM pg_subscription "
            "WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 1").fetchall()]


def test_an_enabled_subscription_is_disabled_around_its_two_phase_change() -> None:
    from pgreconcile.ddl import statements
    from pgreconcile.diff.subscriptions import AlterSubscription
    from pgreconcile.model.subscriptions import Subscription

    old = Subscription("s", "dbname=x", ("p",), enabled=True, slot_name="s", two_phase_alterable=True)
    new = Subscription("s", "dbname=x", ("p",), enabled=True, slot_name="s", two_phase=True)
    assert statements(AlterSubscription(old, new)) == [
        "ALTER SUBSCRIPTION s DISABLE", "ALTER SUBSCRIPTION s SET (two_phase = true)", "ALTER SUBSCRIPTION s ENABLE"]


def test_failover_changed_is_refused_at_plan_time(tmp_path: Path, db_url: str) -> None:
    if _major(db_url) < 17:
        pytest.skip("failover is PostgreSQL 17+")
    run_sql(db_url, "CREATE SUBSCRIPTION failing CONNECTION 'host=publisher.invalid dbname=app' PUBLICATION app_pub "
                    "WITH (connect = false, slot_name = 'failing_slot');")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "subs.yaml").write_text("""version: 1
subscriptions:
  failing: {connection: host=publisher.invalid dbname=app, publications: app_pub, slot_name: failing_slot,
            enabled: false, failover: true}
""", encoding="utf-8")
    code, output = _invoke("plan", "-s", str(schema), "-d", db_url)
    assert code == Exit.ERROR, output
    assert "subscription failing: failover false → true" in output, output
    assert "ALTER SUBSCRIPTION failing SET (failover = true)" in output, output


@pytest.fixture
def silent_publisher() -> Iterator[int]:
    """A port that accepts connections and never answers: a publisher that hangs."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()
        for conn in held:
            conn.close()


def test_a_subscription_that_connects_is_created_after_the_transaction_within_the_timeout(
    tmp_path: Path, db_url: str, silent_publisher: int
) -> None:
    import time

    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "subs.yaml").write_text(f"""version: 1
subscriptions:
  connecting: {{connection: host=127.0.0.1 port={silent_publisher} dbname=app connect_timeout=600,
               publications: app_pub}}
""", encoding="utf-8")
    common = ("-s", str(schema), "-d", db_url)
    code, output = _invoke("plan", *common)
    assert code == Exit.OK, output
    assert "apply connects to the publisher to create the replication slot connecting" in output, output
    assert "Step 1 runs after the transaction commits (a CREATE SUBSCRIPTION that connects" in output, output
    # It used to run inside the transaction, where PostgreSQL refuses it (SQLSTATE 25001). After
    # the commit, a publisher that does not answer holds apply for the statement timeout, no longer.
    started = time.monotonic()
    code, output = _invoke("apply", *common, "--auto-approve", "--statement-timeout", "2s")
    assert time.monotonic() - started < 60
    assert code == Exit.ERROR, output
    assert "statement timeout" in output and "25001" not in output, output
    assert "The transaction was committed; this step runs after it and did not complete" in output, output
    assert _snapshot(db_url) == []


def test_changed_publications_are_set_without_refresh_and_the_plan_says_how_to_refresh(
    tmp_path: Path, db_url: str
) -> None:
    run_sql(db_url, f"CREATE SUBSCRIPTION moved CONNECTION 'host=publisher.invalid dbname=app' "
                    f"PUBLICATION app_pub, old_pub {OFFLINE};")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "subs.yaml").write_text("""version: 1
subscriptions:
  moved: {connection: host=publisher.invalid dbname=app, publications: [app_pub, new_pub], slot_name: NONE}
""", encoding="utf-8")
    common = ("-s", str(schema), "-d", db_url)
    code, output = _invoke("plan", *common, "--sql")
    assert code == Exit.OK, output
    assert "ALTER SUBSCRIPTION moved SET PUBLICATION app_pub, new_pub WITH (refresh = false)" in output, output
    assert ("tables not refreshed: the new publications' tables are not subscribed and the dropped ones' stay "
            "listed until you run ALTER SUBSCRIPTION moved REFRESH PUBLICATION, once it is enabled") in output, output
    # no publisher is contacted (publisher.invalid does not resolve): applied, and nothing left to do
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    assert _snapshot(db_url)[0][2] == "{app_pub,new_pub}"
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_a_subscription_to_an_existing_slot_is_created_in_the_transaction(
    tmp_path: Path, db_url: str, silent_publisher: int
) -> None:
    """create_slot: false (YAML; and SQL files' WITH (create_slot = false), read from the files):
    CREATE SUBSCRIPTION then uses the publisher's slot, which PostgreSQL allows in a transaction,
    so the step stays in it and a publisher that does not answer undoes the whole apply."""
    problems = Problems()
    script = parse_script("CREATE SUBSCRIPTION kept CONNECTION 'host=publisher.invalid dbname=app' "
                          "PUBLICATION app_pub WITH (create_slot = false, copy_data = false);", "subs.sql")
    sql_declared = declared_subscriptions(take_subscriptions(script)[1], None, problems)
    assert not problems
    assert sql_declared["kept"].create_slot is False
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "subs.yaml").write_text(f"""version: 1
subscriptions:
  existing: {{connection: host=127.0.0.1 port={silent_publisher} dbname=app connect_timeout=600,
             publications: app_pub, create_slot: false}}
""", encoding="utf-8")
    common = ("-s", str(schema), "-d", db_url)
    code, output = _invoke("plan", *common)
    assert code == Exit.OK, output
    assert "apply connects to the publisher to use its existing replication slot existing" in output, output
    assert "after the transaction commits" not in output, output
    code, output = _invoke("plan", *common, "--sql")
    assert "WITH (create_slot = false)" in output, output
    code, output = _invoke("apply", *common, "--auto-approve", "--statement-timeout", "2s")
    assert code == Exit.ERROR, output
    assert "statement timeout" in output and "was committed" not in output, output
    assert _snapshot(db_url) == []
