"""The Plan: ordered steps with their SQL, hazards and data facts — everything renderers show.

A Plan is plain data. Renderers (text, SQL, JSON, Markdown) only format what it holds, and a
saved plan is this object serialised, so what a reviewer read is exactly what apply runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pgreconcile import __version__
from pgreconcile.diff.changes import Action, Hazard
from pgreconcile.plan.facts import Fact

# 1.1 added scope, declarations and fingerprints (the saved-plan workflow), unmanaged objects
# the hazard "opens row access", and
# steps[].probes (typed data facts). 1.2 added database (which database the plan was made for)
# and concurrently (the planning option apply needs to re-derive the plan). 1.3 added the fact
# kind "values changed" (what a lossy type change rounds or cuts).
FORMAT_VERSION = "1.3"

#: The fingerprint of an object the plan touches that does not exist yet.
ABSENT = "absent"


class Phase(StrEnum):
    """When a step runs relative to the one transaction that holds most of the plan."""

    BEFORE = "before"  # committed on its own first: a new enum label cannot be used by the
    #                    transaction that adds it, so labels that other steps use go first
    MAIN = "main"  # inside the single transaction: all or nothing
    AFTER = "after"  # after the commit, one by one (CREATE INDEX CONCURRENTLY)


@dataclass(frozen=True)
class Step:
    """One change, ready to run: what it is (for people) and how (for the database)."""

    number: int
    action: Action
    kind: str
    key: str
    label: str
    statements: tuple[str, ...]
    table: str | None = None
    details: tuple[str, ...] = ()
    reason: str | None = None
    replaces: bool = False
    hazards: tuple[Hazard, ...] = ()
    facts: tuple[Fact, ...] = ()
    phase: Phase = Phase.MAIN
    # The statements as they run when ``statements`` (what is shown and saved) mask a secret
    # (a user mapping's password): kept in memory only, never rendered or written.
    secret_statements: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def transactional(self) -> bool:
        """Whether the step runs inside the plan's single transaction."""
        return self.phase is Phase.MAIN

    @property
    def subject(self) -> str:
        """What the step does, with its table when the label alone does not say it
        (``public.notes: column note text``; a table's own step names it already)."""
        return f"{self.table}: {self.label}" if self.table and self.kind != "table" else self.label

    @property
    def title(self) -> str:
        """How messages name the step: ``step 2 (+ public.notes: column note text)``."""
        return f"step {self.number} ({self.action.symbol} {self.subject})"


@dataclass(frozen=True)
class Summary:
    add: int
    change: int
    destroy: int

    @property
    def empty(self) -> bool:
        return not (self.add or self.change or self.destroy)


@dataclass(frozen=True)
class Scope:
    """Which live objects a plan speaks for: the managed schemas, minus the ``ignore`` patterns.
    Apply reads the catalog through the same scope to recompute fingerprints."""

    managed: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Declarations:
    """The declarations a plan was made from: where they were read, and a digest of what they
    said (after scoping), so that apply can tell whether they changed since."""

    schema_dir: str | None
    digest: str


@dataclass(frozen=True)
class Database:
    """Which database a plan was made for: the server's system identifier (from
    ``pg_control_system()``, unique per cluster ``initdb``), the database's name and oid. A
    saved plan applies only where all three match."""

    system_identifier: str
    name: str
    oid: int

    def describe(self) -> str:
        """``database tour (oid 16384) on server 7312…``, for messages."""
        return f"database {self.name} (oid {self.oid}) on server {self.system_identifier}"


@dataclass
class Plan:
    """Ordered steps plus where they came from and whether they may run."""

    source: str
    target: str
    steps: list[Step] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    # Objects in the managed schemas of kinds pgreconcile does not manage (views, functions,
    # triggers, …): never changed, listed so that a reviewer knows they exist.
    unmanaged: list[str] = field(default_factory=list)
    format_version: str = FORMAT_VERSION
    tool_version: str = __version__
    # Object key (``table:public.accounts``) → fingerprint of the live object when planned, or
    # ABSENT for an object the plan creates. Apply refuses when any of them changed.
    fingerprints: dict[str, str] = field(default_factory=dict)
    scope: Scope | None = None
    declarations: Declarations | None = None
    # The database the plan was read from (None for a plan made without one, e.g. in tests);
    # a saved plan is refused anywhere else.
    database: Database | None = None
    # Planning options apply needs to re-derive the same plan from the declarations.
    concurrently: bool = False

    @property
    def summary(self) -> Summary:
        """Counts as Terraform counts them: a re-create is one add and one destroy; a rename
        and an in-place update are changes."""
        add = sum(1 for s in self.steps if s.action is Action.CREATE)
        destroy = sum(1 for s in self.steps if s.action is Action.DESTROY)
        change = sum(1 for s in self.steps if s.action in (Action.UPDATE, Action.RENAME))
        return Summary(add, change, destroy)

    @property
    def has_changes(self) -> bool:
        return bool(self.steps)

    @property
    def destroys_data(self) -> bool:
        """Whether any step drops data; such a plan needs ``--allow-destroy`` to apply."""
        return any(Hazard.DROPS_DATA in s.hazards for s in self.steps)

    def in_phase(self, phase: Phase) -> list[Step]:
        """The steps that run in ``phase``, in plan order."""
        return [s for s in self.steps if s.phase is phase]

    def hazard_counts(self) -> dict[Hazard, int]:
        """How many steps carry each hazard, in the hazard enum's order."""
        counts = {h: sum(1 for s in self.steps if h in s.hazards) for h in Hazard}
        return {h: n for h, n in counts.items() if n}
