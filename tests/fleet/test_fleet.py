"""Fleet: one declared schema applied to many databases, and to many schemas of one database.

Real servers only: 200 databases on the suite's server (copies of one template, 10 of them
drifted), and 500 tenant schemas in one database. Plans are grouped, applied with
``--parallel 8``, and planned again; three targets made to fail mid-apply (a lock held past the
lock timeout, a bad row, a backend killed) are rolled back and reported while the others
converge, and ``--resume`` finishes the job.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner, Result

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.fleet.targets import Target, shard
from pgreconcile.localpg import LocalServer, ServerKind
from pgreconcile.quoting import ident

BASE = """
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), amount numeric(10,2) NOT NULL);
INSERT INTO billing.invoices (amount) VALUES (10), (20);
"""

DESIRED = """
version: 1
schemas:
  billing:
    tables:
      invoices:
        columns:
          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}
          amount: {type: "numeric(10,2)", nullable: false}
          note: text
        indexes:
          invoices_amount_idx: {columns: [amount]}
"""

# Applied to the template so that most targets already match DESIRED.
CONVERGED = """
ALTER TABLE billing.invoices ADD COLUMN note text;
CREATE INDEX invoices_amount_idx ON billing.invoices (amount);
"""

PORT_ENV = "PGR_FLEET_TEST_PORT"


def invoke(*args: str, cwd: Path) -> Result:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False, env={"NO_COLOR": "1"})
    finally:
        os.chdir(old)


def _admin(server: LocalServer) -> psycopg.Connection[Any]:
    return psycopg.connect(server.url, autocommit=True)


def _url(server: LocalServer, name: str) -> str:
    return server.url.rsplit("/", 1)[0] + "/" + name


def _port(server: LocalServer) -> str:
    return server.url.rsplit(":", 1)[1].split("/", 1)[0]


@pytest.fixture(scope="module")
def many(pg_server: LocalServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """200 databases (10 drifted: they lack the column and the index) and a fleet file naming
    them with a ${PORT} reference, plus a schema directory."""
    work = tmp_path_factory.mktemp("fleet")
    stem = f"pgr_fleet_{uuid.uuid4().hex[:6]}"
    template, drifted_template = f"{stem}_t", f"{stem}_d"
    with _admin(pg_server) as admin:
        for name in (template, drifted_template):
            admin.execute(f"CREATE DATABASE {ident(name)} TEMPLATE template0")
    run_sql(_url(pg_server, template), BASE + CONVERGED)
    run_sql(_url(pg_server, drifted_template), BASE)
    names = [f"{stem}_{i:03d}" for i in range(200)]
    with _admin(pg_server) as admin:
        for i, name in enumerate(names):
            source = drifted_template if i % 20 == 7 else template
            admin.execute(f"CREATE DATABASE {ident(name)} TEMPLATE {ident(source)}")
    lines = []
    for name in names:
        url = f"postgresql://postgres@127.0.0.1:${{{PORT_ENV}}}/{name}"
        lines += ["[[database]]", f'name = "{name}"', f'url = "{url}"', ""]
    (work / "reconcile.fleet.toml").write_text("\n".join(lines))
    (work / "schema").mkdir()
    (work / "schema" / "billing.yaml").write_text(DESIRED)
    os.environ[PORT_ENV] = _port(pg_server)
    try:
        yield work, names
    finally:
        # A throwaway server is deleted whole at the end of the session; dropping 200 databases
        # one by one would only cost minutes. A server of the user's own is cleaned up.
        if pg_server.kind is ServerKind.ENV:
            with _admin(pg_server) as admin:
                for name in [*names, template, drifted_template]:
                    admin.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")


def test_plan_groups_200_databases_by_identical_plan(many: tuple[Path, list[str]]) -> None:
    work, names = many
    result = invoke("plan", "--fleet", "--parallel", "8", "--detailed-exitcode", cwd=work)
    assert result.exit_code == Exit.CHANGES, result.output
    assert "Fleet: 200 targets from reconcile.fleet.toml" in result.output
    assert "190 targets: no changes" in result.output
    assert "10 targets: plan A (2 to add, 0 to change, 0 to destroy) — changes billing.invoices" in result.output
    assert result.output.count("── plan A: 10 targets") == 1  # each distinct plan printed once
    assert "+ column note text" in result.output
    as_json = invoke("plan", "--fleet", "--json", cwd=work)
    document = json.loads(as_json.output)
    statuses = {t["name"]: t["status"] for t in document["targets"]}
    drifted = {names[i] for i in range(200) if i % 20 == 7}
    assert {n for n, s in statuses.items() if s == "changes"} == drifted
    assert set(document["plans"]) == {"A"}
    assert "127.0.0.1" not in as_json.output  # targets are named, URLs never printed


def test_apply_with_parallel_8_converges_every_target(many: tuple[Path, list[str]]) -> None:
    work, _ = many
    results = work / "results.jsonl"
    applied = invoke("apply", "--fleet", "--parallel", "8", "--auto-approve", "--max-failures", "0",
                     "--results", str(results), cwd=work)
    assert applied.exit_code == Exit.OK, applied.output
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert len(lines) == 200
    assert sum(1 for line in lines if line["status"] == "applied") == 10
    assert sum(1 for line in lines if line["status"] == "no changes") == 190
    assert "127.0.0.1" not in results.read_text()
    again = invoke("plan", "--fleet", "--parallel", "8", "--detailed-exitcode", cwd=work)
    assert again.exit_code == Exit.OK, again.output
    assert "200 targets: no changes" in again.output


def test_schema_per_tenant_500_schemas(pg_server: LocalServer, tmp_path: Path) -> None:
    name = f"pgr_tenants_{uuid.uuid4().hex[:8]}"
    with _admin(pg_server) as admin:
        admin.execute(f"CREATE DATABASE {ident(name)} TEMPLATE template0")
    url = _url(pg_server, name)
    try:
        script = []
        for i in range(500):
            schema = f"tenant_{i:03d}"
            script.append(BASE.replace("billing", schema))
            if i % 50 != 3:  # 10 tenants drift
                script.append(CONVERGED.replace("billing", schema))
        run_sql(url, "\n".join(script))
        (tmp_path / "schema").mkdir()
        (tmp_path / "schema" / "tenant.yaml").write_text(DESIRED.replace("billing", "tenant"))
        (tmp_path / "reconcile.fleet.toml").write_text(
            f'[schemas]\nurl = "postgresql://postgres@127.0.0.1:${{{PORT_ENV}}}/{name}"\n'
            'template = "tenant"\npattern = "tenant\\\\_%"\n'
        )
        os.environ[PORT_ENV] = _port(pg_server)
        planned = invoke("plan", "--fleet", "--parallel", "8", "--detailed-exitcode", cwd=tmp_path)
        assert planned.exit_code == Exit.CHANGES, planned.output
        assert "Fleet: 500 targets" in planned.output
        assert "490 targets: no changes" in planned.output
        assert "10 targets: plan A (2 to add, 0 to change, 0 to destroy)" in planned.output
        applied = invoke("apply", "--fleet", "--parallel", "8", "--auto-approve", "--max-failures", "0",
                         "--results", str(tmp_path / "r.jsonl"), cwd=tmp_path)
        assert applied.exit_code == Exit.OK, applied.output
        with psycopg.connect(url) as conn:
            indexes = conn.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'invoices_amount_idx' AND schemaname LIKE 'tenant%'"
            ).fetchone()
        assert indexes == (500,)
        again = invoke("plan", "--fleet", "--parallel", "8", "--detailed-exitcode", cwd=tmp_path)
        assert again.exit_code == Exit.OK, again.output
    finally:
        with _admin(pg_server) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")


def test_three_failures_mid_apply_are_rolled_back_reported_and_resumed(
    pg_server: LocalServer, tmp_path: Path
) -> None:
    stem = f"pgr_faults_{uuid.uuid4().hex[:6]}"
    names = [f"{stem}_{i}" for i in range(8)]
    locked, bad_row, killed = names[2], names[4], names[6]
    with _admin(pg_server) as admin:
        for name in names:
            admin.execute(f"CREATE DATABASE {ident(name)} TEMPLATE template0")
    try:
        for name in names:
            run_sql(_url(pg_server, name), BASE)
        # A duplicate amount: the declared UNIQUE cannot be built (probes off, so it fails mid-apply).
        run_sql(_url(pg_server, bad_row), "INSERT INTO billing.invoices (amount) VALUES (10);")
        desired = DESIRED.replace('amount: {type: "numeric(10,2)", nullable: false}',
                                  'amount: {type: "numeric(10,2)", nullable: false, unique: true}')
        (tmp_path / "schema").mkdir()
        (tmp_path / "schema" / "billing.yaml").write_text(desired)
        (tmp_path / "reconcile.fleet.toml").write_text("\n".join(
            f'[[database]]\nname = "{n}"\nurl = "{_url(pg_server, n)}"\n' for n in names
        ))
        results = tmp_path / "results.jsonl"
        holders = [psycopg.connect(_url(pg_server, n)) for n in (locked, killed)]
        for holder in holders:
            holder.execute("LOCK TABLE billing.invoices IN ACCESS SHARE MODE")

        def kill_when_waiting() -> None:
            deadline = time.monotonic() + 60
            with psycopg.connect(_url(pg_server, killed), autocommit=True) as conn:
                while time.monotonic() < deadline:
                    row = conn.execute(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgreconcile' "
                        "AND wait_event_type = 'Lock' AND datname = current_database()"
                    ).fetchone()
                    if row:
                        conn.execute("SELECT pg_terminate_backend(%s)", row)
                        return
                    time.sleep(0.05)

        killer = threading.Thread(target=kill_when_waiting)
        killer.start()
        try:
            first = invoke("apply", "--fleet", "--parallel", "4", "--auto-approve", "--canary", "0",
                           "--max-failures", "0", "--probe-timeout", "0", "--lock-timeout", "3s",
                           "--results", str(results), cwd=tmp_path)
        finally:
            killer.join(timeout=70)
            for holder in holders:
                holder.close()
        assert first.exit_code == Exit.ERROR, first.output
        outcomes = {json.loads(line)["target"]: json.loads(line) for line in results.read_text().splitlines()}
        failed = {n for n, o in outcomes.items() if o["status"] == "failed"}
        assert failed == {locked, bad_row, killed}, first.output
        assert "lock" in outcomes[locked]["error"] and "step" in outcomes[locked]["error"]
        assert "23505" in outcomes[bad_row]["error"] or "duplicate" in outcomes[bad_row]["error"]
        assert "terminating connection" in outcomes[killed]["error"]
        for name in failed:  # rolled back: nothing of the plan is there
            with psycopg.connect(_url(pg_server, name)) as conn:
                assert conn.execute("SELECT count(*) FROM pg_attribute WHERE attname = 'note' "
                                    "AND attrelid = 'billing.invoices'::regclass").fetchone() == (0,)
        assert "--resume" in first.output
        # Fix the data, then resume: only the failed targets run again.
        run_sql(_url(pg_server, bad_row), "DELETE FROM billing.invoices WHERE ctid = (SELECT max(ctid) FROM "
                                          "billing.invoices WHERE amount = 10);")
        second = invoke("apply", "--fleet", "--auto-approve", "--resume", str(results), "--results",
                        str(results), "--probe-timeout", "0", cwd=tmp_path)
        assert second.exit_code == Exit.OK, second.output
        assert "5 targets already done are skipped" in second.output
        assert second.output.count(": applied") == 3
        report = invoke("fleet", "report", str(results), cwd=tmp_path)
        assert report.exit_code == Exit.OK, report.output
        assert report.output.startswith("8 targets: 8 applied")
        again = invoke("plan", "--fleet", "--detailed-exitcode", cwd=tmp_path)
        assert again.exit_code == Exit.OK, again.output
    finally:
        with _admin(pg_server) as admin:
            for name in names:
                admin.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")


def test_max_failures_stops_starting_new_targets(pg_server: LocalServer, tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "billing.yaml").write_text(DESIRED)
    # Three unreachable targets (no such database) in front: each is a failed target, not a crash.
    (tmp_path / "reconcile.fleet.toml").write_text("\n".join(
        f'[[database]]\nname = "t{i}"\nurl = "{_url(pg_server, f"pgr_missing_{uuid.uuid4().hex[:6]}")}"\n'
        for i in range(6)
    ))
    result = invoke("apply", "--fleet", "--parallel", "1", "--canary", "0", "--max-failures", "2",
                    "--auto-approve", "--results", str(tmp_path / "r.jsonl"), cwd=tmp_path)
    assert result.exit_code == Exit.ERROR, result.output
    lines = (tmp_path / "r.jsonl").read_text().splitlines()
    assert len(lines) == 2
    assert "4 not started" in result.output
    assert "does not exist" in json.loads(lines[0])["error"]


def test_a_failing_canary_stops_the_fleet(pg_server: LocalServer, tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "billing.yaml").write_text(DESIRED)
    (tmp_path / "reconcile.fleet.toml").write_text("\n".join(
        f'[[database]]\nname = "t{i}"\nurl = "{_url(pg_server, "pgr_missing_canary")}"\n' for i in range(4)
    ))
    result = invoke("apply", "--fleet", "--canary", "1", "--max-failures", "0", "--auto-approve",
                    "--results", str(tmp_path / "r.jsonl"), cwd=tmp_path)
    assert result.exit_code == Exit.ERROR
    assert len((tmp_path / "r.jsonl").read_text().splitlines()) == 1
    assert "3 not started" in result.output


def test_shards_split_the_fleet_deterministically() -> None:
    targets = tuple(Target(f"tenant-{i}", "postgresql://x/y") for i in range(1000))
    parts = [shard(targets, i, 7) for i in range(1, 8)]
    assert sorted(t.name for part in parts for t in part) == sorted(t.name for t in targets)
    assert all(part for part in parts)
    assert set(shard(targets, 3, 7)) == set(shard(tuple(reversed(targets)), 3, 7))  # order does not matter
    # A target stays in its shard when others join the fleet.
    grown = (*targets, *(Target(f"new-{i}", "u") for i in range(50)))
    assert set(shard(targets, 5, 7)) <= set(shard(grown, 5, 7))


def test_a_missing_secret_is_named_and_nothing_runs(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "billing.yaml").write_text(DESIRED)
    (tmp_path / "reconcile.fleet.toml").write_text(
        '[[database]]\nname = "a"\nurl = "postgresql://app:${PGR_SURELY_UNSET_SECRET}@db/app"\n'
    )
    result = invoke("plan", "--fleet", cwd=tmp_path)
    assert result.exit_code == Exit.ERROR
    assert "environment variable PGR_SURELY_UNSET_SECRET is not set" in result.output
    assert "Traceback" not in result.output


def test_a_saved_plan_given_as_the_fleet_file_says_where_the_plan_goes(tmp_path: Path) -> None:
    # --fleet takes an optional value: `apply --fleet plan.json` reads the plan as the fleet file.
    (tmp_path / "fleet.plan.json").write_text('{"format": "pgreconcile-fleet-plan", "groups": []}\n')
    result = invoke("apply", "--fleet", "fleet.plan.json", cwd=tmp_path)
    assert result.exit_code == Exit.ERROR
    assert "cannot read the fleet file" in result.output
    assert "looks like a saved plan (JSON), not a fleet file (TOML)" in result.output
    assert "reconcile apply fleet.plan.json --fleet" in result.output
    assert "Traceback" not in result.output
    # A fleet file with a plain TOML mistake gets no such hint.
    (tmp_path / "broken.toml").write_text("[[database]\n")
    result = invoke("plan", "--fleet", "broken.toml", cwd=tmp_path)
    assert result.exit_code == Exit.ERROR
    assert "cannot read the fleet file" in result.output and "saved plan" not in result.output


def test_passwords_never_reach_the_results_or_the_output(pg_server: LocalServer, tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "billing.yaml").write_text(DESIRED)
    os.environ["PGR_FLEET_SECRET"] = "Sup3rSecretPw"
    host = pg_server.url.split("@", 1)[1].rsplit("/", 1)[0]
    (tmp_path / "reconcile.fleet.toml").write_text(
        f'[[database]]\nname = "a"\nurl = "postgresql://nobody:${{PGR_FLEET_SECRET}}@{host}/pgr_nope"\n'
    )
    result = invoke("apply", "--fleet", "--auto-approve", "--results", str(tmp_path / "r.jsonl"), cwd=tmp_path)
    assert result.exit_code == Exit.ERROR
    assert "Sup3rSecretPw" not in result.output
    assert "Sup3rSecretPw" not in (tmp_path / "r.jsonl").read_text()


def test_a_hand_edited_saved_fleet_plan_is_refused_for_that_target(db_url: str, tmp_path: Path) -> None:
    """Issue 18 for fleets: each target's saved plan is planned again under the lock and compared
    step by step, and records its database; an edited statement refuses that target, nothing runs."""
    run_sql(db_url, BASE)
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "billing.yaml").write_text(DESIRED)
    (tmp_path / "reconcile.fleet.toml").write_text(f'[[database]]\nname = "one"\nurl = "{db_url}"\n')
    saved = tmp_path / "fleet.plan.json"
    assert invoke("plan", "--fleet", "-out", str(saved), cwd=tmp_path).exit_code in (0, 2)
    document = json.loads(saved.read_text())
    plan = document["targets"]["one"]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert plan["database"]["name"] == db_url.rsplit("/", 1)[1]
    plan["steps"][0]["statements"].append("DROP SCHEMA billing CASCADE")
    document["targets"]["one"] = plan if isinstance(document["targets"]["one"], dict) else json.dumps(plan)
    saved.write_text(json.dumps(document))
    result = invoke("apply", str(saved), "--fleet", "--results", str(tmp_path / "r.jsonl"), cwd=tmp_path)
    assert result.exit_code == Exit.ERROR, result.output
    error = json.loads((tmp_path / "r.jsonl").read_text().splitlines()[0])["error"]
    assert "differs from what pgreconcile plans" in error
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT to_regclass('billing.invoices') IS NOT NULL").fetchone() == (True,)
        assert conn.execute(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'billing.invoices'::regclass AND attname = 'note'"
        ).fetchone() == (0,)
