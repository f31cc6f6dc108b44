"""Reading YAML text into plain data that remembers the line of every key and item.

Errors in declarations must point at a line, so every mapping and sequence built here records
where its keys and items were written (:class:`YamlMap`, :class:`YamlList`, :mod:`.lines`).
Two readers build them: :mod:`.fast` reads the plain block style that declarations are written
in (every file ``reconcile inspect`` writes) line by line; whatever it declines — other YAML, and
every text with a problem — is read from libyaml's events (:mod:`.events`), which also word the
problems. Both give the same data, lines included (a test compares them).

Scalars follow the YAML 1.2 core schema rather than PyYAML's YAML 1.1 one. In YAML 1.1 ``yes``,
``no``, ``on`` and ``off`` are booleans, ``12:30`` is the integer 750 and ``2024-01-01`` is a date;
in a schema language those are enum labels, column names and default values, and turning them
into something else silently is a trap. Here only ``true``/``false`` are booleans, only plain
decimal (or ``0x``/``0o``) digits are integers, and dates stay strings.

Mapping keys are always strings, taken as written: a column called ``on`` or ``1`` is a name.
"""

from __future__ import annotations

from typing import Any

from pgreconcile.declare.yaml.lines import YamlList, YamlMap, YamlProblem, line_at, line_source, plain_tag
from pgreconcile.gc_pause import paused_gc

__all__ = ["YamlList", "YamlMap", "YamlProblem", "line_at", "line_source", "load_yaml", "plain_tag"]


def load_yaml(text: str) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document into YamlMap / YamlList / scalars, with the problems found.

    A syntax error yields ``(None, [problem])``; duplicate keys, unsupported tags and the like
    are reported while the rest of the document is still built, so several can be shown at once.
    """
    from pgreconcile.declare.yaml.fast import DECLINED, read_fast

    with paused_gc():
        data = read_fast(text)
        if data is not DECLINED:
            return data, []
        # Imported only here: PyYAML is a fortieth of a second of imports that most loads skip.
        import yaml

        from pgreconcile.declare.yaml.events import read_events

        problems: list[YamlProblem] = []
        try:
            return read_events(text, problems), problems
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = mark.line + 1 if mark is not None else None
            problem = "; ".join(part for part in (err.context, err.problem) if part)
            return None, [YamlProblem(line, f"malformed YAML: {problem or err}")]
        except yaml.YAMLError as err:
            return None, [YamlProblem(None, f"malformed YAML: {err}")]
