"""PostgreSQL 18 and a partitioned table's column type change when a partition holds the column's
NOT NULL under a name of its own: one that declared it (``PARTITION OF t (a NOT NULL)``, at any
level) fails the ALTER (55000, "cannot create not-null constraint"), one attached from a table
under its own name is renamed to the parent's. The plan detaches such partitions around the
change and attaches them again: apply succeeds, rows and names stay, the plan after shows no
change. Where the detour cannot be planned (a foreign key references the table), a retype that
would fail is refused while planning. Real server (18+), through the CLI with SQL files."""

from __future__ import annotations

from pathlib import Path

import psycopg

from conftest import not_null_constraint_names, run_sql, skip_below, sql_files_cli
from pgreconcile.cli.exitcodes import Exit

TABLES = """
CREATE TABLE public.kinds (k integer PRIMARY KEY);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE public.t (k integer NOT NULL REFERENCES public.kinds, a {type} NOT NULL DEFAULT 5, b text,
                       CONSTRAINT t_a_positive CHECK (a >= 0)) PARTITION BY RANGE (k);
CREATE INDEX t_a_idx ON public.t (a);
ALTER TABLE public.t ADD PRIMARY KEY (k, a);
CREATE TRIGGER t_touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TABLE public.p1 PARTITION OF public.t (a NOT NULL) FOR VALUES FROM (0) TO (10);
CREATE TABLE public.p2 PARTITION OF public.t (a CONSTRAINT p2_a_mine NOT NULL)
    FOR VALUES FROM (10) TO (20) PARTITION BY RANGE (k);
CREATE TABLE public.p2a PARTITION OF public.p2 (a CONSTRAINT p2a_a_own NOT NULL) FOR VALUES FROM (10) TO (15);
CREATE TABLE public.p2b PARTITION OF public.p2 FOR VALUES FROM (15) TO (20);
CREATE TABLE public.p3 PARTITION OF public.t FOR VALUES FROM (20) TO (30);
CREATE TABLE public.p4 (k integer NOT NULL, a {type} CONSTRAINT p4_a_kept NOT NULL DEFAULT 5, b text,
                        CONSTRAINT t_a_positive CHECK (a >= 0));
ALTER TABLE public.t ATTACH PARTITION public.p4 FOR VALUES FROM (30) TO (40);
CREATE TABLE public.pd PARTITION OF public.t DEFAULT;
CREATE TABLE public.u (k integer NOT NULL, c {type}) PARTITION BY RANGE (k);
CREATE TABLE public.u1 PARTITION OF public.u (c NOT NULL) FOR VALUES FROM (0) TO (10) PARTITION BY RANGE (k);
CREATE TABLE public.u1a PARTITION OF public.u1 (c CONSTRAINT u1a_c_own NOT NULL) FOR VALUES FROM (0) TO (5);
"""

ROWS = """
INSERT INTO public.kinds SELECT generate_series(0, 100);
INSERT INTO public.t SELECT i, i, 'r' || i FROM generate_series(0, 39) AS i;
INSERT INTO public.t VALUES (100, 1, 'default');
INSERT INTO public.u VALUES (1, 7);
"""


def _names(url: str) -> dict[str, str]:
    return {k: v for k, v in not_null_constraint_names(url).items() if k.endswith((".a", ".c"))}


def test_a_retype_takes_the_partitions_holding_their_own_not_null_out_and_back(tmp_path: Path, db_url: str) -> None:
    skip_below(db_url, 180000, "NOT NULL constraints have names from PostgreSQL 18 on")
    run_sql(db_url, TABLES.format(type="integer") + ROWS)
    before = _names(db_url)
    assert before["p1.a"] == "p1_a_not_null" and before["p4.a"] == "p4_a_kept"  # what PostgreSQL 18 gives
    # Without the detour PostgreSQL 18 fails the change on p1 (what this test guards against).
    try:
        with psycopg.connect(db_url) as conn:
            conn.execute("ALTER TABLE public.t ALTER COLUMN a TYPE bigint")
        raise AssertionError("PostgreSQL 18 changed the type: the detour may be unneeded now")
    except psycopg.errors.ObjectNotInPrerequisiteState as failed:
        assert "cannot create not-null constraint" in str(failed)
    run = sql_files_cli(tmp_path, db_url, TABLES.format(type="bigint"))

    code, plan = run("plan", "--sql")
    assert code == Exit.OK, plan
    sql = plan[plan.index("ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT"):]
    steps = [line.strip().rstrip(";") for line in sql.splitlines()[:12]]
    assert steps == [
        "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT",
        # deepest first; p3, p2b and the default partition hold the parent's name: they stay
        "ALTER TABLE public.t DETACH PARTITION public.p4",
        "ALTER TABLE public.p2 DETACH PARTITION public.p2a",
        "ALTER TABLE public.t DETACH PARTITION public.p2",
        "ALTER TABLE public.t DETACH PARTITION public.p1",
        "ALTER TABLE public.t ALTER COLUMN a TYPE bigint",
        "ALTER TABLE public.p1 ALTER COLUMN a TYPE bigint",
        "ALTER TABLE public.p2 ALTER COLUMN a TYPE bigint",
        "ALTER TABLE public.p2a ALTER COLUMN a TYPE bigint",
        "ALTER TABLE public.p4 ALTER COLUMN a TYPE bigint",
        "ALTER TABLE public.t ATTACH PARTITION public.p1 FOR VALUES FROM (0) TO (10)",
        "ALTER TABLE public.t ATTACH PARTITION public.p2 FOR VALUES FROM (10) TO (20)",
    ], plan
    # u's column is nullable; u1 holds a NOT NULL of its own, and u1a another name: one level down
    assert "ALTER TABLE public.u1 DETACH PARTITION public.u1a" in plan, plan
    assert "ALTER TABLE public.u DETACH PARTITION" not in plan, plan
    code, shown = run("plan")
    assert code == Exit.OK, shown
    assert ("column a integer → bigint, partitions public.p1, public.p2, public.p2a, public.p4 detached around it "
            "(their NOT NULLs have names of their own)") in shown, shown

    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    assert _names(db_url) == before  # the attached p4 keeps its name too (a retype in place gives it t's)
    with psycopg.connect(db_url) as conn:
        types = dict(conn.execute(
            "SELECT c.relname, format_type(a.atttypid, NULL) FROM pg_attribute AS a JOIN pg_class AS c"
            " ON c.oid = a.attrelid WHERE a.attname IN ('a', 'c') AND c.relkind IN ('r', 'p')"
            " AND c.relnamespace = 'public'::regnamespace"
        ).fetchall())
        assert set(types.values()) == {"bigint"} and len(types) == 11, types
        assert conn.execute("SELECT count(*), sum(a) FROM public.t").fetchone() == (41, 781)
        # every partition is back in its place, its indexes attached to the table's
        assert conn.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'public.t_a_idx'::regclass"
                            ).fetchone() == (5,)
        assert conn.execute("SELECT tableoid::regclass::text FROM public.t WHERE k = 12").fetchone() == ("p2a",)
        # the foreign key, CHECK and row trigger the partitions have from the table: theirs again
        assert conn.execute("SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.p1'::regclass"
                            " AND contype IN ('f', 'c') AND NOT conislocal").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.p2a'::regclass"
                            " AND tgparentid <> 0 AND NOT tgisinternal").fetchone() == (1,)

    code, again = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, again
    assert "No changes" in again, again


REFERENCED = """
CREATE TABLE public.r (k integer PRIMARY KEY, a {type} NOT NULL) PARTITION BY RANGE (k);
CREATE TABLE public.r1 PARTITION OF public.r (a NOT NULL) FOR VALUES FROM (0) TO (10);
CREATE TABLE public.r2 (k integer NOT NULL, a {type} CONSTRAINT r2_a_kept NOT NULL);
ALTER TABLE public.r ATTACH PARTITION public.r2 FOR VALUES FROM (10) TO (20);
CREATE TABLE public.ref (x integer REFERENCES public.r (k));
"""


def test_a_retype_that_cannot_detour_is_refused_while_planning(tmp_path: Path, db_url: str) -> None:
    skip_below(db_url, 180000, "NOT NULL constraints have names from PostgreSQL 18 on")
    run_sql(db_url, REFERENCED.format(type="integer") + "INSERT INTO public.r VALUES (1, 1), (11, 2);"
            " INSERT INTO public.ref VALUES (1), (11);")
    run = sql_files_cli(tmp_path, db_url, REFERENCED.format(type="bigint"))
    code, plan = run("plan")
    assert code != Exit.OK, plan
    # r2 was attached (its NOT NULL is an inherited one): the ALTER would not fail on it
    assert ("column a of table public.r: PostgreSQL 18 cannot change its type while a partition holds its NOT NULL "
            "under a name of its own (public.r1 (r1_a_not_null, not r_a_not_null)):") in plan, plan
    assert "foreign key ref_x_fkey of public.ref references it" in plan, plan
    code, output = run("apply", "--auto-approve")
    assert code != Exit.OK and "refused" in output, output
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT format_type(atttypid, NULL) FROM pg_attribute"
                            " WHERE attrelid = 'public.r'::regclass AND attname = 'a'").fetchone() == ("integer",)


ATTACHED_ONLY = """
CREATE TABLE public.r (k integer PRIMARY KEY, a {type} NOT NULL) PARTITION BY RANGE (k);
CREATE TABLE public.r2 (k integer NOT NULL, a {type} CONSTRAINT r2_a_kept NOT NULL);
ALTER TABLE public.r ATTACH PARTITION public.r2 FOR VALUES FROM (10) TO (20);
CREATE TABLE public.ref (x integer REFERENCES public.r (k));
"""


def test_attached_partitions_that_cannot_detour_take_the_parent_name_as_the_plan_says(
    tmp_path: Path, db_url: str
) -> None:
    skip_below(db_url, 180000, "NOT NULL constraints have names from PostgreSQL 18 on")
    run_sql(db_url, ATTACHED_ONLY.format(type="integer") + "INSERT INTO public.r VALUES (11, 2);"
            " INSERT INTO public.ref VALUES (11);")
    run = sql_files_cli(tmp_path, db_url, ATTACHED_ONLY.format(type="bigint"))
    code, plan = run("plan")
    assert code == Exit.OK, plan
    assert ("NOT NULL names of attached partitions renamed by PostgreSQL 18 with the type change of column a of "
            "table public.r (r2_a_kept of public.r2 becomes r_a_not_null): a detach around it cannot be planned, "
            "as foreign key ref_x_fkey of public.ref references it") in plan, plan
    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    assert not_null_constraint_names(db_url)["r2.a"] == "r_a_not_null"
    code, again = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, again  # the name left as it is (PostgreSQL renames no inherited NOT NULL), said
    assert "public.r2: r_a_not_null declared as r2_a_kept" in again, again


NEW_PARTITION = """
CREATE TABLE public.n (k integer NOT NULL, a {type} NOT NULL) PARTITION BY RANGE (k);
CREATE TABLE public.n1 PARTITION OF public.n FOR VALUES FROM (0) TO (10);
"""


def test_a_partition_made_with_its_own_not_null_comes_after_the_retype(tmp_path: Path, db_url: str) -> None:
    """Made first, ``PARTITION OF n (a CONSTRAINT n2_a_not_null NOT NULL)`` would fail the type
    change on PostgreSQL 18; made after it, it has the new type from the start."""
    skip_below(db_url, 180000, "NOT NULL constraints have names from PostgreSQL 18 on")
    run_sql(db_url, NEW_PARTITION.format(type="integer") + "INSERT INTO public.n VALUES (1, 1);")
    files = NEW_PARTITION.format(type="bigint") + "CREATE TABLE public.n2 PARTITION OF public.n (a NOT NULL) " \
        "FOR VALUES FROM (10) TO (20);\n"
    run = sql_files_cli(tmp_path, db_url, files)
    code, plan = run("plan", "--sql")
    assert code == Exit.OK, plan
    assert plan.index("ALTER TABLE public.n ALTER COLUMN a TYPE bigint") < plan.index(
        "CREATE TABLE public.n2 PARTITION OF public.n (a CONSTRAINT n2_a_not_null NOT NULL)"), plan
    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    assert not_null_constraint_names(db_url)["n2.a"] == "n2_a_not_null"
    code, again = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, again
