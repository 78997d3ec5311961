"""Host memory and time of many load/unload cycles, headless.

For skull.c (clean) and leak.c (leaks 128 bytes a load): N cycles of
`insmod M.ko; rmmod M` on one session, printing for each 1,000 cycles the
time they took and the process's RSS.  The floor is the first 1,000 cycles
of the same run: a flat line is a ratio near 1.0 and an RSS that stops
growing.

    .venv/bin/python benchmarks/cycles.py [CYCLES]      (default 10000)
"""
from __future__ import annotations

import resource
import sys
import time

from kmodgui import SAMPLES_DIR
from kmodgui.session import Session


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(module: str, cycles: int) -> None:
    s = Session("6.1", cwd=SAMPLES_DIR)
    s.run(f"insmod {module}.ko; rmmod {module}")     # build once
    base = rss_mb()
    floor = None
    print(f"{module}.c: {cycles} cycles (RSS after the first build {base:.1f} MB)")
    t0 = time.perf_counter()
    for i in range(1, cycles + 1):
        s.run(f"insmod {module}.ko")
        s.run(f"rmmod {module}")
        if i % 1000 == 0:
            took = time.perf_counter() - t0
            floor = floor or took
            print(f"  {i:6d}: {took * 1000:8.1f} ms per 1000 (x{took / floor:.2f} of the first), "
                  f"RSS {rss_mb():7.1f} MB (+{rss_mb() - base:.1f})")
            t0 = time.perf_counter()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    for mod in ("skull", "leak"):
        run(mod, n)
