"""The central source view (read-only in this version).

Besides the C text it shows what the kernel does with it: which functions
live in .init.text / .exit.text, and -- once the module is loaded -- the
code the kernel has discarded: init sections are freed right after a
successful init (kernel/module/main.c do_init_module; synchronously in
2.6.30's sys_init_module), and .exit.text is never kept when the kernel
cannot unload modules (CONFIG_MODULE_UNLOAD=n).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QPainter, QTextCharFormat,
                           QTextCursor, QTextFormat)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip

from kmodgui.gui.source.gutter import SourceGutter
from kmodgui.gui.source.highlighter import CHighlighter
from kmodgui.gui.source.marks import Mark, arrow_lanes
from kmodgui.gui.source.outline import Outline, scan
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import mono_font

SECTION_NOTE = {"init": "__init  ·  .init.text", "exit": "__exit  ·  .exit.text"}


class SourceView(QPlainTextEdit):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.setAcceptDrops(False)            # the window takes dropped files
        self.theme: Theme = LIGHT
        self.zoom = 1.0
        self.path: Path | None = None
        self.outline = Outline()
        self.arrow_lanes: list[int] = []
        self.marks: list[Mark] = []
        self.discarded: set[str] = set()       # sections freed: {"init", "exit"}
        self.selected_line = 0
        self.highlighter = CHighlighter(self.document(), self.theme)
        self.gutter = SourceGutter(self)
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self.set_zoom(1.0)

    # -- content -------------------------------------------------------------
    def load(self, path: Path, text: str) -> None:
        self.path = path
        self.setPlainText(text)
        self.marks = []
        self.discarded = set()
        self.selected_line = 0
        self.set_outline(scan(text))

    def set_outline(self, outline: Outline) -> None:
        self.outline = outline
        self.arrow_lanes = arrow_lanes([(g.goto_line, g.label_line) for g in outline.gotos])
        self._update_margins()
        self._refresh()

    def set_marks(self, marks: list[Mark]) -> None:
        self.marks = marks
        self._refresh()

    def set_discarded(self, sections: set[str]) -> None:
        if sections != self.discarded:
            self.discarded = set(sections)
            self._refresh()

    def show_first_function(self) -> None:
        """Scroll so the first function (usually init) is near the top."""
        if self.outline.functions:
            first = self.outline.functions[0].first
            self.verticalScrollBar().setValue(max(0, first - 4))

    def select_line(self, line: int) -> None:
        """Put `line` (1-based) in view and highlight it (timeline clicks)."""
        block = self.document().findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            return
        self.selected_line = line
        cursor = QTextCursor(block)
        self.setTextCursor(cursor)
        self.centerCursor()
        self._refresh()

    # -- appearance ----------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.highlighter.set_theme(theme)
        self._refresh()

    def set_zoom(self, factor: float) -> None:
        self.zoom = factor
        font = mono_font(factor)
        self.setFont(font)
        self.document().setDefaultFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 8)
        self._update_margins()

    # -- geometry helpers (also used by the gutter) ----------------------------
    def arrow_lane_count(self) -> int:
        return max(self.arrow_lanes) + 1 if self.arrow_lanes else 0

    def line_height(self) -> float:
        return self.blockBoundingRect(self.document().firstBlock()).height() or \
            float(self.fontMetrics().lineSpacing())

    def line_top(self, line: int) -> float:
        """Viewport y of a 1-based line; no wrapping, so lines are uniform."""
        first = self.firstVisibleBlock()
        top = self.blockBoundingGeometry(first).translated(self.contentOffset()).top()
        return top + (line - 1 - first.blockNumber()) * self.line_height()

    def visible_lines(self) -> tuple[int, int]:
        first = self.firstVisibleBlock().blockNumber() + 1
        rows = int(self.viewport().height() / max(1.0, self.line_height())) + 2
        return first, min(self.blockCount(), first + rows)

    def line_at(self, y: float) -> int:
        first = self.firstVisibleBlock().blockNumber() + 1
        return first + int((y - self.line_top(first)) // max(1.0, self.line_height()))

    def describe_line(self, line: int) -> str:
        """Tooltip text: diagnostics of the line, then its section."""
        parts = [str(m) for m in self.marks if m.line == line]
        section = self.outline.section_of(line)
        if section in ("init", "exit"):
            parts.append(self._section_note(section))
        for g in self.outline.gotos:
            if g.goto_line == line:
                parts.append(f"goto {g.label} → line {g.label_line}")
        return "\n".join(parts)

    def _section_note(self, section: str) -> str:
        note = SECTION_NOTE[section]
        if section in self.discarded:
            note += ("  ·  freed after init" if section == "init"
                     else "  ·  discarded: this kernel cannot unload modules")
        return note

    # -- internals -------------------------------------------------------------
    def _update_margins(self, *_: object) -> None:
        self.setViewportMargins(self.gutter.total_width(), 0, 0, 0)
        self._place_gutter()

    def _place_gutter(self) -> None:
        cr = self.contentsRect()
        self.gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter.total_width(), cr.height()))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_gutter()

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    def _refresh(self) -> None:
        self.setExtraSelections(self._discard_selections() + self._mark_selections()
                                + self._selected_selection())
        self.gutter.update()
        self.viewport().update()

    def _span_cursor(self, first: int, last: int) -> QTextCursor:
        doc = self.document()
        cursor = QTextCursor(doc.findBlockByNumber(first - 1))
        end = doc.findBlockByNumber(last - 1)
        cursor.setPosition(end.position() + max(0, end.length() - 1), QTextCursor.KeepAnchor)
        return cursor

    def _discard_selections(self) -> list[QTextEdit.ExtraSelection]:
        out = []
        for f in self.outline.functions:
            if f.section not in self.discarded:
                continue
            for line in range(f.first, f.last + 1):
                sel = QTextEdit.ExtraSelection()
                hatch = QColor(self.theme.discarded)
                hatch.setAlpha(110)
                sel.format.setBackground(QBrush(hatch, Qt.BDiagPattern))
                sel.format.setForeground(QColor(self.theme.discarded))
                sel.format.setProperty(QTextFormat.FullWidthSelection, True)
                sel.cursor = QTextCursor(self.document().findBlockByNumber(line - 1))
                out.append(sel)
        return out

    def _mark_selections(self) -> list[QTextEdit.ExtraSelection]:
        out = []
        for m in self.marks:
            block = self.document().findBlockByNumber(m.line - 1)
            if not block.isValid():
                continue
            line_bg = QTextEdit.ExtraSelection()
            tint = QColor(self.theme.error if m.is_error else self.theme.warning)
            tint.setAlpha(40)
            line_bg.format.setBackground(tint)
            line_bg.format.setProperty(QTextFormat.FullWidthSelection, True)
            line_bg.cursor = QTextCursor(block)
            squiggle = QTextEdit.ExtraSelection()
            squiggle.format.setUnderlineStyle(QTextCharFormat.WaveUnderline)
            squiggle.format.setUnderlineColor(QColor(self.theme.error if m.is_error else self.theme.warning))
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + max(0, m.col - 1))
            cursor.movePosition(QTextCursor.EndOfBlock, QTextCursor.KeepAnchor)
            squiggle.cursor = cursor
            out += [line_bg, squiggle]
        return out

    def _selected_selection(self) -> list[QTextEdit.ExtraSelection]:
        if not self.selected_line:
            return []
        sel = QTextEdit.ExtraSelection()
        sel.format.setBackground(QColor(self.theme.current_line))
        sel.format.setProperty(QTextFormat.FullWidthSelection, True)
        sel.cursor = QTextCursor(self.document().findBlockByNumber(self.selected_line - 1))
        return [sel]

    # -- overlay: section notes at the right of each __init/__exit head --------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.Antialiasing)
        first, last = self.visible_lines()
        for f in self.outline.functions:
            if f.section in SECTION_NOTE and first <= f.first <= last:
                self._paint_note(p, f.first, f.section)
        p.end()

    def _paint_note(self, p: QPainter, line: int, section: str) -> None:
        block = self.document().findBlockByNumber(line - 1)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.EndOfBlock)
        x = self.cursorRect(cursor).right() + self.fontMetrics().horizontalAdvance("  ")
        text = self._section_note(section)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 0.82)
        p.setFont(font)
        fm = p.fontMetrics()
        h = self.line_height()
        rect = QRectF(x, self.line_top(line) + h * 0.1, fm.horizontalAdvance(text) + fm.height(), h * 0.8)
        colour = QColor(self.theme.init_mark if section == "init" else self.theme.exit_mark)
        p.setPen(colour)
        p.setBrush(QColor(self.theme.base))
        p.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        fill = QColor(colour)
        fill.setAlpha(30)
        p.setBrush(fill)
        p.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        p.drawText(rect, Qt.AlignCenter, text)

    def viewportEvent(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            text = self.describe_line(self.line_at(event.pos().y()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
