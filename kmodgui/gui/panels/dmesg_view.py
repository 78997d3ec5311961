"""The dmesg text view: messages in the text, and in a left gutter the
level name (as `dmesg -x` prints it) and printk's timestamp, after a star
for lines that report an injected fault.  The gutter is compact: a smaller
font and the timestamp without print_time's padding.  In the "dmesg"
layout the timestamp is part of the text instead, as `dmesg` prints it,
and the gutter keeps only the star and the level.

Putting the prefix in a gutter keeps wrapped messages aligned under the
message instead of under the timestamp, and costs nothing per line: the
gutter paints only the visible blocks.  One record per block; the record
list is capped exactly like the document (setMaximumBlockCount), so block
number N is always record N.
"""
from __future__ import annotations

from collections import deque

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from kmodgui.gui.panels.dmesg_format import compact_time, level_tag, timestamp
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.kernel.events import Booted, Printk

Record = Printk | Booted
MARK = "★"          # gutter mark of lines printed by an injected fault
GUTTER_SCALE = 0.85  # the gutter's font, relative to the text's
MIN_TIME = compact_time(99_999_000_000)   # the time column fits at least this


class DmesgGutter(QWidget):
    def __init__(self, view: DmesgView) -> None:
        super().__init__(view)
        self.view = view

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        v = self.view
        t = v.theme
        p.fillRect(event.rect(), QColor(t.gutter))
        font = v.gutter_font()
        fm = QFontMetricsF(font)
        line_h = v.fontMetrics().height()
        mark_w = fm.horizontalAdvance(MARK + " ")
        tag_w = fm.horizontalAdvance(level_tag(5))
        time_w = fm.horizontalAdvance(v.widest_time())
        block = v.firstVisibleBlock()
        offset = v.contentOffset()
        bold = QFont(font)
        bold.setBold(True)
        while block.isValid():
            top = v.blockBoundingGeometry(block).translated(offset).top()
            if top > self.height():
                break
            rec = v.record(block.blockNumber())
            if isinstance(rec, Printk):
                rect = QRectF(4, top, self.width(), line_h)
                if rec.injected:                 # part of a fault-injection report
                    p.setFont(bold)
                    p.setPen(QColor(t.injected))
                    p.drawText(rect, Qt.AlignLeft | Qt.AlignVCenter, MARK)
                rect = rect.adjusted(mark_w, 0, 0, 0)
                p.setFont(bold if rec.level <= 4 else font)
                p.setPen(QColor(t.levels[rec.level]))
                p.drawText(rect, Qt.AlignLeft | Qt.AlignVCenter, level_tag(rec.level))
                if v.layout_mode == "columns":
                    p.setFont(font)
                    p.setPen(QColor(t.dim))
                    p.drawText(QRectF(rect.left() + tag_w, top, time_w, line_h),
                               Qt.AlignRight | Qt.AlignVCenter, compact_time(rec.ts))
            block = block.next()
        p.end()


class DmesgView(QPlainTextEdit):
    def __init__(self, max_lines: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("dmesgView")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.setMaximumBlockCount(max_lines)
        self.theme: Theme = LIGHT
        self.layout_mode = "columns"      # or "dmesg": the timestamp in the text
        self.records: deque[Record] = deque(maxlen=max_lines)
        self.gutter = DmesgGutter(self)
        self.updateRequest.connect(self._on_update_request)

    def record(self, row: int) -> Record | None:
        return self.records[row] if 0 <= row < len(self.records) else None

    def gutter_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * GUTTER_SCALE)
        return font

    def widest_time(self) -> str:
        """The time column is as wide as the newest (largest) timestamp."""
        last = next((r for r in reversed(self.records) if isinstance(r, Printk)), None)
        text = compact_time(last.ts) if last is not None else ""
        return text if len(text) > len(MIN_TIME) else MIN_TIME

    def gutter_width(self) -> int:
        fm = QFontMetricsF(self.gutter_font())
        text = MARK + " " + level_tag(5)
        if self.layout_mode == "columns":
            text += self.widest_time() + " "
        return int(fm.horizontalAdvance(text)) + 8

    def append_records(self, records: list[Record]) -> None:
        """One edit block for the whole batch (fast), one block per record."""
        if not records:
            return
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.End)
        cursor.beginEditBlock()
        for rec in records:
            if self.records:
                cursor.insertBlock()
            self._write(cursor, rec)
            self.records.append(rec)
        cursor.endEditBlock()
        self.refresh_margins()            # the time column may have widened

    def _write(self, cursor: QTextCursor, rec: Record) -> None:
        t = self.theme
        if isinstance(rec, Booted):
            cursor.insertText(f"──── reboot: kernel {rec.profile} ────", _fmt(t.reboot, True))
            return
        colour = t.text if rec.level == 6 else t.levels[rec.level]
        if self.layout_mode == "dmesg":
            cursor.insertText(timestamp(rec.ts) + " ", _fmt(t.dim))
        cursor.insertText(rec.text, _fmt(colour, rec.level <= 3))

    def clear_records(self) -> None:
        self.records.clear()
        self.clear()

    def line(self, row: int) -> str:
        """A line as `dmesg -x` would print it (level, timestamp, text)."""
        rec = self.record(row)
        text = self.document().findBlockByNumber(row).text()
        if isinstance(rec, Printk):
            mark = MARK if rec.injected else " "
            if self.layout_mode == "columns":
                text = f"{timestamp(rec.ts)} {text}"
            return f"{mark} {level_tag(rec.level)}{text}"
        return text

    # -- gutter geometry ---------------------------------------------------------
    def refresh_margins(self) -> None:
        # setViewportMargins() can resize the view again (scroll bars come and
        # go in a pane narrower than the gutter): never re-enter, and only
        # touch the margins when they change
        if getattr(self, "_in_refresh", False):
            return
        self._in_refresh = True
        try:
            width = self.gutter_width()
            if self.viewportMargins().left() != width:
                self.setViewportMargins(width, 0, 0, 0)
            cr = self.contentsRect()
            self.gutter.setGeometry(QRect(cr.left(), cr.top(), width, cr.height()))
        finally:
            self._in_refresh = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.refresh_margins()

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())


def _fmt(colour: str, bold: bool = False) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setForeground(QColor(colour))
    if bold:
        f.setFontWeight(QFont.Bold)
    return f
