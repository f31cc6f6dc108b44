"""The throwaway PostgreSQL: it starts, answers, and leaves nothing behind when stopped."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from pgreconcile.localpg import (
    LocalServer,
    ServerKind,
    create_database,
    database_url,
    drop_database,
    start_server,
)


def test_a_started_server_answers_and_stop_removes_its_directory() -> None:
    try:
        server = start_server()
    except RuntimeError as why:
        pytest.skip(f"no local PostgreSQL can be started here: {why}")
    with server:
        assert server.kind in {ServerKind.LOCAL_BINARIES, ServerKind.EMBEDDED, ServerKind.TESTCONTAINERS}
        assert server.description.startswith("PostgreSQL ")
        with psycopg.connect(server.url, connect_timeout=5) as conn:
            assert conn.execute("SELECT 1 + 1").fetchone() == (2,)
            if server.kind == ServerKind.LOCAL_BINARIES:
                # Durability is switched off on purpose: the data is thrown away anyway.
                assert conn.execute("SHOW fsync").fetchone() == ("off",)
        directory = server.directory
        if server.kind != ServerKind.TESTCONTAINERS:
            assert directory is not None and directory.is_dir()
    if directory is not None:
        assert not directory.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(server.url, connect_timeout=3).close()
    server.stop()  # a second stop is harmless


def test_a_given_url_is_used_as_is_and_never_stopped(pg_server: LocalServer) -> None:
    given = start_server(pg_server.url)
    assert given.kind == ServerKind.ENV
    assert given.url == pg_server.url
    assert given.directory is None
    given.stop()
    with psycopg.connect(pg_server.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_a_given_url_that_does_not_answer_is_an_error_without_its_password() -> None:
    with pytest.raises(RuntimeError) as caught:
        start_server("postgresql://bob:hunter2@127.0.0.1:1/app?connect_timeout=3")
    assert "hunter2" not in str(caught.value)
    assert "bob:***@127.0.0.1:1" in str(caught.value)


def test_create_and_drop_a_database_whose_name_needs_quoting(pg_server: LocalServer) -> None:
    name = 'pgr Weird "Name" db'
    url = create_database(pg_server.url, name)
    try:
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (name,)
        # A session still connected does not stop the drop (WITH (FORCE) on PostgreSQL 13+).
        lingering = psycopg.connect(url)
        drop_database(pg_server.url, name)
        lingering.close()
    finally:
        drop_database(pg_server.url, name)
    with psycopg.connect(pg_server.url) as conn:
        assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h:5/postgres", "postgresql://u@h:5/new%20db"),
        ("postgresql://u:p@h/postgres?sslmode=disable", "postgresql://u:p@h/new%20db?sslmode=disable"),
        ("postgresql://u@h/?dbname=postgres&sslmode=disable",
         "postgresql://u@h/new%20db?dbname=new%20db&sslmode=disable"),
    ],
    ids=["uri", "uri-with-query", "uri-dbname-param"],
)
def test_database_url_points_at_the_new_database(url: str, expected: str) -> None:
    assert database_url(url, "new db") == expected


def test_database_url_of_a_conninfo_string() -> None:
    changed = database_url("host=h port=5 dbname=postgres", "new db")
    assert conninfo_to_dict(changed) == {"host": "h", "port": "5", "dbname": "new db"}
