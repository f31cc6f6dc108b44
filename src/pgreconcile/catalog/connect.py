"""Opening database connections, and keeping passwords out of every message about them.

A connection target reaches pgreconcile as a ``postgresql://`` URL or a libpq ``key=value``
string, and both may carry a password. Anything shown to a user (errors, plan headers, logs)
names the target through :func:`redact`, and libpq's own error text is scrubbed too, because
libpq quotes fragments of a malformed conninfo back verbatim.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import psycopg

from pgreconcile.errors import ConnectionFailed

MASK = "***"

# scheme://  (postgresql://, postgres://, and driver-suffixed forms such as postgresql+psycopg://)
_URI_SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.\-]*://")

# password=... in a URI query string: the value runs to the next "&name=" (the next real
# parameter) or the end — generously, since an unencoded password may hold "&", "#" or "?".
_QUERY_PASSWORD = re.compile(r"(?i)([?&]password=)(.*?)(?=&[A-Za-z_][A-Za-z0-9_]*=|$)")

# password=... in key=value conninfo: a single-quoted value (with backslash escapes) or a bare word.
_KV_PASSWORD = re.compile(r"(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)")

# Any URI with user:password@ embedded in free text (for scrubbing messages).
_URI_IN_TEXT = re.compile(r"(?i)\b(postgres(?:ql)?(?:\+\w+)?://[^\s:/@]*:)[^\s@]*@")


def _userinfo_bounds(url: str) -> tuple[int, int] | None:
    """Start and end offsets of the password inside a URI's ``user:password@``, or None.

    Deliberately generous: libpq itself ends the user info at the first ``@`` or ``/``, but a
    password pasted without percent-encoding may contain either, and redacting too much is
    harmless while redacting too little leaks the secret. So the user info ends at the last
    ``@`` before the query string (or, when that finds none, the last ``@`` at all).
    """
    scheme = _URI_SCHEME.match(url)
    if scheme is None:
        return None
    start = scheme.end()
    query = url.find("?", start)
    end_search = query if query >= 0 else len(url)
    at = url.rfind("@", start, end_search)
    if at < 0:
        at = url.rfind("@", start)
    if at < 0:
        return None
    colon = url.find(":", start, at)
    if colon < 0:
        return None
    return colon + 1, at


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***``, for showing to people.

    Handles ``postgresql://user:secret@host/db`` (percent-encoded or not),
    ``?password=secret`` query parameters and ``password=secret`` / ``password='s e'`` in
    libpq key=value strings. Everything else is kept, so the reader can still tell which
    server and database are meant.
    """
    bounds = _userinfo_bounds(url)
    if bounds is not None:
        url = url[: bounds[0]] + MASK + url[bounds[1] :]
        return _QUERY_PASSWORD.sub(lambda m: m.group(1) + MASK, url)
    if _URI_SCHEME.match(url):
        return _QUERY_PASSWORD.sub(lambda m: m.group(1) + MASK, url)
    return _KV_PASSWORD.sub(lambda m: m.group(1) + MASK, url)


def _secrets_in(url: str) -> list[str]:
    """Every spelling of the password(s) in ``url`` that could be echoed back in an error."""
    found: list[str] = []
    bounds = _userinfo_bounds(url)
    if bounds is not None:
        found.append(url[bounds[0] : bounds[1]])
    found.extend(m.group(2) for m in _QUERY_PASSWORD.finditer(url))
    if bounds is None and not _URI_SCHEME.match(url):
        for m in _KV_PASSWORD.finditer(url):
            raw = m.group(2)
            found.append(raw)
            if raw.startswith("'"):
                found.append(raw.strip("'").replace("\\'", "'").replace("\\\\", "\\"))
    spellings = set()
    for secret in found:
        spellings.add(secret)
        spellings.add(unquote(secret))
    # Longest first, so that a secret containing another is masked whole.
    return sorted((s for s in spellings if s), key=len, reverse=True)


# Where libpq's URI parser may cut a password that was not percent-encoded: it ends the user
# info at the first "/" or "@", the host at ":" and the query at "?", "&", "=" or "#", and then
# quotes the piece it choked on ('invalid percent-encoded token: "Qw%Kp9LongSecretTail@db/tour"').
_CUTS = re.compile(r"[/@:?&=#\s]+")
# A piece this short says little about the password, and masking it would garble the message.
_SHORTEST_PIECE = 3
# A double-quoted fragment of a libpq message: libpq quotes the part of the conninfo it rejects.
_QUOTED = re.compile(r'"([^"]*)"')


def _pieces(secrets: list[str]) -> list[str]:
    """Every piece of the passwords that libpq could quote on its own, longest first."""
    found = {piece for secret in secrets for piece in _CUTS.split(secret) if len(piece) >= _SHORTEST_PIECE}
    return sorted(found, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """``text`` (typically a libpq error) with the passwords of ``url`` and any embedded
    connection URI passwords masked — also the pieces of a password that was not
    percent-encoded, which libpq cuts at ``/``, ``@`` or ``:`` and quotes back, and any quoted
    fragment holding such a piece."""
    secrets = _secrets_in(url)
    for secret in secrets:
        text = text.replace(secret, MASK)
    pieces = _pieces(secrets)
    if pieces:
        text = _QUOTED.sub(
            lambda m: f'"{MASK}"' if any(piece in m.group(1) for piece in pieces) else m.group(0), text
        )
        for piece in pieces:
            text = text.replace(piece, MASK)
    text = _URI_IN_TEXT.sub(lambda m: m.group(1) + MASK + "@", text)
    return _KV_PASSWORD.sub(lambda m: m.group(1) + MASK, text)


def describe_target(url: str) -> str:
    """How a connection target is named in messages: the redacted URL, or a note that libpq's
    defaults (PGHOST, PGDATABASE, ...) apply when the URL is empty."""
    return redact(url) if url.strip() else "the default server (libpq PG* environment variables)"


def connect(
    url: str,
    *,
    application_name: str = "pgreconcile",
    connect_timeout: int = 10,
    autocommit: bool = False,
) -> psycopg.Connection[Any]:
    """Open a psycopg connection to ``url``, or raise :class:`ConnectionFailed`.

    The error is one line naming the redacted target and libpq's reason (scrubbed of the
    password), with a hint; the original psycopg exception is not chained, so no traceback or
    unredacted conninfo can reach the user through it.
    """
    try:
        return psycopg.connect(
            url,
            application_name=application_name,
            connect_timeout=connect_timeout,
            autocommit=autocommit,
        )
    except psycopg.Error as err:
        reason = " ".join(scrub(str(err), url).split()) or type(err).__name__
        message = f"cannot connect to {describe_target(url)}: {reason}"
    # Raised outside the except block so the psycopg error is not attached as __context__.
    raise ConnectionFailed(
        message,
        hint="check DATABASE_URL / --database-url, and that the server is running and reachable",
    )
