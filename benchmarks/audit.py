"""Audit sweep throughput: injected runs per second, on skull.c and on a
generated module with 50 acquisitions (a 50-rung goto ladder).

The floor, measured in the same run, is one plain insmod+rmmod of hi.c in
a fresh kernel: the ratio says how many plain load cycles one injected run
costs.  Usage: python benchmarks/audit.py
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from kmodgui import SAMPLES_DIR
from kmodgui.audit import audit_object
from kmodgui.kbuild import build
from kmodgui.kernel.kconfig import Kconfig
from kmodgui.kernel.kernel import Kernel
from kmodgui.kernel.profile import load_profile

N = 50


def generated_module(n: int) -> str:
    lines = ["#include <linux/module.h>", "#include <linux/slab.h>", "#include <linux/errno.h>",
             'MODULE_LICENSE("GPL");', f"static void *p[{n}];",
             "static int __init gen_init(void)", "{"]
    for i in range(n):
        lines += [f"\tp[{i}] = kmalloc({16 + i}, GFP_KERNEL);",
                  f"\tif (!p[{i}])", f"\t\tgoto fail{i};"]
    lines.append("\treturn 0;")
    for i in reversed(range(n)):
        lines.append(f"fail{i}:")
        if i:
            lines.append(f"\tkfree(p[{i - 1}]);")
    lines += ["\treturn -ENOMEM;", "}", "static void __exit gen_exit(void)", "{"]
    lines += [f"\tkfree(p[{i}]);" for i in reversed(range(n))]
    lines += ["}", "module_init(gen_init);", "module_exit(gen_exit);"]
    return "\n".join(lines) + "\n"


def floor_cycle() -> float:
    prof = load_profile("6.1")
    cfg = Kconfig.for_profile(prof).defaults()
    ko = build(SAMPLES_DIR, "hi", prof, cfg).ko
    t = time.perf_counter()
    k = Kernel(prof, cfg)
    k.init_module(ko, "")
    k.delete_module("hi", 0o4000)
    return time.perf_counter() - t


def sweep(folder: Path, name: str) -> tuple[float, int]:
    """Seconds spent in the runs (the build, done once per audit, excluded)."""
    prof = load_profile("6.1")
    cfg = Kconfig.for_profile(prof).defaults()
    ko = build(folder, name, prof, cfg).ko
    t = time.perf_counter()
    rep = audit_object(ko, prof, cfg)
    return time.perf_counter() - t, len(rep.runs)


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    (tmp / "gen50.c").write_text(generated_module(N))
    floor = statistics.median(floor_cycle() for _ in range(10))
    print(f"floor: one insmod+rmmod of hi.ko in a fresh kernel: {floor * 1000:.2f} ms")
    for folder, name in ((SAMPLES_DIR, "skull"), (tmp, "gen50")):
        samples = [sweep(folder, name) for _ in range(3)]
        secs = statistics.median(s for s, _ in samples)
        runs = samples[0][1]
        per_run = secs / runs
        print(f"{name:6}: {runs:3} runs in {secs * 1000:7.1f} ms = {runs / secs:6.1f} runs/s "
              f"({per_run / floor:.1f}x the floor per run)")


if __name__ == "__main__":
    main()
