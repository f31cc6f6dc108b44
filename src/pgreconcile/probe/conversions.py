"""Which values a type conversion rejects, as SQL predicates that never raise.

``ALTER COLUMN … TYPE`` fails on the first value it cannot convert, so the plan counts those
values first. A plain ``SELECT`` cannot catch a failed cast row by row, so each check is a
predicate that is true exactly for the values that convert:

* from a string type on PostgreSQL 16 and later: ``pg_input_is_valid(value::text, 'type')``,
  the type's own input function without the error — exact, because a cast from a string type
  *is* that input function;
* from a string type on PostgreSQL 15: the input rules of the common targets written out (uuid,
  the integer types, numeric, boolean; date and timestamps in their ISO 8601 form, where any
  other form is *unsure* rather than guessed);
* between number types, on any version: the range (and rounding) rules of the cast;
* to an enum: membership in its declared labels; to ``varchar(n)``: the length rule.

Anything else gets no check, and the plan says "not measured" rather than guess. Every
predicate is checked against the real casts of a real server in tests/probe/.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.normalize.types import base_of, is_array, user_type_ref
from pgreconcile.plan.facts import FactKind
from pgreconcile.quoting import literal

STRING_TYPES = frozenset({"text", "character varying", "character"})
INTEGER_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}
FLOAT_TYPES = frozenset({"real", "double precision"})
NUMBER_TYPES = frozenset({*INTEGER_RANGES, "numeric", *FLOAT_TYPES})
DATE_TIMES = frozenset({"timestamp without time zone", "timestamp with time zone"})
FIRST_WITH_INPUT_CHECK = 160000  # pg_input_is_valid() arrived in PostgreSQL 16


@dataclass(frozen=True)
class Check:
    """How to count the values a conversion rejects.

    ``valid`` and ``unsure`` are SQL conditions over one non-NULL value; a value is rejected
    when neither holds. ``unsure`` (or None) marks values the check cannot decide, counted
    apart. ``converted`` is the value in the new type, NULL where it would not convert, for
    probes that look at the converted column (duplicates, orphans)."""

    kind: FactKind
    valid: str
    noun: str
    converted: str
    unsure: str | None = None


def _is_string(type_text: str) -> bool:
    if is_array(type_text):
        return False
    ref = user_type_ref(type_text)
    return base_of(type_text) in STRING_TYPES or (ref is not None and ref[1] == "citext")


def _length_limit(type_text: str) -> int | None:
    """n of ``character varying(n)`` / ``character(n)``, else None."""
    if is_array(type_text) or base_of(type_text) not in ("character varying", "character"):
        return None
    digits = type_text[type_text.find("(") + 1 : type_text.find(")")] if "(" in type_text else ""
    return int(digits) if digits.isdigit() else None


def _numeric_modifiers(type_text: str) -> tuple[int, int] | None:
    """(precision, scale) of ``numeric(p[,s])``, else None."""
    if "(" not in type_text:
        return None
    parts = [p.strip() for p in type_text[type_text.find("(") + 1 : type_text.find(")")].split(",")]
    if not all(p.lstrip("-").isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0


def _guarded(valid: str, value: str, target: str, unsure: str | None = None) -> str:
    """The value cast to ``target`` where it converts, NULL where it would not (unsure values
    are cast: if one fails, the probe that reads it fails and says "not measured")."""
    condition = f"({valid}) OR ({unsure})" if unsure else valid
    return f"CASE WHEN {condition} THEN ({value})::{target} END"


def _regex(text: str, pattern: str, *, case_insensitive: bool = False) -> str:
    return f"{text} {'~*' if case_insensitive else '~'} {literal(pattern)}"


def _when(condition: str, then: str) -> str:
    """``then`` evaluated only where ``condition`` holds (CASE fixes the order; AND does not),
    false elsewhere — so a cast in ``then`` only ever sees text the condition vetted."""
    return f"CASE WHEN {condition} THEN {then} ELSE false END"


# --- from strings, PostgreSQL 15 -------------------------------------------------------------

_SPACE = r"\s*"
# uuid_in: optional braces, 32 hex digits, a hyphen allowed after any group of four. PostgreSQL's
# regex engine is slow on long runs of counted classes (~5 µs a value), so the usual spellings —
# canonical 8-4-4-4-12 and 32 bare digits — are recognised by cheaper means first and only the
# rest goes through the full pattern.
_UUID = r"^([0-9a-f]{4}(-?[0-9a-f]{4}){7}|\{[0-9a-f]{4}(-?[0-9a-f]{4}){7}\})$"
_HEX_OR_HYPHEN = r"^[0-9a-fA-F-]+$"
_CANONICAL_UUID = "________-____-____-____-____________"
_INTEGER = rf"^{_SPACE}[+-]?[0-9]+{_SPACE}$"
_NUMBER = rf"^{_SPACE}[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?{_SPACE}$"
_NUMBER_SPECIAL = rf"^{_SPACE}(nan|[+-]?inf(inity)?){_SPACE}$"
_EXPONENT = r"[eE]([+-]?[0-9]+)"
# boolin: after trimming, any prefix of true/false/yes/no, on, off (two letters at least), 1, 0.
_BOOLEAN = rf"^{_SPACE}(t|tr|tru|true|f|fa|fal|fals|false|y|ye|yes|n|no|on|of|off|1|0){_SPACE}$"
# Dates and timestamps are decided in their ISO 8601 spellings only, at fixed positions:
# YYYY-MM-DD, then [ T]HH:MM[:SS[.fraction]], then Z / ±HH / ±HH:MM / ±HHMM.
_D2 = "[0-9][0-9]"
_ISO_DATE = rf"^{_D2}{_D2}-{_D2}-{_D2}$"
_ISO_TIMESTAMP = rf"^{_D2}{_D2}-{_D2}-{_D2}(?:[ T]{_D2}:{_D2}(?::{_D2}(?:\.[0-9]+)?)?(?:[zZ]|[+-]{_D2}(?::?{_D2})?)?)?$"


def _uuid_text(text: str) -> str:
    canonical = (
        f"octet_length({text}) = 36 AND {text} LIKE {literal(_CANONICAL_UUID)} "
        f"AND {_regex(text, _HEX_OR_HYPHEN)} AND octet_length(replace({text}, '-', '')) = 32"
    )
    bare = f"octet_length({text}) = 32 AND {_regex(text, _HEX_OR_HYPHEN)} AND strpos({text}, '-') = 0"
    exact = _regex(text, _UUID, case_insensitive=True)
    return f"CASE WHEN {canonical} THEN true WHEN {bare} THEN true ELSE {exact} END"


def _integer_text(text: str, target: str) -> str:
    low, high = INTEGER_RANGES[target]
    return _when(_regex(text, _INTEGER), f"({text})::numeric BETWEEN {low} AND {high}")


def _numeric_text(text: str, target: str) -> tuple[str, str | None] | None:
    """numeric_in's grammar written out: the numeral, NaN and the infinities (as float8in spells
    them). Numerals with an exponent beyond ±1000 or over 1,000 characters are unsure: the input
    function's own limits on weight and scale are left to it."""
    fits = _fits_numeric(f"({text})::numeric", target)
    if fits is None:
        return None
    special = _regex(text, _NUMBER_SPECIAL, case_insensitive=True)
    exponent = f"coalesce(abs((substring({text} from {literal(_EXPONENT)}))::numeric), 0)"
    numeral = _regex(text, _NUMBER)
    modest = f"length({text}) <= 1000 AND {exponent} <= 1000"
    valid = (
        f"CASE WHEN {special} THEN {_special_fits(text, target)} "
        f"WHEN {numeral} THEN CASE WHEN {modest} THEN {fits} ELSE false END ELSE false END"
    )
    unsure = _when(numeral, f"NOT ({modest})")
    return valid, unsure


def _special_fits(text: str, target: str) -> str:
    """NaN fits any numeric; an infinity fits only numeric without a precision."""
    if _numeric_modifiers(target) is None:
        return "true"
    return _regex(text, r"nan", case_insensitive=True)


def _fits_numeric(number: str, target: str) -> str | None:
    """Whether a numeric value fits ``target`` (numeric or numeric(p,s)): rounded to s
    decimals, fewer than p - s digits before the point; NaN always fits, an infinity never
    fits a precision. None for scales outside 0..p (negative or larger scales, PostgreSQL 15+)."""
    modifiers = _numeric_modifiers(target)
    if modifiers is None:
        return "true"
    precision, scale = modifiers
    if not 0 <= scale <= precision:
        return None
    return f"({number} = 'NaN'::numeric OR abs(round({number}, {scale})) < {10 ** (precision - scale)})"


def _days_in_month(year: str, month: str) -> str:
    leap = f"(({year}) % 4 = 0 AND (({year}) % 100 <> 0 OR ({year}) % 400 = 0))"
    return (
        f"CASE WHEN ({month}) = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END "
        f"WHEN ({month}) IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    )


def _digits(text: str, start: int, count: int) -> str:
    return f"substr({text}, {start}, {count})::integer"


def _datetime_text(text: str, target: str) -> tuple[str, str]:
    """Dates and timestamps in ISO 8601 form (``2024-02-29``, ``2024-02-29 13:45:00.5+02``) are
    decided exactly; any other form PostgreSQL might accept (``Feb 29 2024``, ``epoch``, with
    surrounding blanks) is unsure, never guessed. So are the edge values that PostgreSQL treats
    specially: year 0, hour 24, second 60, and zone offsets beyond ±14 hours. The fields are read
    at fixed positions (the shape was checked first), which is far cheaper than regex captures."""
    shaped = _regex(text, _ISO_DATE if target == "date" else _ISO_TIMESTAMP)
    year, month, day = _digits(text, 1, 4), _digits(text, 6, 2), _digits(text, 9, 2)
    calendar = f"{month} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND {_days_in_month(year, month)}"
    if target == "date":
        return _when(shaped, f"{year} > 0 AND {calendar}"), f"CASE WHEN {shaped} THEN {year} = 0 ELSE true END"
    timed = f"length({text}) > 10"
    hour = f"CASE WHEN {timed} THEN {_digits(text, 12, 2)} ELSE 0 END"
    minute = f"CASE WHEN {timed} THEN {_digits(text, 15, 2)} ELSE 0 END"
    second = f"CASE WHEN {timed} AND substr({text}, 17, 1) = ':' THEN {_digits(text, 18, 2)} ELSE 0 END"
    # The zone is the tail: ±HH:MM, ±HHMM or ±HH (signs appear nowhere else in the shape).
    sign = "IN ('+', '-')"
    tail = f"right({text}, 6)"
    zone_hour = (
        f"CASE WHEN NOT ({timed}) THEN 0 "
        f"WHEN left({tail}, 1) {sign} AND substr({tail}, 4, 1) = ':' THEN substr({tail}, 2, 2)::integer "
        f"WHEN left(right({text}, 5), 1) {sign} THEN substr(right({text}, 5), 2, 2)::integer "
        f"WHEN left(right({text}, 3), 1) {sign} THEN right({text}, 2)::integer ELSE 0 END"
    )
    zone_minute = (
        f"CASE WHEN NOT ({timed}) THEN 0 "
        f"WHEN left({tail}, 1) {sign} AND substr({tail}, 4, 1) = ':' THEN right({text}, 2)::integer "
        f"WHEN left(right({text}, 5), 1) {sign} THEN right({text}, 2)::integer ELSE 0 END"
    )
    clock = (
        f"{hour} <= 23 AND {minute} <= 59 AND {second} <= 59 AND ({zone_hour}) <= 14 AND ({zone_minute}) <= 59"
    )
    edge = f"{year} = 0 OR {hour} = 24 OR {second} = 60 OR ({zone_hour}) > 14"
    return _when(shaped, f"{year} > 0 AND {calendar} AND {clock}"), f"CASE WHEN {shaped} THEN {edge} ELSE true END"


def _from_text_15(text: str, target: str) -> tuple[str, str | None] | None:
    """(valid, unsure) for a string value converted to ``target`` on PostgreSQL 15, or None."""
    base = base_of(target)
    if target == "uuid":
        return _uuid_text(text), None
    if target in INTEGER_RANGES:
        return _integer_text(text, target), None
    if base == "numeric":
        return _numeric_text(text, target)
    if target == "boolean":
        return _regex(text, _BOOLEAN, case_insensitive=True), None
    if base in ("date", "timestamp without time zone", "timestamp with time zone"):
        return _datetime_text(text, base)
    return None


# --- between numbers -------------------------------------------------------------------------


def _between_numbers(value: str, source: str, target: str) -> str | None:
    """Exact range checks of the casts between number types, or None."""
    if target in INTEGER_RANGES:
        low, high = INTEGER_RANGES[target]
        if source in INTEGER_RANGES:
            return f"{value} BETWEEN {low} AND {high}"
        if source == "numeric":
            # numeric → integer rounds half away from zero; NaN and infinities compare outside
            # any range, as the cast rejects them.
            return f"round({value}) BETWEEN {low} AND {high}"
        # float → integer rounds half to even (round(float8) is rint()), then requires
        # -2^n <= x < 2^n, both bounds exact in double precision; NaN fails one of the two.
        rounded = f"round(({value})::double precision)"
        return f"{rounded} >= {low}::double precision AND {rounded} < {high + 1}::double precision"
    if base_of(target) == "numeric":
        return _fits_numeric(f"({value})::numeric", target)
    return None


# --- the check for one column ----------------------------------------------------------------


def check_for(value: str, old: str, new: str, *, server_version: int, labels: tuple[str, ...] | None) -> Check | str:
    """The check for converting ``value`` (SQL of a column of type ``old``) to ``new``, or the
    reason there is none. ``labels``: the new enum's labels, when ``new`` is an enum."""
    if is_array(old) or is_array(new):
        return "array conversions are not probed"
    text = f"({value})::text"
    if labels is not None:
        choices = ", ".join(literal(label) for label in labels)
        valid = f"{text} = ANY (ARRAY[{choices}]::text[])"
        return Check(FactKind.NOT_LABELS, valid, f"are not labels of {new}", f"CASE WHEN {valid} THEN {text} END")
    limit = _length_limit(new)
    if limit is not None:
        # Trailing spaces beyond the limit are cut, not refused (SQL standard), so only the
        # length without them counts.
        valid = f"char_length(rtrim({text}, ' ')) <= {limit}"
        return Check(FactKind.TOO_LONG, valid, f"are longer than {limit:,} characters", f"({value})::{new}")
    noun = "are not uuids" if new == "uuid" else f"do not convert to {new}"
    source = base_of(old)
    if _is_string(old):
        if server_version >= FIRST_WITH_INPUT_CHECK:
            valid = f"pg_input_is_valid({text}, {literal(new)})"
            return Check(FactKind.NOT_CONVERTED, valid, noun, _guarded(valid, value, new))
        decided = _from_text_15(text, new)
        if decided is None:
            major = server_version // 10000
            return f"no exact check for {old} → {new} before PostgreSQL 16 (this server is {major})"
        valid, unsure = decided
        return Check(FactKind.NOT_CONVERTED, valid, noun, _guarded(valid, value, new, unsure), unsure)
    if source in NUMBER_TYPES:
        ranged = _between_numbers(value, source, new)
        if ranged is not None:
            return Check(FactKind.NOT_CONVERTED, ranged, noun, _guarded(ranged, value, new))
    if source in DATE_TIMES and base_of(new) == "date":
        # Every timestamp (the infinities too) has a date: the cast never fails, it only drops
        # the time of day (counted by the probe of changed values).
        return Check(FactKind.NOT_CONVERTED, "true", noun, f"({value})::date")
    return f"no exact check for {old} → {new}"


def changed_check(value: str, old: str, new: str, check: Check) -> str:
    """Condition: the non-NULL ``value`` converts (per ``check``) but to something else than it
    was — rounded to fewer digits, or a timestamp cut to its date. Read back in the old type
    (``(value::new)::old``), which is how a reviewer would see the loss."""
    return f"CASE WHEN {check.valid} THEN (({value})::{new})::{old} <> ({value}) ELSE false END"
