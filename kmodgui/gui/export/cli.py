"""Exports from the command line, without a display (for slide scripts):

    kmodgui skull.c --run 'inject register_those ENOMEM; insmod skull.ko' \\
            --export-timeline timeline.svg --export-dmesg dmesg.txt
    kmodgui skull.c --run 'inject register_those ENOMEM' --export-frames frames/

--run's lines run first (as in --screenshot); --export-frames then records
`debug insmod NAME.ko` of the open module, one frame per statement, and an
animated GIF when Pillow is installed.  --screenshot may be given too: the
picture is taken after the exports.
"""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from kmodgui.gui import docks
from kmodgui.gui.export import images, sequence

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

#: the app's options this module serves (app.py declares them)
OPTIONS = ("export_timeline", "export_frames", "export_dmesg")


def wanted(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) for name in OPTIONS)


def export_headless(win: "MainWindow", args: argparse.Namespace) -> int:
    """Set the window up as --screenshot does, run --run, export, exit."""
    from kmodgui.gui.screenshot import parse_size, settle, split_commands
    w, h = parse_size(args.size or "1600x1000")
    win.resize(w, h)
    if args.zoom:
        win.set_zoom(args.zoom, persist=False)
    win.show()
    QApplication.instance().processEvents()
    docks.default_layout(win)
    if args.presentation:
        win.enter_presentation()
    win.finish_startup()
    for line in split_commands(args.run or ""):
        win.shell.run(line)
        settle(win)
    status = 0
    try:
        if getattr(args, "export_timeline", None):
            print(images.export_timeline(win, args.export_timeline))
        if getattr(args, "export_dmesg", None):
            print(images.export_dmesg(win, args.export_dmesg))
        if getattr(args, "export_frames", None):
            rec = sequence.record_debug_session(win, args.export_frames,
                                                gif=sequence.gif_available())
            print(f"{len(rec.frames)} frames in {args.export_frames}"
                  + (f", {rec.gif}" if rec.gif else " (no GIF: Pillow is not installed)"))
        if args.screenshot:
            from kmodgui.gui.screenshot import finish_panes
            finish_panes(win)
            if not win.grab().save(str(args.screenshot)):
                raise OSError(f"cannot write {args.screenshot}")
    except (OSError, RuntimeError, ValueError) as exc:
        print(f"kmodgui: export failed: {exc}", file=sys.stderr)
        status = 1
    win.close()
    return status
