"""Hostile module sources: wall and CPU time of `make` until it ends (a
build, or the diagnostic of a bound), in a fresh session each.

The floor, measured in the same run, is the build of the sample hi.c; each
line prints seconds, the ratio to that floor and the first error.  The goal
is every build ending within 5 s on the 2-core machine.
Usage: python benchmarks/build_limits.py
"""
from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from kmodgui import SAMPLES_DIR
from kmodgui.session import Session

HI = ('#include <linux/module.h>\n'
      'static int __init t_init(void) { return 0; }\n'
      'static void __exit t_exit(void) { }\n'
      'module_init(t_init);\nmodule_exit(t_exit);\nMODULE_LICENSE("GPL");\n')


def _doubling(n: int) -> str:
    return ("#define M0 x x\n" + "".join(f"#define M{i} M{i - 1} M{i - 1}\n" for i in range(1, n + 1))
            + f"int v = M{n};\n" + HI)


def _in_init(body: str) -> str:
    return HI.replace("{ return 0; }", "{ " + body + " return 0; }")


CASES: list[tuple[str, str]] = [
    ("source includes itself", '#include "t.c"\n' + HI),
    ("doubling macros M0..M29", _doubling(29)),
    ("900 KB string literal", 'static const char s[] = "' + "a" * 900_000 + '";\n' + HI),
    ("900 KB character constant", "static int c = '" + "a" * 900_000 + "';\n" + HI),
    ("1 MB integer constant", "static long n = " + "9" * 1_000_000 + ";\n" + HI),
    ("50,000 nested parentheses", "static int n = " + "(" * 50_000 + "1" + ")" * 50_000 + ";\n" + HI),
    ("50,000 nested braces", "static int n[1] = " + "{" * 50_000 + "1" + "}" * 50_000 + ";\n" + HI),
    ("20,000 nested if blocks", _in_init("if (1) {" * 20_000 + "}" * 20_000)),
    ("15,000 chained ifs", _in_init("if (1) " * 15_000 + ";")),
    ("30,000 unary minus", _in_init("int v = " + "- " * 30_000 + "1; (void)v;")),
    ("20,000 nested #if", "#if 1\n" * 20_000 + "#endif\n" * 20_000 + HI),
    ("40,000 lines of declarations (1 MB)", HI + "".join(f"static int v{i} = {i};\n" for i in range(40_000))),
    ("60,000-entry table", HI + "static int a[] = {" + ",".join(["1"] * 60_000) + "};\n"),
    ("line of 30,000 stray quotes", '"\\' * 30_000 + "\n" + HI),
    ("40,000 comment starts", HI + "/*" * 40_000 + "\n"),
]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(folder: Path) -> tuple[float, float, str]:
    s = Session("6.1", cwd=folder)
    t, c = time.perf_counter(), _cpu()
    r = s.run("make")
    wall, cpu = time.perf_counter() - t, _cpu() - c
    errors = [ln for ln in r.stderr.splitlines() if "error" in ln and not ln.startswith("make")]
    said = errors[0].split(": ", 1)[-1] if errors else f"status {r.status}"
    return wall, cpu, said[:90]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        floor_dir = base / "floor"
        floor_dir.mkdir()
        (floor_dir / "hi.c").write_text((SAMPLES_DIR / "hi.c").read_text())
        (floor_dir / "Makefile").write_text("obj-m += hi.o\n")
        floor, _, _ = timed(floor_dir)
        print(f"floor (hi.c): {floor:.2f} s")
        worst = 0.0
        for i, (name, source) in enumerate(CASES):
            folder = base / f"c{i}"
            folder.mkdir()
            (folder / "t.c").write_text(source)
            (folder / "Makefile").write_text("obj-m += t.o\n")
            wall, cpu, said = timed(folder)
            worst = max(worst, wall)
            print(f"{name:38} {wall:5.2f} s wall {cpu:5.2f} s cpu  x{wall / floor:5.1f}  {said}")
        print(f"longest: {worst:.2f} s (goal: under 5 s)")


if __name__ == "__main__":
    main()
