"""The longest event-loop stall while a module printks 100,000 lines.

Drives the whole app offscreen: a module whose init printks N lines is
built and insmod-ed from the Shell, while a QTimer at 5 ms records the gap
between its ticks.  The floor is the same timer over the same window with
nothing to do (an idle event loop), measured in the same run.

    python benchmarks/flood.py [--lines N]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["KMODGUI_SETTINGS"] = str(Path(tempfile.mkdtemp(prefix="kmodgui-bench-")) / "s.ini")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

FLOOD_C = r"""
#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>

static int __init flood_init(void)
{
	int i;

	for (i = 0; i < %d; i++)
		printk(KERN_INFO "flood: line %%d of a long printk flood\n", i);
	return 0;
}

static void __exit flood_exit(void)
{
}

module_init(flood_init);
module_exit(flood_exit);
MODULE_LICENSE("GPL");
"""


class GapMeter:
    """A 5 ms timer; the longest gap between two ticks is the worst stall."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.worst = 0

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.clock.start()
        self.last, self.worst = 0, 0
        self.timer.start()

    def stop(self) -> int:
        self.timer.stop()
        self._tick()
        return self.worst


def spin(app: QApplication, until, timeout_s: float) -> float:
    t0 = time.perf_counter()
    while not until() and time.perf_counter() - t0 < timeout_s:
        app.processEvents()
        time.sleep(0.0005)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    args = ap.parse_args()
    from kmodgui.gui.mainwindow import MainWindow
    from kmodgui.gui.settings import open_settings
    from kmodgui.session import Session

    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="kmodgui-flood-"))
    (folder / "flood.c").write_text(FLOOD_C % args.lines)
    win = MainWindow(Session(profile="6.1"), open_settings(Path(os.environ["KMODGUI_SETTINGS"])),
                     follow_system_theme=False)
    win.confirm = lambda title, text: True
    win.resize(1366, 768)
    win.show()
    win.finish_startup()
    win.open_source(folder / "flood.c")
    win.bridge.set_cwd(folder)
    spin(app, lambda: False, 1.0)                   # first frame, pyqtgraph, boot
    win.bridge.build(folder / "flood.c")
    spin(app, lambda: not win.bridge.busy, 30)

    meter = GapMeter()
    meter.start()
    win.shell.run("insmod flood.ko")
    last = f"line {args.lines - 1} of"
    elapsed = spin(app, lambda: not win.bridge.busy and not win.dmesg._pending
                   and last in win.dmesg.view.document().lastBlock().text(), 300)
    flood_ms = meter.stop()

    meter.start()
    spin(app, lambda: False, min(elapsed, 5.0))
    idle_ms = meter.stop()

    shown = win.dmesg.view.document().blockCount()
    print(f"printk flood of {args.lines} lines: {elapsed:.2f} s, dmesg pane holds {shown} lines")
    print(f"longest event-loop stall: flood {flood_ms} ms, idle floor {idle_ms} ms, "
          f"ratio {flood_ms / max(1, idle_ms):.1f}x  (goal: under 50 ms)")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
