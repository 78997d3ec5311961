"""How the debug controller shows a stop: every view brought to it.

After each motion (or a `next` typed in the Shell) `_settle()` reads the
debugger's stop and the trace events since the last stop, and updates the
paused line, the unwind trace, the call stack and locals, the step counter,
the Timeline's cursor, the caption, the jump animations (queued, one after
the other), the fading releases and the marks on lines that released out of
reverse order or leaked.  A step back replays the machine: the trace is
rebuilt, so the caption, trace and marks are recomputed from it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer

from kmodgui.gui.debug.captions import Caption, Captioner
from kmodgui.gui.source.marks import Mark
from kmodgui.kernel.events import Jump, ResourceProblem, ResourceReleased

DEBUG_MARK = "debugger: "


class ViewsMixin:
    """Part of DebugController (the attributes are set up there)."""

    # -- views -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Bring every view to the debugger's stop, after driving
        `self.dbg` directly (exports, scripts)."""
        self._settle()

    def _settle(self) -> None:
        """The debugger stopped (or finished): bring every view to it."""
        d = self._dbg
        if d is None or d.stop is None or d.line is None:
            self._update_actions()
            return
        events = self.bridge.all_events()
        rewound = self._history_changed(events)
        new_command = (d.line, d.generation) != self._cmd
        if new_command:
            self._new_command_views(events)
            rewound = False
        if rewound:
            caption = self._replayed_caption(events)
        else:
            fresh = events[self._seen:]
            caption = self.captioner.caption(fresh)
            self._react(fresh)
        self._seen = len(events)
        self._last_event = events[-1] if events else None
        stop = d.stop
        self._max_index = max(self._max_index, stop.index + (1 if stop.finished else 0))
        self._show_stop(events, rewound)
        if caption is not None or rewound:
            self._set_caption(caption or Caption("(nothing visible happened)", "idle"), rewound)
        else:
            self._set_caption(self.caption, False)
        if stop.finished:
            self._finished(stop)
        self.stopped.emit(stop)
        self._update_actions()
        if not self.running and self._after_pause and not stop.finished:
            pending, self._after_pause = self._after_pause, []
            for fn in pending:
                fn()
        elif stop.finished:
            self._after_pause.clear()

    def _history_changed(self, events: list) -> bool:
        if self._seen == 0:
            return False
        return len(events) < self._seen or events[self._seen - 1] is not self._last_event

    def _new_command_views(self, events: list) -> None:
        d = self._dbg
        self._cmd = (d.line, d.generation)
        self._seen = d.first_event
        self._max_index = 0
        self._finished_reported = False
        self._jumps.clear()
        self.captioner = Captioner()
        self.captioner.learn(events[:d.first_event])
        self.callstack.clear()
        if self.fader is not None:
            self.fader.clear()
        self._clear_debug_marks()
        if hasattr(self.source, "clear_trace"):
            self.source.clear_trace()
        self.caption_bar.show()
        dock = self.win.docks.get("dockCallStack")
        if dock is not None and dock.isVisible():
            dock.raise_()
        self.activeChanged.emit(True)

    def _replayed_caption(self, events: list) -> Caption:
        """After a step back: the caption of the statement before the pause."""
        d = self._dbg
        ticks = d.ran_before(d.stop.step) if not d.stop.finished else list(d.log)
        cut = ticks[-1].events if ticks else d.first_event
        self.captioner = Captioner()
        self.captioner.learn(events[:cut])
        self._jumps.clear()
        if hasattr(self.source, "clear_trace"):
            self.source.clear_trace()
        last_jump = next((e for e in reversed(events[d.first_event:]) if isinstance(e, Jump)), None)
        if last_jump is not None:
            self._draw_jump_at_once(last_jump)
        if self.fader is not None:
            self.fader.clear()
            for ev in events[d.first_event:]:
                if isinstance(ev, ResourceReleased) and not ev.in_order:
                    self.fader.fade(ev, 0, False)
        self._clear_debug_marks()
        self._mark_problems(events[d.first_event:])
        said = self.captioner.caption(events[cut:])
        text = said.text if said else "nothing visible happened there"
        return Caption(f"◀ back: {text}", said.kind if said else "idle")

    def _react(self, fresh: list) -> None:
        """Forward progress: animate jumps, fade releases, flag problems."""
        for ev in fresh:
            if isinstance(ev, Jump):
                self._jumps.append(ev)
            elif isinstance(ev, ResourceReleased) and self.fader is not None:
                self.fader.fade(ev, self.prefs.duration_ms * 2, self.prefs.enabled)
        self._mark_problems(fresh)
        if self._jumps and not self._jump_running():
            self._animate_next_jump()

    def _animate_next_jump(self) -> None:
        if not self._jumps or not hasattr(self.source, "animate_jump"):
            self._jumps.clear()
            return
        if self._jump_running():
            return
        j = self._jumps.popleft()
        if self._file() and Path(j.file).name != self._file():
            QTimer.singleShot(0, self._animate_next_jump)
            return
        self.source.animate_jump(j.from_line, j.to_line, j.label)

    def _jump_running(self) -> bool:
        running = getattr(self.source, "jump_running", None)
        return bool(running and running())

    def _draw_jump_at_once(self, j: Jump) -> None:
        if not hasattr(self.source, "animate_jump"):
            return
        enabled, ms = self.prefs.enabled, self.prefs.duration_ms
        self.source.set_animation(False, 0)
        self.source.animate_jump(j.from_line, j.to_line, j.label)
        self.source.set_animation(enabled, ms)

    def _show_stop(self, events: list, rewound: bool) -> None:
        d = self._dbg
        stop = d.stop
        name = self._file()
        site = stop.site
        here = site.line if site is not None and not stop.finished and \
            (name is None or Path(site.file).name == name) else None
        if hasattr(self.source, "set_exec_line"):
            self.source.set_exec_line(here)
        rmmod = (d.line or "").startswith("rmmod")
        ticks = d.unwind_ticks(events, self.module(), rmmod)
        lines = [t.line for t in ticks if name is None or Path(t.file).name == name]
        if hasattr(self.source, "set_trace"):
            self.source.set_trace(lines)
        self._show_frames(stop)
        self._show_cursor()
        self.stepChanged.emit(stop.index if not stop.finished else self._max_index,
                              self._max_index)

    def _show_cursor(self) -> None:
        """The Timeline's cursor at the paused statement's time."""
        d = self._dbg
        if self.cursor is None or d is None or d.stop is None:
            return
        stop = d.stop
        at = next((t for t in reversed(d.log) if t.step == stop.step), None)
        ns = at.ns if at is not None and not stop.finished else self.bridge.session.kernel.clock_ns
        label = "end" if stop.finished else f"step {stop.index}"
        self.cursor.show_at(ns, label)

    def _show_frames(self, stop: Any) -> None:
        d = self._dbg
        if stop.finished:
            res = stop.result
            status = getattr(res, "status", 0)
            why = d.why_no_back()
            then = f"Step back is off: {why}." if why else "Alt+Left steps back into it."
            self.callstack.clear(f"{d.line}: finished, exit status {status}. {then}")
            return
        frames = d.frames()
        where = f"{stop.site.file}:{stop.site.line}" if stop.site else "?"
        self.callstack.show_frames(frames, f"Paused before {where}")
        self._frame_selected(0)

    def _frame_selected(self, index: int) -> None:
        d = self._dbg
        if d is None or not d.active:
            return
        frames = d.frames()
        if not 0 <= index < len(frames):
            return
        try:
            values = d.locals(index)
        except Exception as exc:          # an unreadable frame must not break the pane
            values = {"?": f"<{exc}>"}
        self.callstack.show_locals(frames[index].func, values)
        if index > 0 and Path(frames[index].file).name == self._file():
            self.source.select_line(frames[index].line)

    def evaluate(self, expr: str) -> None:
        """print EXPR in the innermost frame (gdb's value history numbering aside)."""
        d = self._dbg
        if not expr:
            return
        if d is None or not d.active:
            self.callstack.show_result("The program is not being run.", error=True)
            return
        try:
            self.callstack.show_result(f"{expr} = {d.evaluate(expr)}")
        except Exception as exc:
            self.callstack.show_result(str(exc), error=True)

    def _show_running(self) -> None:
        d = self._dbg
        if d is None or d.stop is None:
            return
        self.stepChanged.emit(d.stop.index, max(self._max_index, d.stop.index))

    def _finished(self, stop: Any) -> None:
        if self._finished_reported:
            return
        self._finished_reported = True
        res = stop.result
        if self._origin == "gui" and res is not None:
            self.bridge.commandFinished.emit(f"debug {self._dbg.line}", "debugger", res)
        if hasattr(self.source, "set_exec_line"):
            self.source.set_exec_line(None)
        self._stop_autoplay_if_done()
        self.activeChanged.emit(False)

    def _end_session_views(self) -> None:
        self._cmd = (None, -1)
        self._seen = 0
        self._max_index = 0
        if hasattr(self.source, "set_exec_line"):
            self.source.set_exec_line(None)
        self.callstack.clear()
        if self.cursor is not None:
            self.cursor.hide()
        self.stepChanged.emit(0, 0)
        self.activeChanged.emit(False)
        self._update_actions()

    # -- problems on the exit path ---------------------------------------------------------------
    def _mark_problems(self, events: list) -> None:
        """Releases out of reverse order and leaks: a warning mark on the line
        (gutter icon, squiggle, tooltip) besides the caption and the pane."""
        new: list[Mark] = []
        name = self._file()
        for ev in events:
            site = getattr(ev, "site", None)
            if site is None or (name and Path(site.file).name != name):
                continue
            if isinstance(ev, ResourceReleased) and not ev.in_order:
                new.append(Mark(site.line, 1, "warning", f"{DEBUG_MARK}{ev.api}() released "
                                f"{ev.name} out of reverse order of acquisition"))
            elif isinstance(ev, ResourceProblem):
                what = {"leak": "was never released (leak)",
                        "double-release": "was released twice"}.get(ev.problem,
                                                                     "was never acquired")
                new.append(Mark(site.line, 1, "warning", f"{DEBUG_MARK}{ev.name} {what}"))
        if new and hasattr(self.source, "set_marks"):
            self.source.set_marks(list(self.source.marks) + new)

    def _clear_debug_marks(self) -> None:
        marks = getattr(self.source, "marks", [])
        kept = [m for m in marks if not m.message.startswith(DEBUG_MARK)]
        if len(kept) != len(marks):
            self.source.set_marks(kept)

    # -- captions --------------------------------------------------------------------------------
    def _set_caption(self, caption: Caption, rewound: bool) -> None:
        if caption is not self.caption:
            self._clear_said()
        self.caption = caption
        d = self._dbg
        stop = d.stop if d is not None else None
        why = self.why_no_back() if stop is not None else ""
        if stop is None:
            step = ""
        elif stop.finished:
            step = f"■ done · {self._max_index - 1} steps" + ("\nno step back" if why else "")
        else:
            step = f"{'◀ ' if rewound else ''}step {stop.index}"
        self.caption_bar.set_caption(caption, step)
        self.caption_bar.step.setToolTip(f"Step back is off: {why}." if why else "")
        self.captionChanged.emit(caption)

    def say(self, text: str, kind: str = "info") -> None:
        """A message on the caption strip (and the status bar)."""
        self.caption = Caption(text, kind)
        d = self._dbg
        step = f"step {d.stop.index}" if d is not None and d.active and d.stop else ""
        self.caption_bar.set_caption(self.caption, step)
        self.caption_bar.show()
        self.win.statusBar().showMessage(text, 8000)
        self._said = text
        self.captionChanged.emit(self.caption)

    def _clear_said(self) -> None:
        """Our status-bar message is about a moment now past ("register_that()
        will fail ..." once it failed): take it away."""
        bar = self.win.statusBar()
        if self._said and bar.currentMessage() == self._said:
            bar.clearMessage()
        self._said = ""
