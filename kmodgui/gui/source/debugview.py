"""What the debugger draws on the source view (a mixin of SourceView; the
API is documented on SourceView): the paused line, breakpoints, the goto
taken (animated from the goto to its label), the unwind trace, and the
context menu that makes a kernel call fail.

Kernel semantics behind the pictures: a failing call in init jumps to the
label that undoes what was already done (the goto ladder); the lines run
from there on are the unwind -- each releases one resource, in reverse
order of acquisition.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractAnimation, QEasingCurve, QPoint, QTimer, QVariantAnimation
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCursor
from PySide6.QtWidgets import QMenu, QTextEdit

from kmodgui.gui.source.anchors import anchor, where
from kmodgui.gui.source.faults import errno_choices, how_it_fails, injectable_calls
from kmodgui.gui.source.highlighter import CHighlighter
from kmodgui.gui.source.outline import GotoArrow
from kmodgui.gui.zoom import PRESENTATION_ZOOM, ui_font

#: the paused line: a strong yellow, as debuggers draw it (text stays readable)
EXEC_BG = {"light": "#ffe680", "dark": "#5c4a0a", "high-contrast": "#ffd43b"}
EXEC_ARROW = "#f5b400"
DEFAULT_ANIMATION_MS = 700


@dataclass
class Jump:
    """The goto being (or last) taken; progress 0..1 along its arrow."""
    from_line: int
    to_line: int
    label: str
    progress: float = 0.0


class DebugViewMixin:
    # -- set-up ------------------------------------------------------------------
    def _init_debug(self) -> None:
        self.exec_line: int | None = None
        self._bp_anchors: list[QTextCursor] = []
        self._bp_lines: set[int] = set()
        self.trace_lines: list[int] = []
        self.jump: Jump | None = None
        self.animation_enabled = True
        self.animation_ms = DEFAULT_ANIMATION_MS
        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.InOutCubic)
        self._anim.valueChanged.connect(self._on_jump_progress)
        self._anim.finished.connect(self._on_jump_finished)
        act = QAction("Toggle breakpoint", self)
        act.setObjectName("actionToggleBreakpoint")
        act.setShortcut(QKeySequence("F9"))
        act.setToolTip("Toggle a breakpoint on the current line  (F9)")
        act.triggered.connect(lambda _checked=False: self.toggle_breakpoint(self.cursor_line()))
        self.addAction(act)
        self.toggle_breakpoint_action = act

    def _reset_debug(self) -> None:
        self._interrupt_jump()
        self.exec_line = None
        self._bp_anchors, self._bp_lines = [], set()
        self.trace_lines = []
        self.jump = None

    def cursor_line(self) -> int:
        return self.textCursor().blockNumber() + 1

    # -- the paused line ---------------------------------------------------------
    def set_exec_line(self, line: int | None) -> None:
        self.exec_line = line if line and 1 <= line <= self.blockCount() else None
        self._refresh()
        if self.exec_line:
            self.bring_into_view(self.exec_line)

    def bring_into_view(self, line: int) -> None:
        """Scroll when `line` is near an edge: at projector zoom keep it in
        the middle third (a hall reads the middle of the screen), else 3
        lines from the edges."""
        rows = self.visible_rows()
        bar = self.verticalScrollBar()
        first = bar.value() + 1
        margin = rows // 3 if self.zoom >= PRESENTATION_ZOOM else min(3, rows // 4)
        if not first + margin <= line <= first + rows - 1 - margin:
            bar.setValue(max(0, line - 1 - rows // 2))

    def _exec_selections(self) -> list[QTextEdit.ExtraSelection]:
        if not self.exec_line:
            return []
        from kmodgui.gui.source.view import selection
        sel = selection("exec", QTextCursor(self.document().findBlockByNumber(self.exec_line - 1)),
                        full_width=True)
        sel.format.setBackground(QColor(EXEC_BG.get(self.theme.name, EXEC_BG["light"])))
        return [sel]

    # -- breakpoints -------------------------------------------------------------
    def breakpoints(self) -> set[int]:
        return set(self._bp_lines)

    def set_breakpoints(self, lines: set[int]) -> None:
        doc = self.document()
        self._bp_anchors = [c for line in sorted(set(lines)) if (c := anchor(doc, line)) is not None]
        self._bp_lines = {where(c)[0] for c in self._bp_anchors}
        self._refresh()

    def toggle_breakpoint(self, line: int) -> None:
        """The user's toggle: emits breakpoint_toggled(line, on)."""
        if not 1 <= line <= self.blockCount():
            return
        on = line not in self._bp_lines
        if on:
            self._bp_anchors.append(anchor(self.document(), line))
            self._bp_lines.add(line)
        else:
            self._bp_anchors = [c for c in self._bp_anchors if where(c)[0] != line]
            self._bp_lines.discard(line)
        self._refresh()
        self.breakpoint_toggled.emit(line, on)

    def _follow_breakpoints(self) -> None:
        """After an edit: breakpoints moved with their text (signalled)."""
        now: dict[int, QTextCursor] = {}
        for c in self._bp_anchors:
            now.setdefault(where(c)[0], c)
        if set(now) == self._bp_lines:
            return
        before, self._bp_lines = self._bp_lines, set(now)
        self._bp_anchors = list(now.values())
        for line in sorted(before - self._bp_lines):
            self.breakpoint_toggled.emit(line, False)
        for line in sorted(self._bp_lines - before):
            self.breakpoint_toggled.emit(line, True)

    # -- the goto taken ------------------------------------------------------------
    def set_animation(self, enabled: bool, duration_ms: int = DEFAULT_ANIMATION_MS) -> None:
        self.animation_enabled = enabled
        self.animation_ms = max(0, int(duration_ms))

    def animate_jump(self, from_line: int, to_line: int, label: str) -> None:
        self._interrupt_jump()
        self.jump = Jump(from_line, to_line, label)
        self._update_margins()                 # an unknown edge gets its own lane
        self._show_span(from_line, to_line)
        if not self.animation_enabled or self.animation_ms <= 0:
            self.jump.progress = 1.0
            self._refresh()
            QTimer.singleShot(0, self, self.jump_animation_finished.emit)   # queued
            return
        self._anim.setDuration(self.animation_ms)
        self._anim.start()
        self._refresh()

    def jump_running(self) -> bool:
        return self._anim.state() == QAbstractAnimation.Running

    def clear_jump(self) -> None:
        self._interrupt_jump()
        if self.jump is not None:
            self.jump = None
            self._update_margins()
            self._refresh()

    def taken_goto(self) -> GotoArrow | None:
        """The outline's goto edge the jump follows (None: not in the outline)."""
        j = self.jump
        if j is None:
            return None
        for g in self.outline.gotos:
            if g.goto_line == j.from_line and g.label_line == j.to_line:
                return g
        return None

    def jump_is_extra(self) -> bool:
        return self.jump is not None and self.taken_goto() is None

    def finish_jump_animation(self) -> None:
        """Draw a running jump's end state now (screenshots, exports)."""
        self._interrupt_jump()

    def _interrupt_jump(self) -> None:
        """A running animation ends now, still signalling its end."""
        if self._anim.state() == QAbstractAnimation.Running:
            self._anim.stop()
            if self.jump is not None:
                self.jump.progress = 1.0
            self.jump_animation_finished.emit()

    def _on_jump_progress(self, value: float) -> None:
        if self.jump is not None and self._anim.state() == QAbstractAnimation.Running:
            self.jump.progress = float(value)
            self.gutter.update()
            self.viewport().update()

    def _on_jump_finished(self) -> None:
        if self.jump is not None:
            self.jump.progress = 1.0
        self._refresh()
        self.jump_animation_finished.emit()

    def _show_span(self, a: int, b: int) -> None:
        """Both ends of a jump in view when they fit, else its target."""
        lo, hi = sorted((a, b))
        rows = self.visible_rows()
        first = self.verticalScrollBar().value() + 1
        if first <= lo and hi <= first + rows - 1:
            return
        if hi - lo + 1 <= rows - 2:
            self.verticalScrollBar().setValue(max(0, (lo + hi) // 2 - 1 - rows // 2))
        else:
            self.bring_into_view(b)

    # -- the unwind trace ----------------------------------------------------------
    def set_trace(self, lines: list[int]) -> None:
        self.trace_lines = sorted({n for n in lines if 1 <= n <= self.blockCount()})
        self._refresh()

    def clear_trace(self) -> None:
        """Drop the trace and the highlighted jump that began it."""
        self.trace_lines = []
        self.clear_jump()
        self._refresh()

    def _trace_selections(self) -> list[QTextEdit.ExtraSelection]:
        from kmodgui.gui.source.view import selection
        tint = QColor(self.theme.label)
        tint.setAlpha(34)
        out = []
        for line in self.trace_lines:
            sel = selection("trace", QTextCursor(self.document().findBlockByNumber(line - 1)),
                            full_width=True)
            sel.format.setBackground(tint)
            out.append(sel)
        return out

    def trace_bar_width(self) -> float:
        return max(3.0, 3.5 * self.zoom)

    # -- painting on the text ---------------------------------------------------------
    def _debug_notes(self, first: int, last: int) -> dict[int, list[tuple[str, QColor]]]:
        j = self.jump
        if j is None or j.progress < 0.5 or not first <= j.to_line <= last:
            return {}
        return {j.to_line: [(f"◀ goto {j.label}  from line {j.from_line}", QColor(self.theme.label))]}

    # -- context menu ---------------------------------------------------------------
    def contextMenuEvent(self, event) -> None:
        if event.reason() == event.Reason.Keyboard:
            line = self.cursor_line()
        else:
            line = self.line_at(event.pos().y())
        menu = self.context_menu_for_line(line, event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu_for_line(self, line: int, pos: QPoint | None = None) -> QMenu:
        """Debugger entries for `line`, then the usual editing entries."""
        menu = QMenu(self)
        menu.setObjectName("sourceContextMenu")
        menu.setFont(ui_font(self.zoom))
        block = self.document().findBlockByNumber(line - 1)
        in_comment = block.previous().userState() == CHighlighter.IN_COMMENT
        calls = injectable_calls(block.text(), in_comment) if block.isValid() else []
        for func in calls:
            self._add_fail_menu(menu, line, func, several=len(calls) > 1)
        if block.isValid():
            run = menu.addAction("Run to this line")
            run.triggered.connect(lambda _c=False: self.run_to_requested.emit(line))
            bp = menu.addAction("Remove breakpoint" if line in self._bp_lines else "Add breakpoint")
            bp.setShortcut(self.toggle_breakpoint_action.shortcut())
            bp.triggered.connect(lambda _c=False: self.toggle_breakpoint(line))
        menu.addSeparator()
        copy = self.edit_copy or self.edit_attempt
        if self.isReadOnly() and copy is not None:
            menu.addAction("Edit a copy of this sample…", lambda: copy())
        standard = self.createStandardContextMenu(pos if pos is not None else QPoint(0, 0))
        standard.setParent(menu, standard.windowFlags())
        for act in standard.actions():
            menu.addAction(act)
        return menu

    def _add_fail_menu(self, menu: QMenu, line: int, func: str, several: bool) -> None:
        title = f"Make {func}() fail with" if several else "Make this call fail with"
        sub = menu.addMenu(title)
        sub.setObjectName(f"failMenu_{func}")
        sub.setFont(menu.font())
        head = sub.addAction(f"{func}() {how_it_fails(func)}")
        head.setEnabled(False)
        sub.addSeparator()
        for choice in errno_choices(func):
            act = sub.addAction(choice.label)
            act.setData(choice.number)
            act.triggered.connect(lambda _c=False, f=func, n=choice.number:
                                  self.fail_requested.emit(line, f, n))
