"""Export for slides: the timeline (PNG, SVG), a pane or the whole window
(PNG), the dmesg (text).  Every export whose content includes an injected
fault carries the note from notes.fault_note: a banner on pictures, a
title on the timeline, a comment line on text.

pyqtgraph's exporters are imported only when the timeline is exported.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from kmodgui.gui.export.notes import fault_note
from kmodgui.gui.panels.dmesg_format import timestamp
from kmodgui.kernel.events import Booted, Printk

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

#: exported timeline pictures are drawn at this multiple of the screen size
TIMELINE_SCALE = 2.0


# -- banners -------------------------------------------------------------------------
def banner_font(width: int) -> QFont:
    """Readable on a slide whatever the picture's width."""
    font = QFont()
    font.setPixelSize(max(16, min(40, width // 60)))
    font.setBold(True)
    return font


def with_banners(image: QImage, theme: Any, caption: str = "", note: str = "") -> QImage:
    """`image` with a caption strip below it and a fault-note strip above it.

    The strips are added around the picture, never over it, so nothing the
    window showed is hidden.  The note has a ⚠ and its own colour; the
    caption is light text on dark, like subtitles."""
    if not caption and not note:
        return image
    w = image.width()
    font = banner_font(w)
    metrics = QFontMetrics(font)
    pad = metrics.height() // 2
    flags = Qt.TextWordWrap | Qt.AlignLeft | Qt.AlignVCenter

    def strip_height(text: str) -> int:
        if not text:
            return 0
        rect = metrics.boundingRect(QRect(0, 0, w - 2 * pad, 10_000), flags, text)
        return rect.height() + 2 * pad
    top, bottom = strip_height("⚠ " + note if note else ""), strip_height(caption)
    out = QImage(w, image.height() + top + bottom, QImage.Format_ARGB32)
    out.fill(QColor(theme.base))
    p = QPainter(out)
    p.setRenderHint(QPainter.TextAntialiasing)
    p.drawImage(0, top, image)
    p.setFont(font)
    if note:
        p.fillRect(0, 0, w, top, QColor(theme.injected))
        p.setPen(QColor("#ffffff"))
        p.drawText(QRect(pad, 0, w - 2 * pad, top), flags, "⚠ " + note)
    if caption:
        y = top + image.height()
        p.fillRect(0, y, w, bottom, QColor("#111111"))
        p.setPen(QColor("#ffffff"))
        p.drawText(QRect(pad, y, w - 2 * pad, bottom), flags, caption)
    p.end()
    return out


def save_image(image: QImage, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return path


def grab(widget: QWidget) -> QImage:
    """The widget as it is on screen, at the screen's pixel ratio."""
    pixmap: QPixmap = widget.grab()
    return pixmap.toImage()


# -- exports ----------------------------------------------------------------------------
def _note(win: "MainWindow") -> str:
    return fault_note(win.bridge.all_events())


def _settle(win: "MainWindow") -> None:
    """Let every batched pane catch up before taking the picture."""
    from kmodgui.gui.screenshot import finish_panes
    finish_panes(win)


def export_window(win: "MainWindow", path: Path) -> Path:
    _settle(win)
    return save_image(with_banners(grab(win), win.theme, note=_note(win)), path)


def export_widget(win: "MainWindow", widget: QWidget, path: Path) -> Path:
    """A pane (its dock, with the title bar) or the central source view."""
    _settle(win)
    return save_image(with_banners(grab(widget), win.theme, note=_note(win)), path)


def export_timeline(win: "MainWindow", path: Path) -> Path:
    """The timeline plot as PNG or SVG (by the suffix), with its legend
    (shapes and patterns say what colour says) and the fault note.

    PNG: pyqtgraph's ImageExporter at TIMELINE_SCALE times the screen size,
    the note in a banner above, the legend in a strip below.  SVG: the
    SVGExporter, with the note and the legend as the plot's title lines."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    panel = win.timeline
    panel.ensure_plot()
    _settle(win)
    item = panel.plot.getPlotItem()
    note = _note(win)
    from kmodgui.gui.panels.timeline import legend_html
    legend = legend_html(win.theme)
    import pyqtgraph.exporters as exporters
    if path.suffix.lower() == ".svg":
        lines = legend.split("&nbsp;&nbsp;&nbsp;&nbsp;")
        if note:
            lines.insert(0, f"<span style='color:{win.theme.injected}; font-weight:bold'>"
                            f"⚠ {note}</span>")
        with _title(item, lines, win):
            _svg_export(exporters.SVGExporter(item), path)
    else:
        exp = exporters.ImageExporter(item)
        exp.parameters()["width"] = int(item.sceneBoundingRect().width() * TIMELINE_SCALE)
        exp.parameters()["background"] = QColor(win.theme.base)
        image = exp.export(toBytes=True)
        image = with_legend(image, legend, win.theme)
        save_image(with_banners(image, win.theme, note=note), path)
    if not path.is_file():
        raise OSError(f"cannot write {path}")
    return path


class _title:
    """The plot's title, several lines high, for the duration of an export
    (pyqtgraph's setTitle fixes the title row at one 30 px line)."""

    def __init__(self, item: Any, lines: list[str], win: "MainWindow") -> None:
        self.item, self.lines, self.win = item, lines, win

    def __enter__(self) -> None:
        points = max(9, round(10 * self.win.zoom))
        self.item.setTitle("<br>".join(self.lines), size=f"{points}pt",
                           color=self.win.theme.text)
        font = QFont()
        font.setPointSize(points)
        height = int(QFontMetrics(font).height() * 1.25 * len(self.lines)) + 6
        self.item.titleLabel.setMaximumHeight(height)
        self.item.layout.setRowFixedHeight(0, height)
        self._settle()

    def __exit__(self, *exc: object) -> None:
        self.item.setTitle(None)
        self._settle()

    def _settle(self) -> None:
        """Let the view box take its new size before anything is drawn: its
        transform follows a resize event, the axes follow at once."""
        from PySide6.QtWidgets import QApplication
        self.item.layout.activate()
        for _ in range(3):
            QApplication.processEvents()
        self.item.vb.updateMatrix()


def with_legend(image: QImage, html: str, theme: Any) -> QImage:
    """`image` with the legend (rich text, wrapped to its width) below it."""
    from PySide6.QtGui import QTextDocument
    doc = QTextDocument()
    font = QFont()
    font.setPixelSize(max(12, min(28, image.width() // 90)))
    doc.setDefaultFont(font)
    doc.setHtml(f"<div style='color:{theme.text}'>{html}</div>")
    pad = font.pixelSize() // 2
    doc.setTextWidth(image.width() - 2 * pad)
    extra = int(doc.size().height()) + 2 * pad
    out = QImage(image.width(), image.height() + extra, QImage.Format_ARGB32)
    out.fill(QColor(theme.base))
    p = QPainter(out)
    p.drawImage(0, 0, image)
    p.translate(pad, image.height() + pad)
    doc.drawContents(p)
    p.end()
    return out


def _svg_export(exporter: Any, path: Path) -> None:
    """pyqtgraph's SVGExporter, taught to read closed paths.

    pyqtgraph 0.14 parses the path data Qt's SVG generator writes, token by
    token as "x,y"; Qt >= 6.8 ends closed shapes (bar outlines, the view
    box) with "Z", which it cannot parse (pyqtgraph issue #3495, fixed in
    a later release).  During this export each "Z" is written as a line
    back to the subpath's start, which draws the same shape."""
    import sys
    module = sys.modules[type(exporter).__module__]
    original = module.correctCoordinates

    def correct(node: Any, defs: Any, item: Any, options: Any) -> Any:
        for element in node.getElementsByTagName("path"):
            element.setAttribute("d", close_paths(element.getAttribute("d")))
        return original(node, defs, item, options)
    module.correctCoordinates = correct
    try:
        exporter.export(str(path))
    finally:
        module.correctCoordinates = original


def close_paths(d: str) -> str:
    """'M0,0 L5,0 L5,5 Z' -> 'M0,0 L5,0 L5,5 L0,0' (SVG closepath as a line)."""
    out: list[str] = []
    start = ""
    for token in d.split():
        if token in ("Z", "z"):
            if start:
                out.append("L" + start)
            continue
        if token[0] in "Mm":
            start = token[1:]
        out.append(token)
    return " ".join(out)


def dmesg_text(win: "MainWindow") -> str:
    """The dmesg pane's lines (its level filter applies) as `dmesg` prints
    them: `[    4.800000] text`.  Reboots are comment lines; an injected
    fault puts a comment line on top."""
    win.dmesg.flush()
    lines = []
    note = _note(win)
    if note:
        lines.append(f"# {note}")
    for rec in win.dmesg.view.records:
        if isinstance(rec, Printk):
            lines.append(f"{timestamp(rec.ts)} {rec.text}")
        elif isinstance(rec, Booted):
            lines.append(f"# ──── reboot: kernel {rec.profile} ────")
    return "\n".join(lines) + ("\n" if lines else "")


def export_dmesg(win: "MainWindow", path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dmesg_text(win), encoding="utf-8")
    return path
