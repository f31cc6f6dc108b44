"""Schemas that belong to a platform (Supabase, PostGIS, pg_cron …), not to the project.

They are never inspected or managed by default; SQL desired-state files may refer to them, and
get stubs of their tables and functions in the scratch database (:mod:`pgreconcile.declare.sql.stubs`).
"""

from __future__ import annotations

PLATFORM_SCHEMAS = frozenset(
    """auth storage extensions graphql graphql_public realtime supabase_functions supabase_migrations
    vault pgsodium pgsodium_masks net cron pgbouncer topology tiger tiger_data""".split()
)
