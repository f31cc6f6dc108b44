"""Run one command and write its wall time and peak RSS as JSON: the benchmark's stopwatch.

Usage: ``python -S bench/spawn.py RESULT.json TIMEOUT_SECONDS -- COMMAND [ARGS...]``
(stdin, stdout and stderr are passed through to COMMAND).

Why a separate, tiny process rather than ``os.wait4`` on a child of the benchmark itself: on
Linux a child's ``ru_maxrss`` starts at its parent's RSS, because fork copies the parent's
high-water mark (and ``vfork``/``posix_spawn`` share the parent's memory until exec, whose
high-water mark exec then keeps). The benchmark process holds a generated schema and, after
the in-process phase timings, a whole parsed catalog, so every command it measured directly
would look at least that big (measured: ``/bin/true`` "uses" 321 MB after the parent touched
300 MB). This launcher is a bare ``python -S`` of about 5 MB, so that is the floor of what it
can report, and its own measurement is still exactly what the issue asks for: ``os.wait4`` on
the command's pid for ``ru_maxrss`` (KiB on Linux) and ``time.perf_counter`` around it.

Stdlib only, and no ``site``: it must stay small.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from types import FrameType


def main(argv: list[str]) -> int:
    """Spawn ``argv[3:]``, wait for it, write {"seconds", "max_rss_kib", "exit_code"} to argv[0]."""
    if len(argv) < 4 or argv[2] != "--":
        print("usage: spawn.py RESULT.json TIMEOUT_SECONDS -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    result_path, timeout, command = argv[0], int(argv[1]), argv[3:]
    timed_out = False
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: become the command (exec keeps this process's small high-water mark)
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)

    def stop_child(signum: int, _frame: FrameType | None) -> None:
        # A timeout or a SIGTERM from the benchmark (it is cleaning up): take the command down too,
        # so nothing keeps a connection open to a database that is about to be dropped.
        nonlocal timed_out
        timed_out = timed_out or signum == signal.SIGALRM
        os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGALRM, stop_child)
    signal.signal(signal.SIGTERM, stop_child)
    signal.alarm(timeout)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    signal.alarm(0)
    with open(result_path, "w", encoding="utf-8") as out:
        json.dump(
            {
                "seconds": seconds,
                "max_rss_kib": usage.ru_maxrss,
                "exit_code": os.waitstatus_to_exitcode(status),
                "timed_out": timed_out,
            },
            out,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
