"""The language of operators: ``schemas.<s>.operators.<symbol(left, right)>`` (resolved in
:mod:`pgreconcile.declare.build.operators`)."""

from __future__ import annotations

from pgreconcile.declare.spec.base import Spec


class OperatorSpec(Spec):
    """``"||++(text, text)": {function: nonull_append_strings, commutator: "||+++", hashes: true}``:
    the function the operator calls and its optional attributes. A function written alone is
    this schema's when the declarations declare one of that name here, else pg_catalog's; a
    commutator or negator written alone is this schema's operator (as in ``CREATE OPERATOR``);
    an estimator written alone is pg_catalog's (``eqsel``, ``eqjoinsel``)."""

    empty_hint = "an operator needs its function: `{function: my_function}`"
    function: str
    commutator: str | None = None
    negator: str | None = None
    restrict: str | None = None
    join: str | None = None
    hashes: bool = False
    merges: bool = False
    comment: str | None = None
    owner: str | None = None  # compared only when written
