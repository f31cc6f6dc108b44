"""The language of collations: ``schemas.<s>.collations.<name>`` (resolved in
:mod:`pgreconcile.declare.build.collations`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator

from pgreconcile.declare.spec.base import Spec, words


class CollationSpec(Spec):
    """``case_insensitive: {provider: icu, locale: und-u-ks-level2, deterministic: false}`` or a
    libc one, ``{locale: C}`` / ``{lc_collate: C, lc_ctype: en_US.utf8}``."""

    empty_hint = "a collation needs a locale: `{provider: icu, locale: und-u-ks-level2}`"
    provider: Annotated[Literal["libc", "icu", "builtin"], BeforeValidator(words)] = "libc"
    locale: str | None = None
    lc_collate: str | None = None
    lc_ctype: str | None = None
    deterministic: bool = True
    rules: str | None = None  # ICU tailoring rules, PostgreSQL 16+
    comment: str | None = None
