"""What the statements of an SQL file say they create, read from their first few words.

This is not an SQL parser, and nothing here decides what gets created — the scratch database
does. It reads the heads of the statements that name objects (``CREATE TABLE app.users (``,
``CREATE INDEX … ON …``, ``ALTER TABLE … ADD CONSTRAINT …``) to answer three questions:

* which schemas, extensions and roles the files create themselves (so that stubs copied from
  the target never collide with them, :mod:`.stubs`);
* which statements must not run on the target server (they change the whole server, not one
  database) or cannot run at all, and which need to run one at a time (:mod:`.run`);
* on which line was each object declared (for :class:`~pgreconcile.model.objects.Origin`).

The first two are needed before anything runs and read only the first words of most
statements (:func:`read_heads`); the lines need every token of a ``CREATE TABLE``, and are
read while the scratch server runs the files (:func:`read_mentions`).

A statement whose head is not understood is simply not mentioned; its objects still get the
file as their origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from pgreconcile.declare.sql.script import Script, Statement, Token, TokenKind


class MentionKind(StrEnum):
    SCHEMA = "schema"
    EXTENSION = "extension"
    TYPE = "type"
    TABLE = "table"
    COLUMN = "column"
    # A named part of a table: constraint, index, policy (they share a namespace per table here).
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class Mention:
    """An object a statement creates, as written. ``schema`` is the schema the statement names,
    or the one an unqualified name would land in by the file's ``SET search_path`` (``public``
    by default) when ``qualified`` is False. ``table`` is set for columns and members."""

    kind: MentionKind
    schema: str | None
    name: str
    line: int
    table: str | None = None
    qualified: bool = True


@dataclass(frozen=True, slots=True)
class Refusal:
    """A statement that must not be sent, and why."""

    line: int
    reason: str
    hint: str


@dataclass
class Heads:
    """What one file's statement heads say before it runs (its mentions: :func:`read_mentions`)."""

    created_schemas: set[str] = field(default_factory=set)
    created_extensions: set[str] = field(default_factory=set)
    # Extensions created with an explicit VERSION: only their version is declared (without
    # one, the files accept whatever version the server installs).
    versioned_extensions: set[str] = field(default_factory=set)
    # Statements that change the whole server (roles, databases): refused on the target server.
    server_wide: list[Refusal] = field(default_factory=list)
    # Roles the files create (CREATE ROLE | USER | GROUP): not copied from the target as stubs.
    created_roles: set[str] = field(default_factory=set)
    # Statements that cannot be sent by pgreconcile at all (psql meta-commands, COPY).
    unsendable: list[Refusal] = field(default_factory=list)
    # Whether some statement must run outside a transaction block (so the file runs one
    # statement at a time, as psql would run it).
    one_by_one: bool = False
    # Whether a statement creates, alters or drops a foreign data wrapper or server: the files
    # then manage those kinds even when none is left at the end (they dropped the last one).
    foreign_data: bool = False
    # Likewise for publications: files that create, alter or drop one manage the kind.
    publications: bool = False
    # And casts (CREATE / DROP CAST): the files then manage those that belong to no managed schema.
    casts: bool = False


_TRANSACTION_WORDS = frozenset({"begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release"})
# (Subscriptions are read, never run: declare/sql/subscriptions.py.)
_SERVER_OBJECTS = frozenset({"role", "user", "group", "database", "tablespace"})
_TABLE_CONSTRAINT_WORDS = frozenset({"primary", "unique", "check", "foreign", "exclude", "like"})
_LOCAL_MODE_HINT = (
    "in the default --scratch target mode the SQL files run on the target server; remove the statement, "
    "or use --scratch local to run them in a throwaway local PostgreSQL"
)


def read_heads(script: Script) -> Heads:
    """The created names, refusals and kinds of every statement in ``script``: from their first
    words (a statement is cut into all its tokens only when these need them: SET, GRANT,
    REVOKE, CREATE SCHEMA and EXTENSION, all short)."""
    heads = Heads()
    for statement in script.statements:
        words = statement.words(4)
        _classify(script, statement, words, script.line_of(statement.start), heads)
        if words[:1] != ("create",):
            continue
        target = created_kind(statement.head(8))
        if target is None or target[0] not in ("schema", "extension"):
            continue
        tokens = statement.tokens
        what, i = created_kind(tokens) or target
        if what == "schema":
            parts = _schema_name(tokens, i)
            if parts:
                heads.created_schemas.add(parts[0].text)
        elif what == "extension":
            parts = _extension_name(tokens, i)
            if parts:
                heads.created_extensions.add(parts[0].text)
                if any(t.is_word("version") for t in tokens[i + 1 :]):
                    heads.versioned_extensions.add(parts[0].text)
    return heads


def read_mentions(script: Script) -> list[Mention]:
    """Every object the statements of ``script`` name as they create it, with its line."""
    mentions: list[Mention] = []
    search_path: str | None = "public"
    for statement in script.statements:
        words = statement.words(2)
        if words[:1] == ("set",):
            search_path = _search_path(statement.tokens, search_path)
        elif words[:1] == ("create",):
            _create(script, statement.tokens, script.line_of(statement.start), search_path, mentions)
        elif words[:2] == ("alter", "table"):
            _alter_table(script, statement.tokens, search_path, mentions)
    return mentions


def _classify(script: Script, statement: Statement, words: tuple[str, ...], line: int, heads: Heads) -> None:
    tokens = statement.head(8)
    first = words[0] if words else ""
    if tokens[0].kind is TokenKind.OTHER and tokens[0].text.startswith("\\"):
        command = script.text[statement.start :].split(None, 1)[0]
        heads.unsendable.append(
            Refusal(
                line,
                f"{command} is a psql meta-command, not SQL",
                "pgreconcile sends each file to the server as it is: inline the file or the setting",
            )
        )
    elif first == "copy":
        heads.unsendable.append(
            Refusal(
                line,
                "COPY cannot be part of a desired state",
                "an SQL desired state declares structure; load data with INSERT, or leave it out",
            )
        )
    if first in _TRANSACTION_WORDS or first == "vacuum" or any(t.is_word("concurrently") for t in tokens[:6]):
        heads.one_by_one = True
    if words[:2] == ("alter", "type") and any(t.is_word("value") for t in tokens[:8]):
        # A new enum label cannot be used in the transaction that added it.
        heads.one_by_one = True
    foreign = words[1:4] == ("foreign", "data", "wrapper") or words[1:2] == ("server",)
    if first in ("create", "alter", "drop") and foreign:
        heads.foreign_data = True
    if first in ("create", "alter", "drop") and words[1:2] == ("publication",):
        heads.publications = True
    if first in ("create", "drop") and words[1:2] == ("cast",):
        heads.casts = True
    what = _server_wide(statement, words)
    creates_role = words[:1] == ("create",) and words[1:2] in (("role",), ("user",), ("group",))
    if creates_role and words[1:3] != ("user", "mapping") and len(tokens) > 2 and tokens[2].is_name:
        heads.created_roles.add(tokens[2].text)
    if what:
        reason = f"{what} changes the whole server, not only the scratch database"
        heads.server_wide.append(Refusal(line, reason, _LOCAL_MODE_HINT))


def _server_wide(statement: Statement, words: tuple[str, ...]) -> str | None:
    """A label for a statement whose effect reaches beyond one database, else None."""
    if len(words) >= 2 and words[0] in ("create", "alter", "drop") and words[1] in _SERVER_OBJECTS:
        if words[1] == "user" and words[2:3] == ("mapping",):
            return None  # a user mapping belongs to one database's foreign server
        return f"{words[0].upper()} {words[1].upper()}"
    if words[:2] == ("alter", "system"):
        return "ALTER SYSTEM"
    if words[:1] in (("grant",), ("revoke",)) and not _has_top_level_word(statement.tokens, "on"):
        # GRANT role TO role (no ON): role membership is stored once for the whole server.
        return f"{words[0].upper()} of a role"
    return None


def _has_top_level_word(tokens: Sequence[Token], word: str) -> bool:
    depth = 0
    for token in tokens:
        if token.kind is TokenKind.PUNCT:
            depth += {"(": 1, ")": -1}.get(token.text, 0)
        elif depth == 0 and token.is_word(word):
            return True
    return False


def _search_path(tokens: Sequence[Token], current: str | None) -> str | None:
    """The schema unqualified names go to after ``SET [SESSION|LOCAL] search_path TO …``."""
    i = 1
    if i < len(tokens) and tokens[i].is_word("session", "local"):
        i += 1
    if i >= len(tokens) or not tokens[i].is_word("search_path"):
        return current
    i += 1
    if i < len(tokens) and (tokens[i].is_word("to") or tokens[i].text == "="):
        i += 1
    for token in tokens[i:]:
        if token.is_word("default"):
            return "public"
        name = token.text
        if token.kind is TokenKind.STRING:
            name = token.text.strip("'")
            if name == "":
                return None  # search_path '' : unqualified names have nowhere to go
        elif not token.is_name:
            continue
        if name != "$user":
            return name
    return current


def dotted_name(tokens: Sequence[Token], i: int) -> tuple[list[Token], int]:
    """The dotted name starting at ``i`` (its parts) and the index after it."""
    parts: list[Token] = []
    while i < len(tokens) and tokens[i].is_name:
        parts.append(tokens[i])
        if i + 2 < len(tokens) and tokens[i + 1].text == "." and tokens[i + 1].kind is TokenKind.PUNCT:
            i += 2
            continue
        return parts, i + 1
    return parts, i


def skip_words(tokens: Sequence[Token], i: int, *words: str) -> int:
    """Index after any run of the optional ``words`` (``IF NOT EXISTS`` and the like) at ``i``."""
    while i < len(tokens) and tokens[i].is_word(*words):
        i += 1
    return i


def _split(parts: list[Token], search_path: str | None) -> tuple[str | None, str, bool]:
    """(schema, name, qualified) of a one- or two-part name."""
    if len(parts) >= 2:
        return parts[-2].text, parts[-1].text, True
    return search_path, parts[-1].text, False


_CREATE_MODIFIERS = ("or", "replace", "global", "local", "temporary", "temp", "unlogged", "unique")


def created_kind(tokens: Sequence[Token]) -> tuple[str, int] | None:
    """What a CREATE statement creates (``table``, ``schema``…) and that word's index."""
    i = skip_words(tokens, 1, *_CREATE_MODIFIERS)
    if i >= len(tokens) or tokens[i].kind is not TokenKind.WORD:
        return None
    return tokens[i].text, i


def _schema_name(tokens: Sequence[Token], i: int) -> list[Token]:
    """The name of ``CREATE SCHEMA`` (the word at ``i``), as parts."""
    j = skip_words(tokens, i + 1, "if", "not", "exists")
    if j < len(tokens) and tokens[j].is_word("authorization"):
        j += 1  # CREATE SCHEMA AUTHORIZATION role: the schema takes the role's name
    return dotted_name(tokens, j)[0]


def _extension_name(tokens: Sequence[Token], i: int) -> list[Token]:
    """The name of ``CREATE EXTENSION`` (the word at ``i``), as parts."""
    return dotted_name(tokens, skip_words(tokens, i + 1, "if", "not", "exists"))[0]


def _create(
    script: Script, tokens: Sequence[Token], line: int, search_path: str | None, mentions: list[Mention]
) -> None:
    target = created_kind(tokens)
    if target is None:
        return
    what, i = target
    if what == "schema":
        parts = _schema_name(tokens, i)
        if parts:
            mentions.append(Mention(MentionKind.SCHEMA, None, parts[0].text, line))
    elif what == "extension":
        parts = _extension_name(tokens, i)
        if parts:
            mentions.append(Mention(MentionKind.EXTENSION, None, parts[0].text, line))
    elif what == "type":
        parts, _ = dotted_name(tokens, i + 1)
        if parts:
            schema, name, qualified = _split(parts, search_path)
            mentions.append(Mention(MentionKind.TYPE, schema, name, line, qualified=qualified))
    elif what == "table":
        _create_table(script, tokens, skip_words(tokens, i + 1, "if", "not", "exists"), line, search_path, mentions)
    elif what == "index":
        _create_index(script, tokens, skip_words(tokens, i + 1, "concurrently", "if", "not", "exists"), search_path,
                      mentions)
    elif what == "policy":
        parts, j = dotted_name(tokens, i + 1)
        if parts and j < len(tokens) and tokens[j].is_word("on"):
            table_parts, _ = dotted_name(tokens, j + 1)
            if table_parts:
                schema, table, qualified = _split(table_parts, search_path)
                mentions.append(
                    Mention(MentionKind.MEMBER, schema, parts[0].text, script.line_of(parts[0].start), table, qualified)
                )


def _create_table(
    script: Script, tokens: Sequence[Token], i: int, line: int, search_path: str | None, mentions: list[Mention]
) -> None:
    """``CREATE TABLE name (column …, CONSTRAINT name …)``: the table, its columns and its named
    constraints, each on its own line."""
    parts, j = dotted_name(tokens, i)
    if not parts:
        return
    schema, table, qualified = _split(parts, search_path)
    mentions.append(Mention(MentionKind.TABLE, schema, table, line, qualified=qualified))
    if j < len(tokens) and tokens[j].kind is TokenKind.PUNCT and tokens[j].text == "(":
        for element in _elements(tokens, j):
            _column_or_constraint(script, element, schema, table, qualified, mentions)


def _alter_table(script: Script, tokens: Sequence[Token], search_path: str | None, mentions: list[Mention]) -> None:
    """``ALTER TABLE name ADD [COLUMN] col …, ADD CONSTRAINT name …``."""
    parts, j = dotted_name(tokens, skip_words(tokens, 2, "if", "exists", "only"))
    if not parts:
        return
    schema, table, qualified = _split(parts, search_path)
    for action in _top_level(tokens[j:]):
        if not action[0].is_word("add"):
            continue
        rest = action[1:]
        if rest and rest[0].is_word("constraint"):
            _named_constraints(script, rest, schema, table, qualified, mentions)
            continue
        k = 1 if rest and rest[0].is_word("column") else 0
        while k < len(rest) and rest[k].is_word("if", "not", "exists"):
            k += 1
        if k < len(rest):
            _column_or_constraint(script, rest[k:], schema, table, qualified, mentions)


def _create_index(
    script: Script, tokens: Sequence[Token], i: int, search_path: str | None, mentions: list[Mention]
) -> None:
    """``CREATE INDEX [name] ON [ONLY] table …``: the index, as a member of its table."""
    if i >= len(tokens) or tokens[i].is_word("on"):
        return  # an unnamed index: PostgreSQL picks the name
    parts, j = dotted_name(tokens, i)
    if not parts or j >= len(tokens) or not tokens[j].is_word("on"):
        return
    table_parts, _ = dotted_name(tokens, skip_words(tokens, j + 1, "only"))
    if not table_parts:
        return
    # An index always lives in its table's schema, whatever its own name says.
    schema, table, qualified = _split(table_parts, search_path)
    index = parts[-1]
    mentions.append(
        Mention(MentionKind.MEMBER, schema, index.text, script.line_of(index.start), table, qualified)
    )


def _elements(tokens: Sequence[Token], open_at: int) -> list[list[Token]]:
    """The comma-separated elements of the parenthesised list opening at ``open_at``."""
    elements: list[list[Token]] = [[]]
    depth = 0
    for token in tokens[open_at:]:
        if token.kind is TokenKind.PUNCT:
            if token.text == "(":
                depth += 1
                if depth == 1:
                    continue
            elif token.text == ")":
                depth -= 1
                if depth == 0:
                    break
            elif token.text == "," and depth == 1:
                elements.append([])
                continue
        elements[-1].append(token)
    return [e for e in elements if e]


def _top_level(tokens: Sequence[Token]) -> list[list[Token]]:
    """``tokens`` split at commas outside parentheses (ALTER TABLE's list of actions)."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.kind is TokenKind.PUNCT:
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
            elif token.text == "," and depth == 0:
                parts.append([])
                continue
        parts[-1].append(token)
    return [p for p in parts if p]


def _named_constraints(
    script: Script, tokens: Sequence[Token], schema: str | None, table: str, qualified: bool, mentions: list[Mention]
) -> None:
    """Every ``CONSTRAINT name`` among ``tokens`` (column constraints, table constraints)."""
    for k, token in enumerate(tokens[:-1]):
        following = tokens[k + 1]
        if token.is_word("constraint") and following.is_name:
            mentions.append(
                Mention(MentionKind.MEMBER, schema, following.text, script.line_of(following.start), table, qualified)
            )


def _column_or_constraint(
    script: Script, element: list[Token], schema: str | None, table: str, qualified: bool, mentions: list[Mention]
) -> None:
    """One element of a column list: a column (with its inline constraints) or a table constraint."""
    first = element[0]
    if first.is_word("constraint"):
        _named_constraints(script, element, schema, table, qualified, mentions)
    elif first.is_name and not first.is_word(*_TABLE_CONSTRAINT_WORDS):
        mentions.append(
            Mention(MentionKind.COLUMN, schema, first.text, script.line_of(first.start), table, qualified)
        )
        _named_constraints(script, element[1:], schema, table, qualified, mentions)
