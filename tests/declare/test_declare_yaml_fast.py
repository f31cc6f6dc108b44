"""The fast YAML reader gives exactly what the libyaml reader gives, lines included, or declines.

Compared on every YAML file of the repository, on hand-picked texts at the edges of what it
reads, and on thousands of random mutations of real declarations (a character of YAML syntax
put in, taken out or replaced, a line's indentation changed): every mutated text is either
declined or read to the same data as libyaml's reader, which must have found no problem in it.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest

from pgreconcile.declare.yaml.events import read_events
from pgreconcile.declare.yaml.fast import DECLINED, read_fast
from pgreconcile.declare.yaml.lines import YamlList, YamlMap
from pgreconcile.declare.yaml.source import YamlProblem, load_yaml

ROOT = Path(__file__).resolve().parents[2]


def _difference(fast: Any, slow: Any, path: tuple[Any, ...] = ()) -> str | None:
    """Where two readings differ (type, value, line, key line, item line), or None."""
    if type(fast) is not type(slow):
        return f"{path}: {type(fast).__name__} against {type(slow).__name__}"
    if isinstance(fast, YamlMap):
        if (fast.line, list(fast), fast.key_lines) != (slow.line, list(slow), slow.key_lines):
            return f"{path}: mapping {fast.line} {fast.key_lines} against {slow.line} {slow.key_lines}"
        pairs = [(fast[key], slow[key], key) for key in fast]
    elif isinstance(fast, YamlList):
        if (fast.line, len(fast), fast.item_lines) != (slow.line, len(slow), slow.item_lines):
            return f"{path}: list {fast.line} {fast.item_lines} against {slow.line} {slow.item_lines}"
        pairs = [(a, b, i) for i, (a, b) in enumerate(zip(fast, slow, strict=True))]
    elif isinstance(fast, float) and math.isnan(fast):
        return None if math.isnan(slow) else f"{path}: nan against {slow!r}"
    else:
        return None if fast == slow else f"{path}: {fast!r} against {slow!r}"
    for a, b, step in pairs:
        found = _difference(a, b, (*path, step))
        if found:
            return found
    return None


def _slow(text: str) -> tuple[Any, list[YamlProblem]]:
    problems: list[YamlProblem] = []
    try:
        return read_events(text, problems), problems
    except Exception as err:  # PyYAML's syntax errors: the text is not valid
        return err, [YamlProblem(None, str(err))]


def _agrees(text: str) -> bool:
    """Whether the fast reader declined ``text`` (False) or read it as libyaml's reader (True);
    fails the test when it read it otherwise."""
    fast = read_fast(text)
    if fast is DECLINED:
        return False
    slow, problems = _slow(text)
    assert problems == [], f"read a text libyaml finds wrong ({problems[0].message}):\n{text}"
    difference = _difference(fast, slow)
    assert difference is None, f"{difference}\n{text}"
    return True


def _repository_yaml() -> list[Path]:
    found = [*ROOT.glob("tests/**/*.yaml"), *ROOT.glob("examples/**/*.yaml"), *ROOT.glob("schema/**/*.yaml")]
    return sorted(found)


def test_every_yaml_file_of_the_repository() -> None:
    files = _repository_yaml()
    read = sum(_agrees(path.read_text(encoding="utf-8")) for path in files)
    # The point is speed: nearly every declaration file is read fast, not declined.
    assert len(files) > 300 and read >= 0.95 * len(files), f"{read} of {len(files)} read fast"


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: -2\nc: 0x1F\nd: 0o17\ne: 1.5\nf: 1e3\ng: .inf\nh: -.Inf\ni: .nan\nj: ~\nk: null\nl:\n",
        "a: true\nb: FALSE\nc: yes\nd: on\ne: 12:30\nf: 2024-01-01\ng: 1_000\nh: '3'\ni: \"true\"\n",
        "on: 1\n1: 2\ntrue: 3\nnull: 4\n'quoted': 5\n'it''s': 6\n-x: 7\nkey with spaces: 8\nk  : 9\n",
        "a: b # comment\nc: 'd' # comment\ne: [f, g] # comment\n# a comment\n  # indented\nh: i#j\n",
        "a: {b: 1, c: [d, e], f: 'g, h', i: now()::text, j: {k: l}}\nm: []\nn: {}\no: [[p], {q: r}]\n",
        "a: {b: c,d}\n",
        "a: {b: }\n",
        "a: {b}\n",
        "a: [b: c]\n",
        "a: [b, ]\n",
        "a: {b: c, b: d}\n",
        "a: 1\na: 2\n",
        "a:\n  - b\n  - c: d\n    e: f\n  - [g]\n  -\n    h: i\n",
        "a:\n- b\n- c\n",
        "a:\n  -\n  - b\n",
        "a: - b\n",
        "a: b: c\n",
        "a: b:\n",
        "a: b\n  c\n",
        "a: 'b\n  c'\n",
        'a: "b\\tc"\n',
        "a: |\n  line one\n\n    indented\n  last\n\nb: |-\n  x\n\n\nc: 1\n",
        "a: |\n\n  after a blank line\n",
        "a: |\n    \n  less indented after a long blank\n",
        "a: |\n  x\n   \n",
        "a: |\n  no line break at the end",
        "a: |-\n  no line break at the end",
        "a: >\n  folded\n",
        "a: |2\n   explicit\n",
        "a: |+\n  keep\n\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "<<: {a: 1}\n",
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "%YAML 1.2\n---\na: 1\n",
        "- a\n- b\n",
        "just text\n",
        "",
        "# only a comment\n",
        "a:\tb\n",
        "a: b\r\nc: d\r\n",
        "\ufeffa: b\n",
        "a: b\x07\n",
        "a:\n  b: 1\n c: 2\n",
        "a:\n    b: 1\n  c: 2\n",
        "a: [b,\n  c]\n",
        "a: {b: 'c'd}\n",
        "a: 'b'c\n",
        "a: `b`\n",
        "a: @b\n",
        "a: %b\n",
        "a: ?b\n",
        "a: :b\n",
        "a: ? b\n",
        "? a\n: b\n",
        "a: ,b\n",
        "a: b,c\n",
        "a: [-1, -b, - c]\n",
        "a: {-b: c}\n",
        '"a": b\n',
        "a: \"\"\nb: ''\nc: ' '\n",
        "'': empty key\n",
        "a: {'': b}\n",
        "a: [' b ', \"c\", 'd''e']\n",
        "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
        "x" * 1100 + ": long key\n",
    ],
)
def test_texts_at_the_edges(text: str) -> None:
    _agrees(text)


def test_the_common_shapes_are_read_fast() -> None:
    text = (
        "version: 1\nschemas:\n  app:\n    enums:\n      mood: [happy, sad]\n    tables:\n      t:\n"
        "        comment: 'A table; it''s fine.'\n        columns:\n"
        "          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}\n"
        "          n: {type: 'numeric(18,4)', nullable: false, default: 0}\n"
        "          s:\n            type: text\n            check: (s <> ''::text)\n"
        "        indexes:\n          t_n_idx: {columns: [n DESC], where: (n IS NOT NULL)}\n"
        "        checks:\n          t_ok: (n > (0)::numeric)\n"
        "    functions:\n      f():\n        returns: trigger\n        body: |\n\n          BEGIN\n"
        "            RETURN NEW;\n          END\n"
        "    views:\n      v: |-\n        SELECT 1\n"
    )
    assert _agrees(text)


def _mutations(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    choice = rng.randrange(5)
    if choice == 0:  # a character of YAML syntax put in
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(" :-,#'\"[]{}|>&*!?%@`\n\t.0") + text[at:]
    if choice == 1:  # a character taken out
        at = rng.randrange(len(text))
        return text[:at] + text[at + 1 :]
    if choice == 2:  # a character replaced
        at = rng.randrange(len(text))
        return text[:at] + rng.choice(" :-,#'\"[]{}|\n") + text[at + 1 :]
    number = rng.randrange(len(lines))
    if choice == 3:  # a line indented differently
        lines[number] = " " * rng.choice((1, 2, 4)) + lines[number] if rng.random() < 0.5 else lines[number][2:]
    else:  # a line repeated
        lines.insert(number, lines[number])
    return "\n".join(lines)


@pytest.mark.parametrize(
    "sample",
    [
        "tests/cases/function/create/desired.yaml",
        "tests/cases/column/add-nullable/desired.yaml",
        "tests/cases/view/create/desired.yaml",
    ],
)
def test_random_mutations_are_declined_or_read_alike(sample: str) -> None:
    path = ROOT / sample
    if not path.exists():  # the sample moved: any case file serves
        path = _repository_yaml()[len(sample) % len(_repository_yaml())]
    text = path.read_text(encoding="utf-8")
    rng = random.Random(sample)
    read = 0
    for _ in range(1500):
        mutated = text
        for _ in range(rng.choice((1, 1, 2, 3))):
            mutated = _mutations(mutated, rng) if mutated else mutated
        read += _agrees(mutated)
    assert read > 50  # the mutations that stay valid are still read fast


def test_load_yaml_reports_what_the_fast_reader_declines() -> None:
    data, problems = load_yaml("a: 1\na: 2\n")
    assert data == {"a": 1}
    assert [p.line for p in problems] == [2] and "appears twice" in problems[0].message
    data, problems = load_yaml("a: {b: c, d: e}\nf:\n  - g\n")
    assert problems == [] and data == {"a": {"b": "c", "d": "e"}, "f": ["g"]}
    assert data["f"].item_lines == [3]
