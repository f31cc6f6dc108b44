"""Server-printed expressions made to parse back into the tree they were printed from.

What PostgreSQL prints for a stored expression is not always what parsing that text stores.
``status IN ('a', 'b')`` on a ``varchar`` column is stored as ``text = ANY`` over an array of
``varchar`` constants with an *implicit* array coercion, printed
``((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))``. Sent
back as it is, the coercion is explicit, and PostgreSQL pushes an explicit cast of an ``ARRAY[…]``
into its elements: it stores ``ARRAY[('a'::character varying)::text, …]``, which prints
differently (a dump shows the difference, and a second read would too). Without the written
cast the coercion is implicit again, as in the original. SQL-file declarations are read back from
a scratch database, so their expressions are in this printed form when the plan sends them.
"""

from __future__ import annotations

import re

from pgreconcile.normalize.lexical import quoted_runs

# `= ANY ((ARRAY['a'::character varying, …])::text[])` (and `<> ALL`, from NOT IN), the literals
# already replaced by numbered placeholders ('\x00N': no identifier or literal holds a NUL).
_VARCHAR = r"'\x00\d+'::character varying(?:\(\d+\))?"
_VARCHAR_ARRAY = re.compile(rf"\b(ANY|ALL) \(\(ARRAY\[((?:{_VARCHAR}, )*{_VARCHAR})\]\)::text\[\]\)")


def as_reparsable(expression: str) -> str:
    """``expression`` (as PostgreSQL printed it) with the implicit coercions PostgreSQL would turn
    into different ones if they were written out left unwritten; unchanged when there are none
    or the text is not lexically simple (see :mod:`pgreconcile.normalize.lexical`)."""
    if "::text[])" not in expression:
        return expression
    runs = quoted_runs(expression)
    if runs is None:
        return expression
    literals: list[str] = []
    skeleton: list[str] = []
    for quoted, text in runs:
        if quoted and text.startswith("'"):
            skeleton.append(f"'\x00{len(literals)}'")
            literals.append(text)
        else:
            skeleton.append(text)
    rewritten = _VARCHAR_ARRAY.sub(lambda m: f"{m.group(1)} (ARRAY[{m.group(2)}])", "".join(skeleton))
    return re.sub(r"'\x00(\d+)'", lambda m: literals[int(m.group(1))], rewritten)
