"""File → Export (issue 6, item 4): pictures and texts for slides.

`install(win)` adds the Export submenu to the File menu and a
`win.exporter` whose file dialogs tests replace.  The work itself is in
images.py (timeline, panes, window, dmesg) and sequence.py (a debug
session as a numbered PNG sequence, plus a GIF when Pillow is installed).
Every export that shows an injected fault says so (notes.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from kmodgui.gui.export import images, sequence
from kmodgui.gui.workbench import MenuId

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

__all__ = ["Exporter", "install"]


class Exporter:
    """The Export menu's actions.  `ask_file(title, default path, filter)`
    and `ask_folder(title, default)` return a path or None; tests replace them."""

    def __init__(self, win: "MainWindow") -> None:
        self.win = win
        self.ask_file: Callable[[str, str, str], str | None] = self._file_dialog
        self.ask_folder: Callable[[str, str], str | None] = self._folder_dialog
        #: how a failed export is reported (a message box; tests collect it)
        self.warn: Callable[[str], None] = lambda text: QMessageBox.warning(
            self.win, "Export", text)
        self.errors: list[str] = []
        self.last: Path | None = None          # the last file or folder written

    # -- where to ---------------------------------------------------------------------
    def _folder(self) -> Path:
        saved = self.win.settings.value("export/folder", "")
        if saved and Path(str(saved)).is_dir():
            return Path(str(saved))
        pictures = QStandardPaths.writableLocation(QStandardPaths.PicturesLocation)
        return Path(pictures or Path.home())

    def _default(self, what: str, suffix: str) -> str:
        name = self.win.module() or "kmodgui"
        return str(self._folder() / f"{name}-{what}{suffix}")

    def _file_dialog(self, title: str, default: str, filters: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.win, title, default, filters)
        return path or None

    def _folder_dialog(self, title: str, default: str) -> str | None:
        return QFileDialog.getExistingDirectory(self.win, title, default) or None

    def _done(self, path: Path) -> Path:
        self.last = Path(path)
        folder = self.last if self.last.is_dir() else self.last.parent
        self.win.settings.setValue("export/folder", str(folder))
        self.win.statusBar().showMessage(f"Exported {self.last}", 8000)
        return self.last

    def _run(self, work: Callable[[], Path]) -> Path | None:
        try:
            return self._done(work())
        except (OSError, RuntimeError, ValueError) as exc:
            self.errors.append(str(exc))
            self.warn(f"Export failed: {exc}")
            return None

    # -- the menu's actions ---------------------------------------------------------------
    def timeline(self, suffix: str = ".png") -> Path | None:
        kind = "SVG (*.svg)" if suffix == ".svg" else "PNG image (*.png)"
        path = self.ask_file("Export the timeline", self._default("timeline", suffix), kind)
        if not path:
            return None
        path = path if Path(path).suffix.lower() in (".png", ".svg") else path + suffix
        return self._run(lambda: images.export_timeline(self.win, Path(path)))

    def window(self) -> Path | None:
        path = self.ask_file("Export the window", self._default("window", ".png"),
                             "PNG image (*.png)")
        return self._run(lambda: images.export_window(self.win, Path(path))) if path else None

    def pane(self, name: str) -> Path | None:
        """A dock by objectName, or "source" for the central source view."""
        widget = self.win.centralWidget() if name == "source" else self.win.docks[name]
        title = "source" if name == "source" else self.win.docks[name].windowTitle()
        slug = title.lower().replace(" ", "-")
        path = self.ask_file(f"Export the {title} pane", self._default(slug, ".png"),
                             "PNG image (*.png)")
        if not path:
            return None
        if not widget.isVisible():
            self.win.docks[name].show()
            self.win.docks[name].raise_()
        return self._run(lambda: images.export_widget(self.win, widget, Path(path)))

    def dmesg(self) -> Path | None:
        path = self.ask_file("Export the dmesg", self._default("dmesg", ".txt"),
                             "Text (*.txt)")
        return self._run(lambda: images.export_dmesg(self.win, Path(path))) if path else None

    def debug_session(self, gif: bool = False) -> Path | None:
        folder = self.ask_folder("Export a debug session: folder for the frames",
                                 str(self._folder()))
        if not folder:
            return None

        def work() -> Path:
            def progress(n: int, caption: str) -> None:
                self.win.statusBar().showMessage(f"frame {n}: {caption}")
            rec = sequence.record_debug_session(self.win, Path(folder), gif=gif,
                                                progress=progress)
            return rec.gif or Path(folder)
        return self._run(work)


def install(win: "MainWindow") -> Exporter:
    ex = Exporter(win)
    win.exporter = ex
    menu = QMenu("&Export", win)
    menu.setObjectName("menuExport")
    menu.addAction("Timeline as PNG…", lambda: ex.timeline(".png")).setObjectName(
        "actionExportTimelinePng")
    menu.addAction("Timeline as SVG…", lambda: ex.timeline(".svg")).setObjectName(
        "actionExportTimelineSvg")
    menu.addAction("Window as PNG…", ex.window).setObjectName("actionExportWindow")
    panes = menu.addMenu("Pane as PNG")
    panes.setObjectName("menuExportPane")
    panes.aboutToShow.connect(lambda: _fill_panes(win, ex, panes))
    _fill_panes(win, ex, panes)
    menu.addAction("dmesg as text…", ex.dmesg).setObjectName("actionExportDmesg")
    menu.addSeparator()
    menu.addAction("Debug session as PNG sequence…",
                   lambda: ex.debug_session(False)).setObjectName("actionExportFrames")
    gif = menu.addAction("Debug session as PNG sequence and GIF…", lambda: ex.debug_session(True))
    gif.setObjectName("actionExportGif")
    if not sequence.gif_available():
        gif.setEnabled(False)
        gif.setToolTip("needs the Pillow package")
    menu.setToolTipsVisible(True)
    file_menu = win.bench.menu(MenuId.FILE)
    quit_action = win.acts.get("quit")
    file_menu.insertMenu(quit_action, menu) if quit_action in file_menu.actions() \
        else file_menu.addMenu(menu)
    if quit_action in file_menu.actions():
        file_menu.insertSeparator(quit_action)
    win.export_menu = menu
    return ex


def _fill_panes(win: "MainWindow", ex: Exporter, menu: QMenu) -> None:
    menu.clear()
    menu.addAction("Source view", lambda: ex.pane("source"))
    for name, dock in win.docks.items():
        menu.addAction(dock.windowTitle(), lambda n=name: ex.pane(n))
