"""connect() and redact(): reaching the server, and never showing a password on the way."""

from __future__ import annotations

import re
import socket

import pytest

from pgreconcile.catalog import connect, redact
from pgreconcile.errors import ConnectionFailed
from pgreconcile.localpg import LocalServer


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://bob:hunter2@db.example.com:5432/app",
         "postgresql://bob:***@db.example.com:5432/app"),
        ("postgres://bob:hunter2@db/app?sslmode=require", "postgres://bob:***@db/app?sslmode=require"),
        ("postgresql://bob:p%40ss%2Fw0rd@db/app", "postgresql://bob:***@db/app"),
        # Not percent-encoded: '@' and '/' inside the password still must not leak.
        ("postgresql://bob:p@ss/w0rd@db/app", "postgresql://bob:***@db/app"),
        ("postgresql+psycopg://bob:hunter2@db/app", "postgresql+psycopg://bob:***@db/app"),
        ("postgresql://bob@db/app?password=hunter2&sslmode=require",
         "postgresql://bob@db/app?password=***&sslmode=require"),
        ("postgresql://db/app?sslmode=require&password=hunter2", "postgresql://db/app?sslmode=require&password=***"),
        ("host=db user=bob password=hunter2 dbname=app", "host=db user=bob password=*** dbname=app"),
        ("host=db password = 'hunter 2' dbname=app", "host=db password = *** dbname=app"),
        ("host=db password='it\\'s secret' dbname=app", "host=db password=*** dbname=app"),
        ("host=db PASSWORD=hunter2", "host=db PASSWORD=***"),
        # Nothing secret: unchanged.
        ("postgresql://bob@db:5432/app", "postgresql://bob@db:5432/app"),
        ("postgresql://db/app", "postgresql://db/app"),
        ("host=db user=bob dbname=app", "host=db user=bob dbname=app"),
        ("", ""),
    ],
    ids=[
        "uri", "postgres-scheme-with-query", "percent-encoded", "raw-at-and-slash", "driver-scheme",
        "query-param", "query-param-last", "conninfo", "conninfo-quoted", "conninfo-escaped-quote",
        "conninfo-upper-key", "uri-no-password", "uri-no-user", "conninfo-no-password", "empty",
    ],
)
def test_redact(url: str, expected: str) -> None:
    assert redact(url) == expected


def _closed_port() -> int:
    """A local port with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connect_to_a_closed_port_fails_with_one_redacted_line() -> None:
    url = f"postgresql://bob:hunter2@127.0.0.1:{_closed_port()}/app"
    with pytest.raises(ConnectionFailed) as caught:
        connect(url, connect_timeout=3)
    err = caught.value
    assert "hunter2" not in err.render()
    assert "\n" not in err.message
    assert err.message.startswith(f"cannot connect to {redact(url)}: ")
    assert "refused" in err.message.lower()
    assert err.hint is not None and "--database-url" in err.hint
    # Not chained: a traceback of the psycopg error (which holds the conninfo) cannot surface.
    assert err.__cause__ is None and err.__context__ is None


def test_libpq_echo_of_a_malformed_password_is_scrubbed() -> None:
    # libpq quotes the offending text back: 'unexpected spaces found in "sec ret"'.
    url = "postgresql://bob:sec ret@127.0.0.1:1/app"
    with pytest.raises(ConnectionFailed) as caught:
        connect(url)
    assert "sec ret" not in caught.value.render()
    assert "unexpected spaces" in caught.value.message


def test_conninfo_password_is_scrubbed_from_the_error() -> None:
    url = f"host=127.0.0.1 port={_closed_port()} user=bob password=hunter2 connect_timeout=3"
    with pytest.raises(ConnectionFailed) as caught:
        connect(url)
    assert "hunter2" not in caught.value.render()
    assert "password=***" in caught.value.message


def test_connect_sets_application_name_and_autocommit(pg_server: LocalServer) -> None:
    with connect(pg_server.url, application_name="pgreconcile-test", autocommit=True) as conn:
        assert conn.autocommit is True
        row = conn.execute("SHOW application_name").fetchone()
        assert row == ("pgreconcile-test",)
    with connect(pg_server.url) as conn:
        assert conn.autocommit is False
        assert conn.execute("SHOW application_name").fetchone() == ("pgreconcile",)


# Issue 18: a password with an unencoded "/" leaked its tail through libpq's quoted fragment
# (`invalid percent-encoded token: "Qw%Kp9LongSecretTail@db…"`). A corpus of malformed URLs, each
# password holding the characters libpq cuts at; no piece of it may reach any message.
_MALFORMED_PASSWORDS = [
    "ab/Qw%Kp9LongSecretTail",
    "Qw%Kp9/Long/Secret",
    "pa:ss/wordTail",
    "sec@ret/Passphrase",
    "Tail?with=query&Secret",
    "hash#Fragment/Secret",
    "%zzBadEscape/Secret",
    "spaces in/Secret phrase",
    "quote\"in/Secret",
    "100%/Secret%",
]
_MALFORMED_URLS = [
    template.format(password)
    for password in _MALFORMED_PASSWORDS
    for template in (
        "postgresql://app:{}@127.0.0.1:1/tour",
        "postgres://app:{}@127.0.0.1:1/tour?sslmode=disable",
        "postgresql://app@127.0.0.1:1/tour?password={}",
        "postgresql+psycopg://app:{}@127.0.0.1:1",
    )
]


def _leaks(text: str, password: str) -> list[str]:
    pieces = [p for p in re.split(r"[/@:?&=#\s]+", password) if len(p) >= 3]
    return [p for p in [password, *pieces] if p in text]


@pytest.mark.parametrize("url", _MALFORMED_URLS)
def test_no_piece_of_a_malformed_password_reaches_a_message(url: str) -> None:
    password = next(p for p in _MALFORMED_PASSWORDS if p in url)
    assert not _leaks(redact(url), password), redact(url)
    with pytest.raises(ConnectionFailed) as failure:
        connect(url, connect_timeout=2)
    message = f"{failure.value.message} {failure.value.hint or ''}"
    assert not _leaks(message, password), message
