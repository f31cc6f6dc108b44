"""Cutting SQL files into statements and reading their heads (no database needed).

Where a statement ends decides which line an error is reported on and what runs when a file is
run one statement at a time, so every lexical construct that can hide a ``;`` has a case here.
"""

from __future__ import annotations

import random

import pytest

from pgreconcile.declare.sql.heads import MentionKind, read_heads, read_mentions
from pgreconcile.declare.sql.script import Token, TokenKind, _in_routine, _tokens, parse_script

SPLITS = [
    ("plain", "create table a (x int); create table b (y int);", ["create table a (x int)", "create table b (y int)"]),
    ("no final semicolon", "select 1;\nselect 2", ["select 1", "select 2"]),
    ("empty statements", ";;\n; select 1;;", ["select 1"]),
    ("semicolon in a string", "select ';' ; select 'it''s;'", ["select ';'", "select 'it''s;'"]),
    ("escape string", r"select E'\';' ; select 2", [r"select E'\';'", "select 2"]),
    ("backslash in a standard string", r"select 'a\'; select 2", [r"select 'a\'", "select 2"]),
    ("quoted identifier", 'select 1 as "a;""b"; select 2', ['select 1 as "a;""b"', "select 2"]),
    ("dollar quote", "create function f() returns int as $$ select 1; $$ language sql; select 2",
     ["create function f() returns int as $$ select 1; $$ language sql", "select 2"]),
    ("tagged dollar quote", "do $body$ begin perform 1; $x$ ; end $body$; select 2",
     ["do $body$ begin perform 1; $x$ ; end $body$", "select 2"]),
    ("positional parameter is no quote", "prepare p as select $1; select 2", ["prepare p as select $1", "select 2"]),
    ("line comment", "select 1 -- a; b\n; select 2", ["select 1 -- a; b\n", "select 2"]),
    ("nested block comment", "select /* a /* b; */ c; */ 1; select 2", ["select /* a /* b; */ c; */ 1", "select 2"]),
    ("semicolon inside parentheses", "select (1;2); select 3", ["select (1;2)", "select 3"]),
    ("begin atomic body", "create function f() returns int language sql begin atomic select 1; select 2; end; select 3",
     ["create function f() returns int language sql begin atomic select 1; select 2; end", "select 3"]),
    ("begin atomic with case", "create or replace procedure p() language sql begin atomic "
     "select case when true then 1 end; end; select 3",
     ["create or replace procedure p() language sql begin atomic select case when true then 1 end; end", "select 3"]),
    ("transaction begin is a statement", "begin; create table a (); commit;", ["begin", "create table a ()", "commit"]),
    ("unterminated string runs to the end", "select 'abc; select 2", ["select 'abc; select 2"]),
]


@pytest.mark.parametrize(("text", "expected"), [s[1:] for s in SPLITS], ids=[s[0] for s in SPLITS])
def test_statements_end_where_psql_ends_them(text: str, expected: list[str]) -> None:
    script = parse_script(text, "f.sql")
    assert [script.text_of(s).strip() for s in script.statements] == [e.strip() for e in expected]


def test_lines_count_from_one_and_skip_comments() -> None:
    text = "-- header\n\n/* block\n comment */\ncreate table a (\n  x int\n);\n\n  select\n 1;"
    script = parse_script(text, "f.sql")
    assert [script.line_of(s.start) for s in script.statements] == [5, 9]


def test_tokens_fold_unquoted_names_only() -> None:
    script = parse_script('CREATE TABLE App."MixedCase" (Ä int)', "f.sql")
    tokens = script.statements[0].tokens
    assert [(t.kind, t.text) for t in tokens[:5]] == [
        (TokenKind.WORD, "create"),
        (TokenKind.WORD, "table"),
        (TokenKind.WORD, "app"),
        (TokenKind.PUNCT, "."),
        (TokenKind.QUOTED, "MixedCase"),
    ]
    # PostgreSQL folds only ASCII letters of unquoted names.
    assert tokens[6].text == "Ä"


def _mentions(text: str) -> list[tuple[str, str | None, str | None, str, int, bool]]:
    mentions = read_mentions(parse_script(text, "f.sql"))
    return [(m.kind.value, m.schema, m.table, m.name, m.line, m.qualified) for m in mentions]


def test_heads_name_tables_columns_constraints_and_indexes_with_lines() -> None:
    text = """create schema if not exists app;
create type app.mood as enum ('ok');
create table if not exists app.things (
  id uuid primary key,
  "Label" text constraint label_nn not null,
  constraint things_label_key unique ("Label"),
  check (id is not null)
);
create unique index concurrently if not exists things_idx on only app.things (id);
alter table app.things add column extra int, add constraint extra_pos check (extra > 0);
create policy things_read on app.things using (true);
"""
    assert _mentions(text) == [
        ("schema", None, None, "app", 1, True),
        ("type", "app", None, "mood", 2, True),
        ("table", "app", None, "things", 3, True),
        ("column", "app", "things", "id", 4, True),
        ("column", "app", "things", "Label", 5, True),
        ("member", "app", "things", "label_nn", 5, True),
        ("member", "app", "things", "things_label_key", 6, True),
        ("member", "app", "things", "things_idx", 9, True),
        ("column", "app", "things", "extra", 10, True),
        ("member", "app", "things", "extra_pos", 10, True),
        ("member", "app", "things", "things_read", 11, True),
    ]


def test_unqualified_names_follow_set_search_path() -> None:
    text = "create table a ();\nset search_path to \"$user\", billing, public;\ncreate table b ();\n" \
        "set search_path = default;\ncreate table c ();"
    assert [(schema, name, qualified) for _, schema, _, name, _, qualified in _mentions(text)] == [
        ("public", "a", False),
        ("billing", "b", False),
        ("public", "c", False),
    ]


def test_heads_record_what_the_files_create_themselves() -> None:
    script = parse_script(
        'create schema auth; create extension if not exists "uuid-ossp" with schema extensions;', "f.sql"
    )
    heads = read_heads(script)
    assert heads.created_schemas == {"auth"}
    assert heads.created_extensions == {"uuid-ossp"}
    assert read_mentions(script)[1].kind is MentionKind.EXTENSION


SERVER_WIDE = [
    ("create role", "create role app_reader;", "CREATE ROLE"),
    ("alter role", "alter role authenticated set statement_timeout = '8s';", "ALTER ROLE"),
    ("create user", "create user bob;", "CREATE USER"),
    ("drop database", "drop database prod;", "DROP DATABASE"),
    ("alter database", "alter database postgres set timezone = 'UTC';", "ALTER DATABASE"),
    ("alter system", "alter system set work_mem = '1GB';", "ALTER SYSTEM"),
    ("role membership", "grant app_admin to bob;", "GRANT of a role"),
    ("revoke membership", "revoke app_admin from bob;", "REVOKE of a role"),
    ("tablespace", "create tablespace t location '/tmp';", "CREATE TABLESPACE"),
]


@pytest.mark.parametrize(("text", "label"), [s[1:] for s in SERVER_WIDE], ids=[s[0] for s in SERVER_WIDE])
def test_server_wide_statements_are_found(text: str, label: str) -> None:
    heads = read_heads(parse_script("create table t ();\n" + text, "f.sql"))
    assert [(r.line, r.reason.split(" changes")[0]) for r in heads.server_wide] == [(2, label)]


@pytest.mark.parametrize(
    "text",
    [
        "grant select on all tables in schema public to anon;",
        "grant usage on schema app to authenticated;",
        "revoke all on table t from public;",
        "create user mapping for bob server s;",
        "alter default privileges in schema app grant select on tables to anon;",
        "create table roles (role text);",
    ],
)
def test_per_database_statements_are_not_server_wide(text: str) -> None:
    assert read_heads(parse_script(text, "f.sql")).server_wide == []


def test_meta_commands_and_copy_cannot_be_sent() -> None:
    heads = read_heads(parse_script("\\set ON_ERROR_STOP on\nselect 1;\ncopy t from stdin;", "f.sql"))
    assert [(r.line, r.reason) for r in heads.unsendable] == [
        (1, "\\set is a psql meta-command, not SQL"),
        (3, "COPY cannot be part of a desired state"),
    ]


@pytest.mark.parametrize(
    ("text", "one_by_one"),
    [
        ("create table a (); create index on a (x);", False),
        ("create table a (); create index concurrently on a (x);", True),
        ("begin; create table a (); commit;", True),
        ("create type m as enum ('a'); alter type m add value 'b';", True),
        ("vacuum;", True),
    ],
)
def test_files_that_must_run_statement_by_statement(text: str, one_by_one: bool) -> None:
    assert read_heads(parse_script(text, "f.sql")).one_by_one is one_by_one


# -- the fast cut (parse_script skips runs of plain tokens in one match) against an oracle --


def _cut_token_by_token(text: str) -> list[tuple[int, int, tuple[Token, ...]]]:
    """Statements as the token-by-token scanner cut them (what parse_script did before it
    skipped runs of tokens): the oracle of the test below."""
    out: list[tuple[int, int, tuple[Token, ...]]] = []
    current: list[Token] = []
    depth = atomic = 0
    for token in _tokens(text):
        if token.kind is TokenKind.PUNCT:
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth = max(depth - 1, 0)
            elif token.text == ";" and depth == 0 and atomic == 0:
                if current:
                    out.append((current[0].start, token.start, tuple(current)))
                current = []
                continue
        elif token.kind is TokenKind.WORD and depth == 0 and token.text in ("begin", "case", "end") \
                and _in_routine(current):
            atomic = max(atomic - 1, 0) if token.text == "end" else atomic + 1
        current.append(token)
    if current:
        out.append((current[0].start, current[-1].end, tuple(current)))
    return out


FRAGMENTS = [
    "create table a (x int, y numeric(10,2) default 1.5e3)", ";", " ", "\n", "select 1", "(", ")", ",",
    "'it''s; (x'", "E'\\'; ('", "e'x'", "1e'x'", "ae'x'", "U&'d\\0061t;a'", "U&\"a;b\"", "B'101'", "x'1f'", "N'n;'",
    '"quoted;"" ("', "$$ body; ( $$", "$tag$ a; $$ ; $tag$", "$1", "a$b", "$a$", "-- note; (\n", "/* a /* b; */ c; */",
    "/* open", "- -1", "+--x\n", "a/*b*/c", "/ 2",
    "create function f() returns int language sql begin atomic select 1;",
    " end", "case when true then 1 end", "create or replace procedure p() begin atomic", "\\set x 1\n", "'open",
    "::", "@>", "#", "\u00e9t\u00e9", "\u00a0", ".5", "a.b", "do $x$ begin perform 1; end $x$",
]


@pytest.mark.parametrize("seed", range(40))
def test_the_fast_cut_is_the_token_by_token_cut(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 25)))
        expected = _cut_token_by_token(text)
        script = parse_script(text, "f.sql")
        heads = [s.head(8) for s in script.statements]  # before the tokens: from the cut's own head
        assert [(s.start, s.end) for s in script.statements] == [(a, b) for a, b, _ in expected], text
        assert heads == [tokens[:8] for _, _, tokens in expected], text
        assert [s.tokens for s in script.statements] == [tokens for _, _, tokens in expected], text
