"""Process start to first frame: kmodgui vs a bare PySide6 QMainWindow.

Both are measured in the same run, alternately, from the parent's
Popen() to the child's "first-frame" line (printed from the first paint of
the main window).  Prints each median and the ratio app / bare.

    python benchmarks/startup.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = r"""
import sys
from PySide6.QtCore import QObject, QEvent
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
win = QMainWindow()
win.resize(1600, 1000)
class FirstPaint(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Paint:
            print("first-frame", flush=True)
            app.quit()
        return False
f = FirstPaint()
win.installEventFilter(f)
win.show()
app.exec()
"""


def env() -> dict[str, str]:
    e = dict(os.environ)
    if not (e.get("DISPLAY") or e.get("WAYLAND_DISPLAY")):
        e["QT_QPA_PLATFORM"] = "offscreen"
    e["KMODGUI_SETTINGS"] = str(Path(tempfile.mkdtemp(prefix="kmodgui-bench-")) / "s.ini")
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def first_frame(argv: list[str]) -> tuple[float, str]:
    """Seconds from spawn to the child's first-frame line, and that line."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env(), cwd=ROOT)
    line = ""
    for line in proc.stdout:
        if line.startswith("first-frame"):
            break
    elapsed = time.perf_counter() - t0
    proc.wait(timeout=60)
    if not line.startswith("first-frame"):
        raise SystemExit(f"no first frame from {argv}")
    return elapsed, line.strip()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    bare_cmd = [sys.executable, "-c", BARE]
    app_cmd = [sys.executable, "-m", "kmodgui", "--exit-after-first-frame"]
    first_frame(bare_cmd)                      # warm the disk cache
    first_frame(app_cmd)
    bare, app, notes = [], [], set()
    for _ in range(args.runs):
        bare.append(first_frame(bare_cmd)[0])
        t, line = first_frame(app_cmd)
        app.append(t)
        notes.add(line.split()[-1])
    b, a = statistics.median(bare), statistics.median(app)
    print(f"bare QMainWindow: median {b * 1000:.0f} ms over {args.runs} runs")
    print(f"kmodgui         : median {a * 1000:.0f} ms over {args.runs} runs ({', '.join(sorted(notes))} at first frame)")
    print(f"ratio kmodgui / bare = {a / b:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
