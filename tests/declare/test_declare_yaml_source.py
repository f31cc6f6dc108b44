"""Reading YAML with lines: scalar rules, key and item lines, and problems in the text itself."""

from __future__ import annotations

import math

import pytest

from pgreconcile.declare.yaml.source import YamlList, YamlMap, line_at, load_yaml


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"),
        ("on", "on"),
        ("Off", "Off"),
        ("y", "y"),
        ("true", True),
        ("FALSE", False),
        ("12:30", "12:30"),
        ("2024-01-01", "2024-01-01"),
        ("0x1F", 31),
        ("0o17", 15),
        ("017", 17),
        ("-3", -3),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("1_000", "1_000"),
        ("~", None),
        ("null", None),
        ("", None),
        ("'3'", "3"),
        ('"true"', "true"),
        ("!!str 5", "5"),
        ("now()", "now()"),
        ("created_at DESC", "created_at DESC"),
    ],
)
def test_scalars_follow_the_yaml_1_2_core_schema(text: str, value: object) -> None:
    data, problems = load_yaml(f"k: {text}\n")
    assert problems == []
    assert data["k"] == value and type(data["k"]) is type(value)


def test_special_floats() -> None:
    data, _ = load_yaml("a: .inf\nb: -.Inf\nc: .nan\n")
    assert data["a"] == math.inf and data["b"] == -math.inf and math.isnan(data["c"])


def test_keys_are_text_as_written() -> None:
    data, problems = load_yaml("on: 1\n1: 2\ntrue: 3\nnull: 4\n'quoted': 5\n")
    assert problems == []
    assert list(data) == ["on", "1", "true", "null", "quoted"]


def test_lines_of_keys_and_items() -> None:
    text = "a:\n  b: 1\n  c:\n    - x\n    -\n      y\nd: [p, q]\n"
    data, _ = load_yaml(text)
    assert isinstance(data, YamlMap) and isinstance(data["a"]["c"], YamlList)
    assert data.key_lines == {"a": 1, "d": 7}
    assert data["a"].key_lines == {"b": 2, "c": 3}
    assert data["a"]["c"].item_lines == [4, 6]
    assert line_at(data, ("a", "c", 1)) == 6
    assert line_at(data, ("d", 1)) == 7
    assert line_at(data, ("a", "missing", "deeper")) == 1
    assert line_at(data, ("a", "label-of-a-validator", "b")) == 2
    assert line_at(data, (1,)) == 7  # the n-th key of a mapping


def test_anchors_aliases_and_merge_keys() -> None:
    text = "base: &b {type: text, nullable: false}\ncol:\n  <<: *b\n  nullable: true\nlist: [*b]\n"
    data, problems = load_yaml(text)
    assert problems == []
    assert data["col"] == {"type": "text", "nullable": True}
    assert data["col"].key_lines == {"nullable": 4, "type": 1}
    assert data["list"][0] is data["base"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\na: 2\n", 2, "key 'a' appears twice in the same mapping (first at line 1)"),
        ("a: [1\n", 2, "malformed YAML"),
        ("a: 'x\n", 2, "malformed YAML: while scanning a quoted scalar"),
        ("a: 1\n---\nb: 2\n", 2, "holds one YAML document"),
        ("? [a]\n: 1\n", 1, "a key must be a plain name"),
        ("a: !!binary aGk=\n", 1, "unsupported YAML tag"),
        ("a: !custom {b: 1}\n", 1, "unsupported YAML tag '!custom'"),
        ("a: *nope\n", 1, "unknown alias *nope"),
        ("a: !!int x\n", 1, "'x' is not a valid int"),
        ("<<: 5\n", 1, "'<<' must merge a mapping"),
    ],
    ids=[
        "duplicate",
        "unclosed-flow",
        "unclosed-quote",
        "two-documents",
        "complex-key",
        "binary-tag",
        "custom-tag",
        "unknown-alias",
        "bad-int",
        "bad-merge",
    ],
)
def test_problems_have_lines(text: str, line: int, message: str) -> None:
    _, problems = load_yaml(text)
    assert [(p.line, message in p.message) for p in problems] == [(line, True)], problems


def test_empty_document() -> None:
    assert load_yaml("") == (None, [])
    assert load_yaml("# only a comment\n") == (None, [])
