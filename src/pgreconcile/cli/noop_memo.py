"""A no-op plan, remembered: the same declarations against the same catalog plan nothing again.

``reconcile plan`` runs on every pull request and, across a fleet, once per database; most runs
find nothing to do. A plan that finds nothing — no step, no refusal, nothing said on stderr —
is remembered in the declaration cache (:mod:`pgreconcile.cache`) under a key made of every
input of a plan but the catalog: the declarations' own cache key (their bytes, the load's
options and pgreconcile's code), the settings, the plan options, the target's URL and its user
schemas. With the plan go a digest of every row the catalog read returned
(:meth:`pgreconcile.catalog.reader.Fetched.digest`) and the database's identity.

The next plan under that key reads the catalog as always — the same queries in one snapshot —
and when the digest and the database are the same, it shows the remembered plan instead of
loading the declarations, building the live model and comparing the two: the comparison is a
function of exactly those inputs, so it cannot answer otherwise. One changed catalog row plans
as usual. Only the views of ``reconcile plan`` that keep nothing use it: a saved or JSON plan,
``apply`` and ``fleet`` always plan in full. ``RECONCILE_NOOP_MEMO=off`` turns it off alone,
``RECONCILE_CACHE_DIR=off`` with the declaration cache.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pgreconcile import cache

if TYPE_CHECKING:
    from pgreconcile.cli.settings import Settings
    from pgreconcile.plan import Plan
    from pgreconcile.plan.model import Database


#: ``off`` plans every time in full (the declaration cache stays on).
MEMO_ENV = "RECONCILE_NOOP_MEMO"


def enabled() -> bool:
    """Whether no-op plans are remembered (and recalled) in this run."""
    return os.environ.get(MEMO_ENV, "").strip().lower() != "off"


@dataclass(frozen=True)
class Remembered:
    """A no-op plan and what it was planned against."""

    digest: str
    database: Database
    plan: Plan


def memo_key(declarations: str, settings: Settings, url: str, options: tuple[object, ...],
             schemas: tuple[str, ...]) -> str:
    """The key of a plan's inputs other than the catalog rows (see the module's docstring)."""
    digest = hashlib.sha256(b"no-op plan\0")
    # The settings' repr holds the config, the schema directory as given (the plan names it),
    # the timeouts and the ignore patterns; the URL may hold a password: it is only hashed.
    for part in (declarations, repr(settings), url, repr(options), repr(schemas)):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def recall(key: str) -> Remembered | None:
    """The plan remembered under ``key``, if any."""
    value = cache.lookup(key)
    return value if isinstance(value, Remembered) else None


def remember(key: str, digest: str, database: Database, plan: Plan) -> None:
    """Keep a no-op ``plan`` under ``key`` (written when the command ends, as every entry)."""
    if plan.steps or plan.refusals:
        raise ValueError("only a plan with nothing to do is remembered")
    cache.store_later(key, Remembered(digest, database, plan))
