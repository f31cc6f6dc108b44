"""The language of casts: ``schemas.<s>.casts.<source AS target>`` (resolved in
:mod:`pgreconcile.declare.build.casts`)."""

from __future__ import annotations

from typing import Literal

from pgreconcile.declare.spec.base import Spec


class CastSpec(Spec):
    """``"mood AS text": {function: mood_text}``, ``{inout: true, context: assignment}`` or
    ``{binary: true}``: how the cast converts — one of ``function`` (a function written alone is
    this schema's when the declarations declare one of that name here, else pg_catalog's; its
    argument types the source type unless written: ``mood_text(mood, integer)``), ``inout`` and
    ``binary`` — and when it applies (``explicit``, the default, ``assignment`` or ``implicit``)."""

    empty_hint = "a cast needs how it converts: `{function: my_function}`, `{inout: true}` or `{binary: true}`"
    function: str | None = None
    inout: bool = False
    binary: bool = False
    context: Literal["explicit", "assignment", "implicit"] = "explicit"
    comment: str | None = None
