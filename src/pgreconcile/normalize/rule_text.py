"""The parts of a rule as ``pg_get_ruledef()`` prints it, and the checks on declared rule text.

PostgreSQL prints a rule only whole (``CREATE RULE r AS ON UPDATE TO public.t WHERE … DO
INSTEAD …;``): no function deparses its condition or actions alone, because they read NEW and
OLD. The condition and the statements are cut out of that text at its top level — outside
quotes and parentheses — where the keywords ``WHERE`` and ``DO`` can only be the rule's own
(inside an expression a column named ``do`` is printed quoted).
"""

from __future__ import annotations

import re

from pgreconcile.normalize.lexical import is_lexically_simple

_WHERE = re.compile(r"\sWHERE\s")
_DO = re.compile(r"\sDO\s")
_INSTEAD = re.compile(r"INSTEAD\s")


def _masked(text: str) -> tuple[str, list[int]] | None:
    """``text`` with every quoted run blanked out (same length), and the parenthesis depth at
    each position; None when the text is not lexically simple (comments, dollar quotes)."""
    if not is_lexically_simple(text):
        return None
    out = list(text)
    depths = [0] * len(text)
    depth, i, n = 0, 0, len(text)
    while i < n:
        char = text[i]
        if char in "'\"":
            end = i + 1
            while end < n:
                if text[end] == char:
                    if end + 1 < n and text[end + 1] == char:
                        end += 2
                        continue
                    break
                end += 1
            for k in range(i, min(end + 1, n)):
                out[k] = "x"
                depths[k] = depth
            i = end + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        depths[i] = depth if char != "(" else depth - 1
        i += 1
    return "".join(out), depths


def _top_level(pattern: re.Pattern[str], masked: str, depths: list[int], start: int = 0) -> re.Match[str] | None:
    for found in pattern.finditer(masked, start):
        if depths[found.start()] == 0:
            return found
    return None


def split_statements(text: str) -> tuple[str, ...] | None:
    """The statements of ``text`` separated by top-level semicolons, each stripped; None when
    the text cannot be read safely (comments, dollar quotes, unbalanced quotes)."""
    found = _masked(text)
    if found is None:
        return None
    masked, depths = found
    parts, start = [], 0
    for i, char in enumerate(masked):
        if char == ";" and depths[i] == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return tuple(p.strip() for p in parts if p.strip())


def actions_of(text: str) -> tuple[str, ...] | None:
    """The statements after ``DO [INSTEAD]``: ``NOTHING`` is none, ``( a; b; )`` is two."""
    body = text.strip()
    while body.endswith(";"):
        body = body[:-1].rstrip()
    if body.upper() == "NOTHING":
        return ()
    found = _masked(body)
    if found is None:
        return None
    _, depths = found
    if body.startswith("(") and body.endswith(")") and all(d >= 1 for d in depths[1:-1]):
        return split_statements(body[1:-1])
    return (body,)


def ruledef_parts(definition: str) -> tuple[str | None, tuple[str, ...]] | None:
    """``(condition, statements)`` of a ``pg_get_ruledef()`` text, or None when it cannot be cut."""
    found = _masked(definition)
    if found is None:
        return None
    masked, depths = found
    # The first top-level DO is the rule's (neither the header nor a condition holds one); a
    # WHERE before it is the rule's condition, any after it belongs to an action.
    do = _top_level(_DO, masked, depths)
    if do is None:
        return None
    where = _top_level(_WHERE, masked[: do.start() + 1], depths)
    condition = definition[where.end() : do.start()].strip() if where else None
    rest = definition[do.end() :].lstrip()
    instead = _INSTEAD.match(rest)
    if instead:
        rest = rest[instead.end() :]
    actions = actions_of(rest)
    return None if actions is None else (condition, actions)


def actions_sql(actions: tuple[str, ...]) -> str:
    """What follows ``DO [INSTEAD]`` in CREATE RULE: ``NOTHING``, one statement, or several in
    parentheses."""
    if not actions:
        return "NOTHING"
    if len(actions) == 1:
        return actions[0]
    return "(" + ";\n".join(actions) + ")"


def sendable(text: str | None) -> bool:
    """Whether declared rule text can go into one CREATE RULE statement without ending it: no
    semicolon outside quotes and parentheses (where it would start another statement), and no
    comment or dollar quote that could hide one."""
    if text is None:
        return True
    found = _masked(text)
    if found is None:
        return False
    masked, depths = found
    return all(not (c == ";" and depths[i] == 0) for i, c in enumerate(masked)) and min(depths, default=0) >= 0
