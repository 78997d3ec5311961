"""The app for the real-X focus test: a normal window (the platform is
whatever QT_QPA_PLATFORM says), printing one line per event the test
waits for: READY after the first frame, ACTION <name> when a window-wide
action fires, SAVED/OPENED <path>."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication


def main() -> int:
    settings_file, source = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication(["kmodgui"])
    app.setStyle("Fusion")
    from kmodgui.gui.mainwindow import MainWindow
    from kmodgui.gui.settings import open_settings
    from kmodgui.session import Session
    win = MainWindow(Session(), open_settings(settings_file), follow_system_theme=False)
    win.open_source(source)

    def say(text: str) -> None:
        print(text, flush=True)
    for name in ("build", "insmod", "rmmod"):
        win.acts[name].triggered.connect(lambda _c=False, n=name: say(f"ACTION {n}"))
    win.editing.saved.connect(lambda p: say(f"SAVED {p}"))
    win.bridge.buildFinished.connect(lambda p, _r: say(f"BUILT {p}"))
    win.firstFrame.connect(lambda: say("READY"))
    win.show()
    return app.exec()

if __name__ == "__main__":
    sys.exit(main())
