"""kbuild with the header cache: builds of hi.c and of 5,000 generated
statements, each against a floor measured in the same run.

  warm hi.c      a fresh Session's build of hi.c, the headers cached (memory)
  edited hi.c    the same after a one-line edit of the body
  disk hi.c      a fresh process's first build, the headers from the disk cache
  cold hi.c      no cache at all (what every build cost before)
  floor          gcc -c of the very C text the simulator compiles (the
                 preprocessed unit with its section markers stripped; a
                 process spawn included, as for a real kbuild's cc1)
  5,000 stmts    a module of 5,000 assignments vs Python's compile() of them

    python benchmarks/build_cache.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KMODGUI_CACHE_DIR", tempfile.mkdtemp(prefix="kmodgui-bench-cache-"))

from kmodgui import SAMPLES_DIR  # noqa: E402
from kmodgui.kbuild import headercache, make, preprocess as pp  # noqa: E402
from kmodgui.kbuild.sections import strip_markers  # noqa: E402
from kmodgui.kbuild.values import normalize_escapes  # noqa: E402
from kmodgui.session import Session  # noqa: E402

DISK_CHILD = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from kmodgui.kbuild import make
from kmodgui.session import Session
s = Session()
t = time.perf_counter()
r = make.build(Path(sys.argv[2]), "hi", s.profile, dict(s.config), {})
print(time.perf_counter() - t, r.ok)
"""


def build_once(folder: Path, name: str) -> float:
    s = Session()
    t = time.perf_counter()
    r = make.build(folder, name, s.profile, dict(s.config), {})
    took = time.perf_counter() - t
    assert r.ok, r.output
    return took


def generated(n: int) -> str:
    body = "\n".join(f"\tv[{i % 64}] = v[{(i * 7) % 64}] + {i};" for i in range(n))
    return ("#include <linux/module.h>\n#include <linux/init.h>\n\nstatic int v[64];\n\n"
            f"static int __init big_init(void)\n{{\n{body}\n\treturn 0;\n}}\n\n"
            "static void __exit big_exit(void) {}\n\nmodule_init(big_init);\n"
            "module_exit(big_exit);\nMODULE_LICENSE(\"GPL\");\n")


def gcc_floor(folder: Path) -> float:
    s = Session()
    text = (folder / "hi.c").read_text()
    defines = {"KBUILD_MODNAME": '"hi"', "MODULE": "1", "__KERNEL__": "1", "CONFIG_X86_64": "1",
               "KERNEL_VERSION(a,b,c)": "(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))",
               "LINUX_VERSION_CODE": str((s.profile.version[0] << 16) + (s.profile.version[1] << 8))}
    clean, _ = strip_markers(normalize_escapes(pp.preprocess(folder / "hi.c", text, defines).text))
    unit = folder / "hi_unit.c"
    unit.write_text(clean.replace("#line", "# "))
    t = time.perf_counter()
    subprocess.run(["gcc", "-c", "-w", "-x", "c", str(unit), "-o", os.devnull], check=True)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kmodgui-bench-"))
    hi = work / "hi"
    hi.mkdir()
    shutil.copy(SAMPLES_DIR / "hi.c", hi / "hi.c")
    big = work / "big"
    big.mkdir()
    (big / "big.c").write_text(generated(5000))
    py = "\n".join(f"v[{i % 64}] = v[{(i * 7) % 64}] + {i}" for i in range(5000))
    build_once(hi, "hi")                      # fills the cache
    rows: dict[str, list[float]] = {k: [] for k in ("warm", "edited", "disk", "cold", "gcc",
                                                    "big", "compile")}
    original = (hi / "hi.c").read_text()
    for i in range(args.runs):
        rows["warm"].append(build_once(hi, "hi"))
        (hi / "hi.c").write_text(original.replace("return 0;", f"return {i % 2};"))
        rows["edited"].append(build_once(hi, "hi"))
        (hi / "hi.c").write_text(original)
        out = subprocess.run([sys.executable, "-c", DISK_CHILD, str(ROOT), str(hi)],
                             capture_output=True, text=True, check=True).stdout.split()
        rows["disk"].append(float(out[0]))
        with headercache.disabled():
            rows["cold"].append(build_once(hi, "hi"))
        rows["gcc"].append(gcc_floor(hi))
        rows["big"].append(build_once(big, "big"))
        t = time.perf_counter()
        compile(py, "big", "exec")
        rows["compile"].append(time.perf_counter() - t)
    med = {k: statistics.median(v) * 1000 for k, v in rows.items()}
    floor = med["gcc"]
    print(f"gcc -c of the same unit (floor): {floor:7.1f} ms")
    for key, label in (("warm", "warm build of hi.c"), ("edited", "one-line edit of hi.c"),
                       ("disk", "new process, disk cache"), ("cold", "no cache (before)")):
        print(f"{label:31}: {med[key]:7.1f} ms   ratio {med[key] / floor:5.2f}")
    print(f"5,000 statements             : {med['big']:7.1f} ms   "
          f"vs Python compile() {med['compile']:.1f} ms: ratio {med['big'] / med['compile']:.1f}")
    print(f"median of {args.runs} interleaved runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
