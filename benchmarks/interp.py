"""Interpreter speed against CPython, and one insmod+rmmod cycle of skull.c.

Prints ratios against a floor measured in the same run (CPython running the
same loops), so the numbers mean the same on a slow or a busy machine.
Usage: python benchmarks/interp.py
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from kmodgui import SAMPLES_DIR
from kmodgui.kbuild import build
from kmodgui.kernel.kernel import Kernel
from kmodgui.kernel.profile import load_profile

CONFIG = {"MODULES": True, "MODULE_UNLOAD": True, "MODULE_FORCE_UNLOAD": True,
          "MODULE_FORCE_LOAD": True, "MODVERSIONS": True, "MODULE_SIG": True}
N = 20000

C_SOURCE = f"""#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
MODULE_LICENSE("GPL");
static int arr[{N}];
static int small(int a, int b) {{ return a * 2 + b; }}
static int __init bench_init(void)
{{
	long sum = 0;
	int i;
	for (i = 0; i < {N}; i++)
		arr[i] = i;
	for (i = 0; i < {N}; i++)
		sum += arr[i];
	for (i = 0; i < {N}; i++)
		sum = small(i, (int)sum & 0xff);
	return sum == 0 ? 0 : 0;
}}
module_init(bench_init);
"""


def cpython_floor() -> float:
    arr = [0] * N
    t = time.perf_counter()
    s = 0
    for i in range(N):
        arr[i] = i
    for i in range(N):
        s += arr[i]

    def small(a: int, b: int) -> int:
        return a * 2 + b
    for i in range(N):
        s = small(i, s & 0xFF)
    return time.perf_counter() - t


def simulated(ko) -> float:
    k = Kernel(load_profile("6.1"), CONFIG)
    t = time.perf_counter()
    assert k.init_module(ko, "") == 0
    return time.perf_counter() - t


def skull_cycle(ko) -> float:
    k = Kernel(load_profile("6.1"), CONFIG)
    t = time.perf_counter()
    assert k.init_module(ko, "") == 0
    assert k.delete_module("skull", 0o4000) == 0
    return time.perf_counter() - t


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    (tmp / "bench.c").write_text(C_SOURCE)
    prof = load_profile("6.1")
    ko = build(tmp, "bench", prof, CONFIG).ko
    skull = build(SAMPLES_DIR, "skull", prof, CONFIG).ko
    floor = statistics.median(cpython_floor() for _ in range(5))
    sim = statistics.median(simulated(ko) for _ in range(5))
    cyc = statistics.median(skull_cycle(skull) for _ in range(20))
    t = time.perf_counter()
    build(SAMPLES_DIR, "skull", prof, CONFIG)
    bt = time.perf_counter() - t
    stmts = 6 * N
    print(f"CPython floor (3 loops x {N}):   {floor * 1000:8.2f} ms")
    print(f"simulated C, same loops:         {sim * 1000:8.2f} ms  "
          f"(ratio {sim / floor:.1f}x CPython, ~{stmts / sim / 1e6:.2f} M statements/s)")
    print(f"insmod+rmmod skull.ko:           {cyc * 1000:8.2f} ms  "
          f"(ratio {cyc / floor:.2f}x the CPython floor)")
    print(f"build skull.c (cpp+parse+compile): {bt * 1000:6.2f} ms")


if __name__ == "__main__":
    main()
