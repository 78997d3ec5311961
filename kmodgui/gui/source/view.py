"""The central source view: a C editor that also shows what the kernel and
the debugger do with the text.

Besides the C text it shows which functions live in .init.text /
.exit.text, and -- once the module is loaded -- the code the kernel has
discarded: init sections are freed right after a successful init
(kernel/module/main.c do_init_module; synchronously in 2.6.30's
sys_init_module), and .exit.text is never kept when the kernel cannot
unload modules (CONFIG_MODULE_UNLOAD=n).  Files (save, autosave, samples,
changes on disk) are handled by kmodgui.gui.editing, not here.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (QBrush, QColor, QPainter, QTextCharFormat,
                           QTextCursor, QTextFormat)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip

from kmodgui.gui.source.anchors import anchor, where
from kmodgui.gui.source.debugview import DebugViewMixin
from kmodgui.gui.source.editor import EditorKeysMixin
from kmodgui.gui.source.findbar import FindBar
from kmodgui.gui.source.gutter import SourceGutter
from kmodgui.gui.source.highlighter import CHighlighter
from kmodgui.gui.source.marks import Mark, arrow_lanes
from kmodgui.gui.source.outline import Outline, scan
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import mono_font

SECTION_NOTE = {"init": "__init  ·  .init.text", "exit": "__exit  ·  .exit.text"}
#: extra selections carry their kind here ("exec", "trace", "mark", "squiggle",
#: "discarded", "selected", "find", "find-current"), for tests and tools.
KIND = QTextFormat.UserProperty + 1
RESCAN_MS = 250         # goto arrows follow the text this long after the last key


def selection(kind: str, cursor: QTextCursor, full_width: bool = False) -> QTextEdit.ExtraSelection:
    sel = QTextEdit.ExtraSelection()
    sel.cursor = cursor
    sel.format.setProperty(KIND, kind)
    if full_width:
        sel.format.setProperty(QTextFormat.FullWidthSelection, True)
    return sel


class SourceView(EditorKeysMixin, DebugViewMixin, QPlainTextEdit):
    """The C source editor with the debugger's view of it.

    Editing: undo/redo (Ctrl+Z, Ctrl+Shift+Z/Ctrl+Y), kernel-style
    auto-indent (tabs; `}` and goto labels find their column), Tab /
    Shift+Tab indent selected lines, `find_bar` (Ctrl+F where the window
    installs it).  Highlighting is live; the goto arrows follow a text scan
    while editing and the compiled .ko after a build (`set_outline`).
    Diagnostics (`set_marks`) follow their text as lines are inserted.
    A read-only view (a bundled sample) calls `edit_attempt()` on the first
    editing key: when it returns True a writable copy is open and the key
    is applied to it.

    Debugger API (lines are 1-based):

    * ``set_exec_line(line | None)`` -- the paused line: strong background,
      an arrow in the gutter; scrolled into view (centred at projector zoom).
    * ``breakpoints() -> set[int]``, ``set_breakpoints(lines)`` (no signal),
      signal ``breakpoint_toggled(int line, bool on)`` when the user toggles
      one (gutter click, F9 = ``toggle_breakpoint_action``, context menu) or
      an edit moves one (off at the old line, on at the new one).  Drawn as
      red discs with a white centre.
    * ``animate_jump(from_line, to_line, label)`` -- an arrow travels from
      the goto to its label; the taken edge stays thick, the others dim,
      until the next jump, ``clear_trace()`` or ``load()``.  Signal
      ``jump_animation_finished()`` once per call (queued when animations
      are off; at once for an animation a newer jump interrupts).
      ``set_animation(enabled, duration_ms)``; ``jump_running()``;
      ``finish_jump_animation()`` draws the end state now.
    * ``set_trace(lines)`` / ``clear_trace()`` -- lines run during an unwind:
      dashed bar at the text's left edge and a tint.
    * Context menu on a line calling a fault-injectable kernel function:
      "Make this call fail with" ▸ errnos, signal
      ``fail_requested(int line, str function, int errno)`` (errno > 0);
      "Run to this line": signal ``run_to_requested(int line)``.
      ``context_menu_for_line(line)`` builds that menu.

    ``load()`` resets the debugger state (exec line, breakpoints, trace,
    jump) without signals: a new file starts clean.
    """

    #: (line, on): the user toggled a breakpoint, or an edit moved one.
    breakpoint_toggled = Signal(int, bool)
    #: the jump animation started by animate_jump() reached its label.
    jump_animation_finished = Signal()
    #: (line, function, errno > 0): "Make this call fail with" was chosen.
    fail_requested = Signal(int, str, int)
    #: (line): "Run to this line" was chosen.
    run_to_requested = Signal(int)
    #: a file's text was loaded (its path): what was shown about the last one is stale
    loaded = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceView")
        self.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.setAcceptDrops(False)            # the window takes dropped files
        self.theme: Theme = LIGHT
        self.zoom = 1.0
        self.path: Path | None = None
        self.outline = Outline()
        self.arrow_lanes: list[int] = []
        self.marks: list[Mark] = []
        self._mark_anchors: list[tuple[Mark, QTextCursor, str]] = []
        self.discarded: set[str] = set()       # sections freed: {"init", "exit"}
        self.selected_line = 0
        self.find_highlights: list[QTextCursor] = []
        #: called on the first editing key while read-only; True = now writable
        self.edit_attempt: Callable[[], bool] | None = None
        #: the context menu's "Edit a copy": asked for, so always asks
        self.edit_copy: Callable[[], bool] | None = None
        self._loading = False
        self.highlighter = CHighlighter(self.document(), self.theme)
        self.gutter = SourceGutter(self)
        self._init_debug()
        self.find_bar = FindBar(self, self)     # the window moves it under the view
        self._rescan_timer = QTimer(self, singleShot=True, interval=RESCAN_MS)
        self._rescan_timer.timeout.connect(self._rescan)
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self.document().contentsChange.connect(self._on_contents_change)
        self.set_zoom(1.0)

    # -- content -------------------------------------------------------------
    def load(self, path: Path, text: str) -> None:
        """Show a file's text: a fresh document state (undo, marks, debug)."""
        self._loading = True
        try:
            self.path = path
            self.setPlainText(text)
        finally:
            self._loading = False
        self.document().setModified(False)
        self._mark_anchors, self.marks = [], []
        self.discarded = set()
        self.selected_line = 0
        self.find_highlights = []
        self._reset_debug()
        self.set_outline(scan(text))
        self.loaded.emit(str(path))

    def replace_text(self, text: str) -> None:
        """Replace the whole text as one undoable edit (a reload from disk,
        a recovered autosave), keeping cursor, scroll and breakpoints."""
        pos, scroll = self.textCursor().position(), self.verticalScrollBar().value()
        lines = self.breakpoints()
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.set_breakpoints(lines)
        self._mark_anchors, self.marks = [], []
        cursor.setPosition(min(pos, len(text)))
        self.setTextCursor(cursor)
        self.verticalScrollBar().setValue(scroll)
        self._rescan()

    def set_outline(self, outline: Outline) -> None:
        """Functions/sections/gotos to draw.  An exact outline (from the
        compiler) describes the saved file: ignored while there are edits."""
        if outline.exact and self.document().isModified():
            return
        self.outline = outline
        self.arrow_lanes = arrow_lanes([(g.goto_line, g.label_line) for g in outline.gotos])
        self._update_margins()
        self._refresh()

    def set_marks(self, marks: list[Mark]) -> None:
        """Build diagnostics; they then follow their line while editing, and
        a mark goes away when its line's text changes (the text it was
        about is not there any more: the next build says what holds)."""
        doc = self.document()
        self._mark_anchors = [(m, c, self.line_text(m.line)) for m in marks
                              if (c := anchor(doc, m.line, 1)) is not None]
        self.marks = [m for m, _c, _t in self._mark_anchors]
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

    def set_find_highlights(self, cursors: list[QTextCursor]) -> None:
        self.find_highlights = cursors
        self._refresh()

    def line_text(self, line: int) -> str:
        return self.document().findBlockByNumber(line - 1).text()

    # -- following edits ---------------------------------------------------------
    def _on_contents_change(self, _pos: int, _removed: int, _added: int) -> None:
        if self._loading:
            return
        if self._mark_anchors:
            self._follow_marks()
        self._follow_breakpoints()
        self._rescan_timer.start()
        self._refresh()

    def _follow_marks(self) -> None:
        """A mark stays with its line's text: a line typed above it moves it
        down (Enter at the very start of the line splits the block the
        anchor is in: the text then continues in the next one); a mark
        whose line was edited is dropped."""
        kept = []
        for m, c, text in self._mark_anchors:
            c.movePosition(QTextCursor.StartOfBlock)
            block = c.block()
            if block.text().strip() != text.strip():
                block = next((b for b in (block.next(), block.previous())
                              if b.isValid() and b.text().strip() == text.strip()), None)
                if block is None:
                    continue
                c.setPosition(block.position())
            kept.append((replace(m, line=where(c)[0]), c, text))
        self._mark_anchors = kept
        self.marks = [m for m, _c, _t in kept]

    def _rescan(self) -> None:
        """Goto arrows and sections from the text (cheap: regexes).  Kept
        exact (compiled) while the text is the saved one."""
        if self.outline.exact and not self.document().isModified():
            return
        self.set_outline(scan(self.toPlainText()))

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
        self.setCursorWidth(max(1, round(2 * factor)))
        self.find_bar.set_zoom(factor)
        self._update_margins()

    # -- geometry helpers (also used by the gutter) ----------------------------
    def arrow_lane_count(self) -> int:
        lanes = max(self.arrow_lanes) + 1 if self.arrow_lanes else 0
        return lanes + (1 if self.jump_is_extra() else 0)

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

    def visible_rows(self) -> int:
        return max(1, int(self.viewport().height() / max(1.0, self.line_height())))

    def line_at(self, y: float) -> int:
        first = self.firstVisibleBlock().blockNumber() + 1
        return first + int((y - self.line_top(first)) // max(1.0, self.line_height()))

    def describe_line(self, line: int) -> str:
        """Tooltip text: gcc-style diagnostics of the line, then its section."""
        name = self.path.name if self.path else "source"
        parts = [f"{name}:{m}" for m in self.marks if m.line == line]
        section = self.outline.section_of(line)
        if section in ("init", "exit"):
            parts.append(self._section_note(section))
        for g in self.outline.gotos:
            if g.goto_line == line:
                parts.append(f"goto {g.label} → line {g.label_line}")
        if line in self.breakpoints():
            parts.append("breakpoint (F9 or click the margin to remove)")
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
        self.setExtraSelections(
            self._discard_selections() + self._trace_selections() + self._selected_selection()
            + self._exec_selections() + self._mark_selections() + self._find_selections())
        self.gutter.update()
        self.viewport().update()

    def selections(self, kind: str) -> list[QTextEdit.ExtraSelection]:
        """The extra selections of one kind (see KIND)."""
        return [s for s in self.extraSelections() if s.format.property(KIND) == kind]

    def _discard_selections(self) -> list[QTextEdit.ExtraSelection]:
        out = []
        hatch = QColor(self.theme.discarded)
        hatch.setAlpha(110)
        for f in self.outline.functions:
            if f.section not in self.discarded:
                continue
            for line in range(f.first, f.last + 1):
                sel = selection("discarded", QTextCursor(self.document().findBlockByNumber(line - 1)),
                                full_width=True)
                sel.format.setBackground(QBrush(hatch, Qt.BDiagPattern))
                sel.format.setForeground(QColor(self.theme.discarded))
                out.append(sel)
        return out

    def _mark_selections(self) -> list[QTextEdit.ExtraSelection]:
        """Each diagnostic: a tinted line and a squiggle under the token at
        its column (gcc's caret), or the rest of the line when none is there."""
        out = []
        for m in self.marks:
            block = self.document().findBlockByNumber(m.line - 1)
            if not block.isValid():
                continue
            colour = QColor(self.theme.error if m.is_error else self.theme.warning)
            line_bg = selection("mark", QTextCursor(block), full_width=True)
            tint = QColor(colour)
            tint.setAlpha(40)
            line_bg.format.setBackground(tint)
            squiggle = selection("squiggle", self._token_cursor(block, m.col))
            squiggle.format.setUnderlineStyle(QTextCharFormat.WaveUnderline)
            squiggle.format.setUnderlineColor(colour)
            out += [line_bg, squiggle]
        return out

    @staticmethod
    def _token_cursor(block, col: int) -> QTextCursor:
        """The token gcc's column points at (a word, else one character);
        no column: the whole statement."""
        text = block.text()
        if col <= 0:
            start, end = len(text) - len(text.lstrip()), len(text)
        else:
            start = min(col - 1, max(0, len(text) - 1))
            end = start
            while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                end += 1
            end = max(end, min(len(text), start + 1))
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + start)
        cursor.setPosition(block.position() + end, QTextCursor.KeepAnchor)
        return cursor

    def _selected_selection(self) -> list[QTextEdit.ExtraSelection]:
        if not self.selected_line:
            return []
        sel = selection("selected", QTextCursor(self.document().findBlockByNumber(self.selected_line - 1)),
                        full_width=True)
        sel.format.setBackground(QColor(self.theme.current_line))
        return [sel]

    def _find_selections(self) -> list[QTextEdit.ExtraSelection]:
        out = []
        tint = QColor(self.theme.accent)
        tint.setAlpha(70)
        current = self.textCursor()
        for c in self.find_highlights:
            is_current = (c.selectionStart(), c.selectionEnd()) == (current.selectionStart(),
                                                                     current.selectionEnd())
            sel = selection("find-current" if is_current else "find", c)
            sel.format.setBackground(QColor(self.theme.accent) if is_current else tint)
            if is_current:
                sel.format.setForeground(QColor("#ffffff"))
            sel.format.setFontUnderline(True)          # not colour alone
            out.append(sel)
        return out

    # -- overlay: notes right of the text (sections, diagnostics, jumps) ----------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.Antialiasing)
        first, last = self.visible_lines()
        notes: dict[int, list[tuple[str, QColor]]] = {}
        for f in self.outline.functions:
            if f.section in SECTION_NOTE and first <= f.first <= last:
                notes.setdefault(f.first, []).append(
                    (self._section_note(f.section),
                     QColor(self.theme.init_mark if f.section == "init" else self.theme.exit_mark)))
        for m in self.marks:
            if first <= m.line <= last:
                icon = "✖" if m.is_error else "▲"
                notes.setdefault(m.line, []).append(
                    (f"{icon} {m.severity}: {m.message}",
                     QColor(self.theme.error if m.is_error else self.theme.warning)))
        for line, items in self._debug_notes(first, last).items():
            notes.setdefault(line, []).extend(items)
        for line, items in notes.items():
            self._paint_notes(p, line, items)
        p.end()

    def _paint_notes(self, p: QPainter, line: int, items: list[tuple[str, QColor]]) -> None:
        block = self.document().findBlockByNumber(line - 1)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.EndOfBlock)
        x = self.cursorRect(cursor).right() + self.fontMetrics().horizontalAdvance("  ")
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 0.82)
        p.setFont(font)
        fm = p.fontMetrics()
        h = self.line_height()
        for text, colour in items:
            rect = QRectF(x, self.line_top(line) + h * 0.1,
                          fm.horizontalAdvance(text) + fm.height(), h * 0.8)
            p.setPen(colour)
            p.setBrush(QColor(self.theme.base))
            p.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
            fill = QColor(colour)
            fill.setAlpha(30)
            p.setBrush(fill)
            p.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
            p.drawText(rect, Qt.AlignCenter, text)
            x = rect.right() + fm.horizontalAdvance(" ")

    def viewportEvent(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            text = self.describe_line(self.line_at(event.pos().y()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
