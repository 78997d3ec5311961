"""Blocked tasks: wall time until kmodsim gives up on a command that would
never return (khungtaskd's report after 240 simulated seconds, or 600 s of
a sleep loop), the modules built beforehand.

The floor, measured in the same run, is one insmod+rmmod of hi.c in a fresh
session; each line prints seconds and the ratio to that floor.  The goal is
"well under 5 s" per case on the 2-core machine.
Usage: python benchmarks/hung.py
"""
from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from kmodgui import SAMPLES_DIR
from kmodgui.session import Session

DATA = Path(__file__).resolve().parent.parent / "tests" / "kernel" / "data" / "hung"
CASES = [
    ("init: msleep(1000) forever (600 s, no report)", ["insmod hang_msleep.ko"]),
    ("init: ssleep(300) forever (report at 240 s)", ["insmod hang_ssleep.ko"]),
    ("exit: schedule_timeout_uninterruptible(MAX)", ["insmod hang_exit.ko", "rmmod hang_exit"]),
    ("exit: kthread_stop of a msleep(100) loop", ["insmod kstop_sleep.ko", "rmmod kstop_sleep"]),
    ("exit: kthread_stop of a spinning thread", ["insmod kstop_busy.ko", "rmmod kstop_busy"]),
]


def timed(folder: Path, commands: list[str]) -> float:
    s = Session("6.1", cwd=folder)
    for c in commands:                       # build first: not what we measure
        if c.startswith("insmod "):
            s.run(f"modinfo {c.split()[1]}")
    t = time.perf_counter()
    for c in commands:
        s.run(c)
    return time.perf_counter() - t


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for src in DATA.glob("*.c"):
            shutil.copy(src, folder / src.name)
        shutil.copy(SAMPLES_DIR / "hi.c", folder / "hi.c")
        floor = statistics.median(timed(folder, ["insmod hi.ko", "rmmod hi"]) for _ in range(5))
        print(f"floor: insmod+rmmod hi.c  {floor * 1000:.1f} ms")
        for title, commands in CASES:
            secs = timed(folder, commands)
            print(f"{title:48s} {secs:6.2f} s  {secs / floor:8.0f}x floor")


if __name__ == "__main__":
    main()
