"""Host memory and time of many load/unload cycles, headless.

For skull.c (clean) and leak.c (leaks 128 bytes a load): N cycles of
`insmod M.ko; rmmod M` on one session, each module in a fresh interpreter
(so one's freed memory does not hide the other's growth), printing for each
1,000 cycles the CPU and wall time they took and the process's RSS.  The
floor is the first 1,000 cycles of the same run: a flat line is a ratio
near 1.0 and an RSS that stops growing.  CPU time is the ratio's base: on
a shared machine wall time also counts the other processes.

    .venv/bin/python benchmarks/cycles.py [CYCLES]      (default 10000)
    .venv/bin/python benchmarks/cycles.py CYCLES MODULE (one module, this process)
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

from kmodgui import SAMPLES_DIR
from kmodgui.session import Session

STEP = 1000
#: what the task asks of a long session: host RSS within this of the start
RSS_BUDGET_MB = 20.0
#: and each 1,000 cycles within this ratio of the first 1,000
TIME_BUDGET = 1.5


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def session(module: str) -> Session:
    s = Session("6.1", cwd=SAMPLES_DIR)
    s.run(f"insmod {module}.ko; rmmod {module}")     # build once
    return s


def cpu_of(s: Session, module: str, cycles: int) -> float:
    t0 = time.process_time()
    for _ in range(cycles):
        s.run(f"insmod {module}.ko")
        s.run(f"rmmod {module}")
    return time.process_time() - t0


def run(module: str, cycles: int) -> bool:
    s = session(module)
    base = rss_mb()
    floor = None
    worst_ratio, worst_rss = 1.0, 0.0
    print(f"{module}.c: {cycles} cycles (RSS after the first build {base:.1f} MB)", flush=True)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(1, cycles + 1):
        s.run(f"insmod {module}.ko")
        s.run(f"rmmod {module}")
        if i % STEP == 0:
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
            floor = floor or cpu
            grown = rss_mb() - base
            worst_ratio, worst_rss = max(worst_ratio, cpu / floor), max(worst_rss, grown)
            print(f"  {i:6d}: {cpu * 1000:7.0f} ms CPU per {STEP} (x{cpu / floor:.2f} of the "
                  f"first), {wall * 1000:7.0f} ms wall, RSS {rss_mb():6.1f} MB (+{grown:.1f})",
                  flush=True)
            cpu0, wall0 = time.process_time(), time.perf_counter()
    # the machine's load changes during a long run: a fresh session's
    # first cycles, measured now, tell that apart from a slower session
    if floor:
        control = cpu_of(session(module), module, STEP)
        print(f"  control: a fresh session's first {STEP} now take {control * 1000:.0f} ms "
              f"CPU (x{control / floor:.2f} of the first)", flush=True)
    ok = worst_rss <= RSS_BUDGET_MB and worst_ratio <= TIME_BUDGET
    print(f"  {module}.c: RSS at most +{worst_rss:.1f} MB (budget +{RSS_BUDGET_MB:.0f}), "
          f"slowest {STEP} x{worst_ratio:.2f} of the first (budget x{TIME_BUDGET}): "
          f"{'flat' if ok else 'GROWS'}", flush=True)
    return ok


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 10000
    if len(argv) > 2:
        return 0 if run(argv[2], n) else 1
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    status = 0
    for mod in ("skull", "leak"):
        status |= subprocess.call([sys.executable, __file__, str(n), mod], env=env)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
