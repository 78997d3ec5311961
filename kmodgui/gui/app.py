"""`kmodgui` / `python -m kmodgui`: the desktop app's entry point.

    kmodgui [FILE.c] [--profile NAME]
    kmodgui --screenshot OUT.png [--size WxH] [--run 'CMD; CMD'] [--zoom F] [--presentation]
            [--compare-recording FILE]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from typing import TYPE_CHECKING

from kmodgui import SAMPLES_DIR, __version__
from kmodgui.kernel.profile import DEFAULT_PROFILE, available

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

DEFAULT_SAMPLE = SAMPLES_DIR / "hi.c"

#: the composition: features installed on the workbench, each an
#: ``install(bench)`` (a new panel is one file and one line here).
FEATURES: tuple[str, ...] = (
    "kmodgui.gui.realkernel",
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="kmodgui", description=(
        "Visual simulator of Linux loadable kernel modules."))
    ap.add_argument("--version", action="version", version=f"kmodgui {__version__}")
    ap.add_argument("file", nargs="?", type=Path, help="module source to open (default: modules/hi.c)")
    ap.add_argument("--profile", choices=available(), default=DEFAULT_PROFILE,
                    help="kernel and tools to simulate (default 6.1)")
    ap.add_argument("--screenshot", type=Path, metavar="OUT.png",
                    help="render the window to OUT.png and exit (works without a display)")
    ap.add_argument("--size", default="1600x1000", metavar="WxH", help="window size for --screenshot")
    ap.add_argument("--run", metavar="'CMD; CMD'", help="shell lines to run before the screenshot")
    ap.add_argument("--zoom", type=float, help="zoom factor (1.0 = normal)")
    ap.add_argument("--presentation", action="store_true", help="start in presentation mode")
    ap.add_argument("--lecture", action="store_true",
                    help="with --screenshot: lecture mode after the --run lines (big step "
                         "caption, Resources shown; no auto-play)")
    ap.add_argument("--compare-recording", type=Path, metavar="FILE",
                    help="with --screenshot: show a real-kernel recording beside the "
                         "simulator (the Real kernel pane) after the --run lines")
    ap.add_argument("--exit-after-first-frame", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    # for slides, without a display (gui/export/cli.py); --run's lines run first
    ap.add_argument("--export-timeline", type=Path, metavar="OUT.png|OUT.svg",
                    help="export the timeline and exit")
    ap.add_argument("--export-dmesg", type=Path, metavar="OUT.txt", help="export the dmesg and exit")
    ap.add_argument("--export-frames", type=Path, metavar="DIR",
                    help="record 'debug insmod' of the module as DIR/frame-NNN.png (+ GIF) and exit")
    return ap.parse_args(argv)


def _exports(args: argparse.Namespace) -> bool:
    return bool(args.export_timeline or args.export_dmesg or args.export_frames)


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM") or sys.platform != "linux")


def main(argv: list[str] | None = None) -> int:
    t0 = time.perf_counter()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not _has_display():
        if not args.screenshot and not (args.exit_after_first_frame or args.exit_when_ready) \
                and not _exports(args):
            print("kmodgui: no display (set DISPLAY, or use --screenshot OUT.png)", file=sys.stderr)
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(["kmodgui"])
    app.setOrganizationName("kmodgui")
    app.setApplicationName("kmodgui")
    app.setStyle("Fusion")
    win = _make_window(args)
    if _exports(args):
        from kmodgui.gui.export.cli import export_headless
        return export_headless(win, args)
    if args.screenshot:
        from kmodgui.gui.screenshot import render
        if args.lecture:
            win.screenshot_hooks = [lambda: win.debug.lecture.enter(autoplay=False)]
        if args.compare_recording:      # the Real kernel pane (gui/realkernel)
            path = args.compare_recording.resolve()
            pane = win.bench.widget("dockRealKernel")
            win.screenshot_hooks = [lambda: pane.open_recording(path), pane.settle]
        return render(win, args.screenshot, args.size, args.run, args.zoom,
                      args.presentation or args.lecture)
    if args.zoom:
        win.set_zoom(args.zoom)
    if args.exit_after_first_frame:
        _exit_after_first_frame(win, app, t0)
    if args.exit_when_ready:
        _exit_when_ready(win, app, t0)
    if args.presentation:
        win.enter_presentation()
    win.showMaximized() if getattr(win, "start_maximized", False) else win.show()
    return app.exec()


def _make_window(args: argparse.Namespace) -> "MainWindow":
    from kmodgui.gui.mainwindow import MainWindow
    from kmodgui.gui.settings import open_settings

    def boot():                     # called after the first frame: the kernel boots
        from kmodgui.session import Session
        return Session(profile=args.profile)
    settings = open_settings(_scratch_settings() if args.screenshot or _exports(args) else None)
    win = MainWindow(boot, settings, follow_system_theme=not args.screenshot,
                     profile=args.profile, features=features())
    source = args.file or DEFAULT_SAMPLE
    if source.exists():
        win.open_source(source)
    elif args.file:
        print(f"kmodgui: {source}: No such file or directory", file=sys.stderr)
    return win


def features() -> tuple:
    """The install functions of FEATURES (modules named by dotted path)."""
    import importlib
    return tuple(importlib.import_module(name).install for name in FEATURES)


def _scratch_settings() -> Path:
    """Screenshots ignore (and never change) the user's saved layout."""
    return Path(tempfile.mkdtemp(prefix="kmodgui-")) / "settings.ini"


def _exit_after_first_frame(win, app, t0: float) -> None:
    """For benchmarks/startup.py: report the first frame, then quit."""
    def report() -> None:
        print(f"first-frame {time.perf_counter() - t0:.6f} "
              f"pyqtgraph={'pyqtgraph' in sys.modules}", flush=True)
        app.quit()
    win.firstFrame.connect(report)


def _exit_when_ready(win, app, t0: float) -> None:
    """For benchmarks/startup.py: the first frame, then the moment start-up
    is finished, with the longest the event loop went without turning in
    between (a 4 ms timer's longest gap)."""
    from PySide6.QtCore import QTimer
    ticks = QTimer(win)
    ticks.setInterval(4)
    last, worst = [0.0], [0.0]

    def tick() -> None:
        now = time.perf_counter()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    def first() -> None:
        print(f"first-frame {time.perf_counter() - t0:.6f}", flush=True)
        last[0] = time.perf_counter()
        ticks.start()

    def ready() -> None:
        tick()
        ticks.stop()
        print(f"ready {time.perf_counter() - t0:.6f} stall {worst[0]:.6f}", flush=True)
        app.quit()
    ticks.timeout.connect(tick)
    win.firstFrame.connect(first)
    win.startupFinished.connect(ready)
