"""Process start to first frame: kmodgui vs a bare PySide6 QMainWindow;
process start to ready (booted, the open module built, the timeline's plot
up) vs a window that imports pyqtgraph and shows a PlotWidget after its
first frame; and the longest the app's event loop stood still between its
first frame and ready (a 4 ms timer's longest gap).

All are measured in the same run, alternately, from the parent's Popen()
to the child's "first-frame" / "ready" lines.  Prints medians and ratios.

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


PLOT = r"""
import sys
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
win = QMainWindow()
win.resize(1600, 1000)
def plot():
    import pyqtgraph as pg
    win.setCentralWidget(pg.PlotWidget())
    print("ready", flush=True)
    app.quit()
class FirstPaint(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Paint:
            obj.removeEventFilter(self)
            print("first-frame", flush=True)
            QTimer.singleShot(0, plot)
        return False
f = FirstPaint()
win.installEventFilter(f)
win.show()
app.exec()
"""


#: the app's header cache for this run (not the user's ~/.cache)
CACHE = tempfile.mkdtemp(prefix="kmodgui-bench-cache-")


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["KMODGUI_CACHE_DIR"] = CACHE
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


def until_ready(argv: list[str]) -> tuple[float, float, float]:
    """Seconds from spawn to first frame and to ready, and the child's
    longest stall (0 when it does not report one)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env(), cwd=ROOT)
    first = ready = stall = 0.0
    for line in proc.stdout:
        if line.startswith("first-frame"):
            first = time.perf_counter() - t0
        elif line.startswith("ready"):
            ready = time.perf_counter() - t0
            words = line.split()
            stall = float(words[3]) if len(words) > 3 else 0.0
            break
    proc.wait(timeout=60)
    if not ready:
        raise SystemExit(f"not ready: {argv}")
    return first, ready, stall


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
    plot_cmd = [sys.executable, "-c", PLOT]
    ready_cmd = [sys.executable, "-m", "kmodgui", "--exit-when-ready"]
    until_ready(plot_cmd)
    until_ready(ready_cmd)
    pg_ready, app_ready, stalls = [], [], []
    for _ in range(args.runs):
        pg_ready.append(until_ready(plot_cmd)[1])
        _, r, st = until_ready(ready_cmd)
        app_ready.append(r)
        stalls.append(st)
    p, r = statistics.median(pg_ready), statistics.median(app_ready)
    print(f"pyqtgraph window ready: median {p * 1000:.0f} ms")
    print(f"kmodgui ready (booted, hi.c built, timeline up): median {r * 1000:.0f} ms")
    print(f"ratio kmodgui ready / pyqtgraph window = {r / p:.2f}")
    print(f"longest event-loop stall from first frame to ready: median "
          f"{statistics.median(stalls) * 1000:.0f} ms, worst {max(stalls) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
