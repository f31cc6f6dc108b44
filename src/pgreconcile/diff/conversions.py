"""How existing rows change type: a declared ``convert:`` block, a conversion that cannot lose
data, or a refusal that names the column and the choices.

PostgreSQL's own cast (``ALTER COLUMN … TYPE t``) is used without further ado where it cannot
fail or change a value (int → bigint, varchar(n) → text, timestamp → timestamptz read as UTC,
enum → text, …). Where its only risk is a value that does not convert (a narrower varchar,
text → integer, bigint → integer, a domain whose checks the values must pass) or that it rounds
(numeric → integer, timestamptz → date), the change is *probe-proven*: planned without
``convert:``, and the plan is refused unless the data probe measured every value (see
``plan/proven.py``). Anything else needs a ``convert:`` block and is refused while planning, with
the ways out spelled in the message.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff import costs
from pgreconcile.diff.enum_rebuild import relabel_expression
from pgreconcile.model import Column, Conversion, Schema, Table
from pgreconcile.normalize.types import base_of, user_type_ref
from pgreconcile.quoting import ident

# Targets for which a guarded conversion (on_invalid: null) can test every value first.
GUARDED_TARGETS = frozenset({"uuid", "smallint", "integer", "bigint", "numeric", "boolean"})
TEXTUAL = frozenset({"text", "character varying", "character"})
INTEGERS = frozenset({"smallint", "integer", "bigint"})
_NUMBERS = INTEGERS | {"numeric", "double precision", "real"}
_TIMESTAMPS = frozenset({"timestamp without time zone", "timestamp with time zone"})

ColumnRef = tuple[str, str, str]


@dataclass(frozen=True)
class Decision:
    """What a type change does with the existing rows (or why it cannot be planned)."""

    conversion: Conversion | None = None
    # regenerate: the child foreign-key columns whose values are rewritten to the new uuids.
    children: tuple[ColumnRef, ...] = ()
    # A child column of a regenerated key: converted through the parent's new values.
    parent: ColumnRef | None = None
    refusal: str | None = None
    # No `convert:`: PostgreSQL's cast, planned only if the probe proves every value converts.
    probed: bool = False
    # Probe-proven too, between two types PostgreSQL has no cast for (one enum to another): the
    # values go through their text (``col::text::new``), which fails on a value that is not a label.
    via_text: bool = False
    # No cast at all (bigint → timestamp): planned only when the probe finds no value but NULL,
    # each of which stays NULL; a value written since makes the apply fail (ddl/conversions.py).
    nulls_only: bool = False


class ConversionPlanner:
    """Decides the conversion of every retyped column of one plan."""

    def __init__(self, desired: Schema, live: Schema) -> None:
        self.desired = desired
        self.live = live
        self.parents: dict[ColumnRef, ColumnRef] = {}
        for (schema, name), table in live.tables.items():
            for fk in table.foreign_keys:
                for col, ref in zip(fk.columns, fk.ref_columns, strict=True):
                    self.parents[(schema, name, col)] = (fk.ref_schema, fk.ref_table, ref)

    def _regenerated(self, ref: ColumnRef) -> bool:
        table = self.desired.tables.get(ref[:2])
        col = table.column(ref[2]) if table else None
        return bool(col and col.convert and col.convert.regenerate)

    def decide(self, table: Table, old: Column, new: Column) -> Decision:
        """The conversion of ``old`` into ``new`` (types differ) in the desired ``table``."""
        where = f"column {table.qualified}.{new.name} ({old.type} → {new.type})"
        before, after = base_of(old.type), base_of(new.type)
        conv = new.convert
        relabel = self._relabel(old, new)
        if relabel is not None:
            return Decision(conversion=relabel)
        if conv is None:
            parent = self.parents.get((table.schema, table.name, old.name))
            if parent is not None and self._regenerated(parent) and after == "uuid" and before in INTEGERS:
                return Decision(parent=parent)
            if self._safe(old.type, new.type):
                return Decision()
            if self._provable(old.type, new.type):
                return Decision(probed=True)
            if self._enum_to_enum(old.type, new.type):
                return Decision(probed=True, via_text=True)
            # Nothing converts a value; a column of NULLs (or none) loses nothing. The probe
            # counts the other values, and the refusal that names them gives the choices.
            return Decision(probed=True, nulls_only=True)
        if conv.regenerate:
            return self._regenerate(table, old, new, where)
        if conv.on_invalid == "null" and not _testable(old.type, new.type):
            return Decision(
                refusal=f"{where}: `on_invalid` can test values for {', '.join(sorted(GUARDED_TARGETS))}; "
                'for other types write `convert: {using: "…"}`'
            )
        if conv.time_zone is not None and {before, after} != _TIMESTAMPS:
            return Decision(refusal=f"{where}: `time_zone` converts between timestamp and timestamptz only")
        if conv.from_unit is not None and (before not in _NUMBERS or after not in _TIMESTAMPS):
            return Decision(refusal=f"{where}: `from: {conv.from_unit}` converts a number to a timestamp only")
        return Decision(conversion=conv)

    def _regenerate(self, table: Table, old: Column, new: Column, where: str) -> Decision:
        pk = table.primary_key
        if base_of(old.type) not in INTEGERS or base_of(new.type) != "uuid" or pk is None or pk.columns != (new.name,):
            return Decision(
                refusal=f"{where}: `convert: regenerate` turns an integer primary key into uuid; "
                "this column is not one"
            )
        children: list[ColumnRef] = []
        for child, parent in sorted(self.parents.items()):
            if parent != (table.schema, table.name, old.name) or child == parent:
                continue  # (a self-referencing column of the same table follows like any other)
            declared = self.desired.tables.get(child[:2])
            col = declared.column(child[2]) if declared else None
            if col is None or base_of(col.type) != "uuid":
                return Decision(
                    refusal=f"{where}: `convert: regenerate` gives every row a new uuid, but "
                    f"{'.'.join(child)} references it and is not declared uuid; declare it uuid so its "
                    "values follow (or drop the foreign key first)"
                )
            children.append(child)
        return Decision(conversion=new.convert, children=tuple(children))

    def _safe(self, old: str, new: str) -> bool:
        """Whether PostgreSQL's own cast cannot fail and cannot change a value."""
        # [constraints-types] a domain back to its base type. (A domain over the old type has
        # checks the values must pass: that is probe-proven, see _provable.)
        if self._domain_base(old) == new:
            return True
        if costs.lossy(old, new):
            return False
        if not costs.may_fail(old, new):
            return True
        old_enum, new_enum = self._enum(old), self._enum(new)
        if old_enum and base_of(new) in TEXTUAL and not new.endswith("[]"):
            return "(" not in new  # enum → text; a varchar(n) limit could cut a label
        # text → enum: fails on a value that is not a label; the probe of the plan counts them.
        return bool(new_enum and base_of(old) in TEXTUAL and not old.endswith("[]"))

    def _relabel(self, old: Column, new: Column) -> Conversion | None:
        """A column of an enum set aside for rebuilding (diff/renames.py) → the rebuilt enum:
        each value keeps its label, a removed label becomes its declared replacement (or NULL),
        and a removed label with no replacement cannot convert (the probe counts its rows)."""
        old_ref, new_ref = user_type_ref(old.type), user_type_ref(new.type)
        aside = self.live.enums.get(old_ref) if old_ref else None
        if aside is None or aside.renamed_from != new_ref or old.type.endswith("[]") != new.type.endswith("[]"):
            return None
        declared = self.desired.enums.get(new_ref) if new_ref else None
        if declared is None:
            return None
        mapping = dict(aside.removed_values)
        removed = [v for v in aside.values if v not in declared.values]
        relabel = tuple((v, mapping[v]) for v in removed if v in mapping)
        unmapped = tuple(v for v in removed if v not in mapping)
        using = relabel_expression(ident(old.name), new.type, relabel)
        return Conversion(using=using, relabel=relabel, unmapped=unmapped)

    def _provable(self, old: str, new: str) -> bool:
        """Whether the data probe can count exactly the values PostgreSQL's cast rejects or
        changes, so that a measured zero proves the change safe on this data."""
        from pgreconcile.probe.conversions import Check, check_for  # the probes' own checks

        base = self._domain_base(new)
        if base is not None and (base == old or self._provable(old, base)):
            return True
        old_base = self._domain_base(old)
        if old_base is not None and base is not None and old_base == base:
            return True  # one domain to another over the same type: only the new checks can fail
        if not assignment_castable(old, new) and not _has_explicit_cast(old, new):
            return False
        check = check_for("v", old, new, server_version=_NEWEST, labels=None)
        return isinstance(check, Check)

    def _enum_to_enum(self, old: str, new: str) -> bool:
        """Whether ``old`` and ``new`` are two enums (not arrays of them). PostgreSQL casts one to
        the other only through text, by label; the probe counts the values that are not labels of
        the new enum (probe/conversions.py), so a measured zero proves the change."""
        if old.endswith("[]") or new.endswith("[]"):
            return False
        return self._enum(old) and self._enum(new)

    def leaves_domain(self, old: str, new: str) -> bool:
        """Whether ``old`` is a domain over exactly ``new``: its values are already ``new``
        values, so the change neither rewrites the table nor can fail. [constraints-types]"""
        return self._domain_base(old) == new

    def _domain_base(self, type_text: str) -> str | None:
        ref = user_type_ref(type_text)
        if ref is None or type_text.endswith("[]"):
            return None
        domain = self.desired.domains.get(ref) or self.live.domains.get(ref)
        return domain.type if domain else None

    def _enum(self, type_text: str) -> bool:
        ref = user_type_ref(type_text)
        return ref is not None and (ref in self.desired.enums or ref in self.live.enums)



def conversion_choices(new_type: str) -> str:
    """"declare one of: …": the ``convert:`` blocks that can convert values into ``new_type``."""
    target = base_of(new_type)
    options = [f'`convert: {{using: "<expression giving {new_type}>"}}`']
    if target in GUARDED_TARGETS:
        options.insert(0, "`convert: {on_invalid: null}` (values that do not convert become NULL)")
        options.insert(1, "`convert: {on_invalid: fail}` (PostgreSQL's cast; refused while any value fails)")
    if target in _TIMESTAMPS:
        options.insert(0, "`convert: {time_zone: UTC}` or `convert: {from: epoch_seconds}`")
    if target == "uuid":
        options.append("`convert: regenerate` (an integer primary key gets fresh uuids)")
    return "declare one of: " + "; ".join(options)


def assignment_castable(old: str, new: str) -> bool:
    """Whether ``ALTER COLUMN … TYPE new`` converts ``old`` without a USING clause.

    Without USING, PostgreSQL applies only an implicit or assignment cast; text → enum (and any
    pair outside these lists) has an explicit cast at most, so the bare statement cannot run."""
    if old.endswith("[]") != new.endswith("[]"):
        return False
    before, after = base_of(old), base_of(new)
    if before == after or after in TEXTUAL:
        return True  # a limit changes, or I/O conversion to a string type (assignment)
    return costs.assignment_pair(before, after)


def conversion_risks(decision: Decision, old: str, new: str) -> tuple[bool, bool]:
    """``(may fail, loses data)`` of a type change converted as decided."""
    conv = decision.conversion
    if decision.parent is not None:
        return False, False  # the values come from the regenerated key, all present
    if conv is None:
        return costs.may_fail(old, new), costs.lossy(old, new)
    if conv.regenerate or conv.time_zone is not None or conv.from_unit is not None:
        return False, False
    if conv.on_invalid == "null":
        return False, True  # never raises; values that do not convert become NULL
    return True, costs.lossy(old, new)  # `fail` and `using`: PostgreSQL's cast or the user's SQL


def _regenerated_key(ref: ColumnRef) -> str:
    return "regenerated:" + ".".join(ref)


def regenerate_needs(decision: Decision) -> frozenset[str]:
    """A column following a regenerated key converts after the key has new values."""
    return frozenset({_regenerated_key(decision.parent)}) if decision.parent else frozenset()


def regenerate_creates(decision: Decision, ref: ColumnRef) -> frozenset[str]:
    """The marker a regenerated key creates once its rows have their new values."""
    if decision.conversion is None or not decision.conversion.regenerate:
        return frozenset()
    return frozenset({_regenerated_key(ref)})


# Checks are looked up as on the newest servers; on an older one the probe may say "not
# measured", which refuses a probe-proven change with the way out.
_NEWEST = 160000


def _has_explicit_cast(old: str, new: str) -> bool:
    """Whether ``old::new`` exists: strings convert to anything through its input function,
    numbers to one another, date-times to date."""
    from pgreconcile.probe.conversions import NUMBER_TYPES, STRING_TYPES

    before, after = base_of(old), base_of(new)
    if before in STRING_TYPES:
        return True
    if before in NUMBER_TYPES and after in NUMBER_TYPES:
        return True
    return before in _TIMESTAMPS and after == "date"


def _testable(old: str, new: str) -> bool:
    """Whether a guarded conversion (``on_invalid: null``) can test every value of ``old`` for
    ``new`` exactly — with the probes' checks, which the guarded USING uses too."""
    if base_of(new) not in GUARDED_TARGETS:
        return False
    from pgreconcile.probe.conversions import Check, check_for  # only this block needs them

    return isinstance(check_for("v", old, new, server_version=150000, labels=None), Check)
