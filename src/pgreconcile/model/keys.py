"""Object keys: the names the ordering graph uses for the things changes need, create and remove.

``table:public.profiles``, ``column:public.profiles.id``, ``constraint:public.profiles.profiles_pkey``,
``index:public.profiles_created_at_idx``, ``type:public.user_role``, ``extension:pgcrypto``,
``schema:public``, ``policy:public.profiles.profiles_policy``.
"""

from __future__ import annotations


def schema_key(name: str) -> str:
    return f"schema:{name}"


def extension_key(name: str) -> str:
    return f"extension:{name}"


def type_key(schema: str, name: str) -> str:
    return f"type:{schema}.{name}"


def collation_key(schema: str, name: str) -> str:
    return f"collation:{schema}.{name}"


def ts_config_key(schema: str, name: str) -> str:
    return f"text search configuration:{schema}.{name}"


def ts_config_name_key(name: str) -> str:
    """A configuration by its name alone: what an expression naming one without its schema
    (``to_tsvector('english_nostop', body)``, resolved on the search_path) needs."""
    return f"text search configuration name:{name}"


def ts_dictionary_key(schema: str, name: str) -> str:
    return f"text search dictionary:{schema}.{name}"


def operator_key(schema: str, name: str, left: str | None, right: str) -> str:
    """Operators are named by their symbol and operand types (``operator:public.||++(text,text)``;
    a prefix operator's left operand is ``NONE``)."""
    return f"operator:{schema}.{name}({left or 'NONE'},{right})"


def cast_key(source: str, target: str) -> str:
    """Casts belong to no schema: named by their source and target types (``cast:(text AS
    public.code)``)."""
    return f"cast:({source} AS {target})"


def table_key(schema: str, name: str) -> str:
    return f"table:{schema}.{name}"


def column_key(schema: str, table: str, column: str) -> str:
    return f"column:{schema}.{table}.{column}"


def constraint_key(schema: str, table: str, name: str) -> str:
    return f"constraint:{schema}.{table}.{name}"


def index_key(schema: str, name: str) -> str:
    # Index names are unique per schema, not per table.
    return f"index:{schema}.{name}"


def policy_key(schema: str, table: str, name: str) -> str:
    # Policy names are unique per table.
    return f"policy:{schema}.{table}.{name}"


def view_key(schema: str, name: str) -> str:
    return f"view:{schema}.{name}"


def matview_key(schema: str, name: str) -> str:
    return f"materialized view:{schema}.{name}"


def function_key(schema: str, name: str, arg_types: tuple[str, ...]) -> str:
    """Functions, procedures and aggregates share pg_proc: one name space, keyed by the
    canonical input argument types (``function:public.note_count(uuid)``)."""
    return f"function:{schema}.{name}({','.join(arg_types)})"


def function_name_key(name: str) -> str:
    """[routines] A function by bare name, which an expression calling it needs (a call names no
    argument types): ``function-name:touch``. Created and removed with every function of that name."""
    return f"function-name:{name.lower()}"


def trigger_key(schema: str, table: str, name: str) -> str:
    # Trigger names are unique per table.
    return f"trigger:{schema}.{table}.{name}"


def statistics_key(schema: str, name: str) -> str:
    # Extended statistics names are unique per schema, like indexes.
    return f"statistics:{schema}.{name}"


def rule_key(schema: str, table: str, name: str) -> str:
    # Rule names are unique per table.
    return f"rule:{schema}.{table}.{name}"


def sequence_key(schema: str, name: str) -> str:
    return f"sequence:{schema}.{name}"


def owner_key(key: str) -> str:
    """What an owner change on the object ``key`` creates: its new owner, which linking a
    sequence to a column waits for (both must have the same owner then)."""
    return f"{key}#owner"


def publication_key(name: str) -> str:
    return f"publication:{name}"


def subscription_key(name: str) -> str:
    return f"subscription:{name}"


def unmanaged_key(kind: str, schema: str, name: str) -> str:
    """The key of an object of a kind the model does not manage (``view:public.v``)."""
    return f"{kind}:{schema}.{name}"


def foreign_wrapper_key(name: str) -> str:
    return f"foreign data wrapper:{name}"


def foreign_server_key(name: str) -> str:
    return f"server:{name}"


def user_mapping_key(server: str, user: str) -> str:
    return f"user mapping:{user}@{server}"


def role_key(name: str) -> str:
    """A role (server-wide), as plans and the ordering graph name it: ``role:reader``."""
    return f"role:{name}"
