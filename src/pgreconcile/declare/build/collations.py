"""Declared collations → model objects, each checked for what CREATE COLLATION needs."""

from __future__ import annotations

from collections.abc import Sequence

from pgreconcile.declare.build.collect import schema_entries
from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.collations import CollationSpec
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.collations import Collation
from pgreconcile.model.origin import Origin


def build_collations(documents: Sequence[Document], problems: Problems) -> dict[tuple[str, str], Collation]:
    """Every declared collation by (schema, name)."""
    found: dict[tuple[str, str], Collation] = {}
    for schema, name, coll, origin in schema_entries(documents, "collations"):
        what = f"collation {schema}.{name}"
        if (schema, name) in found:
            problems.at(origin, f"{what} is declared twice: at {found[(schema, name)].origin} and at {origin}")
            continue
        made = _collation(schema, name, coll, origin, what, problems)
        if made is not None:
            found[(schema, name)] = made
    return dict(sorted(found.items()))


def _collation(
    schema: str, name: str, spec: CollationSpec, origin: Origin, what: str, problems: Problems
) -> Collation | None:
    if spec.rules is not None and spec.provider != "icu":
        problems.at(origin, f"{what}: `rules` are ICU tailoring rules", "use provider: icu, or remove rules")
        return None
    if spec.provider == "libc":
        collate = spec.lc_collate or spec.locale
        ctype = spec.lc_ctype or spec.locale
        if collate is None or ctype is None:
            problems.at(origin, f"{what}: a libc collation needs `locale` (or both `lc_collate` and `lc_ctype`)",
                        "write `locale: en_US.utf8`")
            return None
        if not spec.deterministic:
            problems.at(origin, f"{what}: only an ICU collation can be nondeterministic", "use provider: icu")
            return None
        # Stored as its two parts, as the catalog has it: `locale` is shorthand for both.
        return Collation(schema, name, "libc", None, collate, ctype, spec.deterministic, None, spec.comment, origin)
    if spec.locale is None or spec.lc_collate is not None or spec.lc_ctype is not None:
        problems.at(origin, f"{what}: an {spec.provider} collation takes `locale` (not lc_collate / lc_ctype)",
                    "write `locale: und-u-ks-level2`")
        return None
    return Collation(schema, name, spec.provider, spec.locale, None, None, spec.deterministic, spec.rules,
                     spec.comment, origin)
