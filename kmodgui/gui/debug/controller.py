"""The debug controller: the window's debugger.

It drives one `GuiDebugger` (installed as `session.debugger`, so kmodsim's
`debug`/`next`/`back` typed in the Shell move the same debugger) and turns
every stop into view updates: the paused line, the call stack and locals,
the step counter and scrubber, the caption, the jump animation, the unwind
trace, fading releases.  The Modules, Resources, dmesg and Timeline panes
follow by themselves: they are views of the trace, fed by the bridge (and
rebuilt from it when a step back replays the machine: Bridge.rewound).

Motions that may run long -- continue, next over a call, step out, going
to a step (a replay) -- run in slices of statements from a zero-interval
QTimer, so a runaway init (modules/broken/spin.c) never freezes the window:
"Pause" stops it where it stands.

Kernel semantics the views show: insmod runs the module's init in the
insmod task (do_init_module); a failing call makes init jump to the label
that undoes what was done so far, and the lines run from there are the
unwind; rmmod runs exit (delete_module), which must release everything in
reverse order of acquisition.

The class is split by topic: views.py (how a stop is shown), faults.py
(faults by click, the Paths pane and its replays), playback.py (auto-play,
animation settings).
"""
from __future__ import annotations

import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from kmodgui.gui.debug.callstack import CallStackPanel
from kmodgui.gui.debug.caption_bar import CaptionBar
from kmodgui.gui.debug.captions import Caption, Captioner
from kmodgui.gui.debug.engine import GuiDebugger
from kmodgui.gui.debug.fader import ResourceFader
from kmodgui.gui.debug.faults import FaultsMixin
from kmodgui.gui.debug.paths import PathsPanel
from kmodgui.gui.debug.playback import PlaybackMixin
from kmodgui.gui.debug.settings import AnimationSettings
from kmodgui.gui.debug.timeline_cursor import TimelineCursor
from kmodgui.gui.debug.views import ViewsMixin
from kmodgui.kernel.events import Jump

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

SLICE_SECONDS = 0.012
MIN_BUDGET, MAX_BUDGET = 200, 100_000
#: kmodsim commands that move or change the shared debugger
SHELL_DEBUG_WORDS = {"debug", "step", "next", "finish", "continue", "back", "quit",
                     "fail", "break", "delete"}


class DebugController(ViewsMixin, FaultsMixin, PlaybackMixin, QObject):
    #: the debugger stopped: paused (Stop) or the command finished.
    stopped = Signal(object)
    #: a sliced motion (continue, step out, a replay) started (True) or ended.
    runningChanged = Signal(bool)
    #: a command is being debugged (True) or not any more (False).
    activeChanged = Signal(bool)
    #: (index, maximum): the step counter and the scrubber's range.
    stepChanged = Signal(int, int)
    #: a new caption (Caption) for the step just made.
    captionChanged = Signal(object)
    #: auto-play started (True) or stopped (False).
    autoplayChanged = Signal(bool)

    def __init__(self, win: "MainWindow") -> None:
        super().__init__(win)
        self.win = win
        self.bridge = win.bridge
        self.source = win.source
        self.prefs = AnimationSettings(win.settings)
        self.callstack = CallStackPanel()
        self.callstack.on_zoom = self.set_zoom
        self.callstack.on_theme = self.set_theme
        self.callstack.frameSelected.connect(self._frame_selected)
        self.callstack.evaluateRequested.connect(self.evaluate)
        self.paths = PathsPanel()
        self.paths.replayRequested.connect(self.replay_fault)
        self.paths.previewRequested.connect(self._preview_path)
        self.paths.refreshRequested.connect(lambda: self.run_audit(force=True))
        win.panels["dockCallStack"] = self.callstack
        win.panels["dockPaths"] = self.paths
        self.caption_bar = CaptionBar()
        self.caption_bar.hide()
        self.captioner = Captioner()
        self.caption = Caption("", "idle")
        self.fader: ResourceFader | None = None
        self.cursor: TimelineCursor | None = None
        self.lecture: Any = None
        self._dbg: GuiDebugger | None = None
        self._cmd: tuple[str | None, int] = (None, -1)   # (line, first event): the command
        self._seen = 0                     # trace events already read
        self._last_event: Any = None       # the last of them (a replay replaces it)
        self._max_index = 0
        self._origin = ""                  # "gui" when the toolbar started the command
        self._said = ""                    # our last status-bar message
        self._finished_reported = False
        self._after_pause: list[Callable[[], None]] = []
        self._temp_break: tuple[str, int] | None = None
        self._jumps: deque[Jump] = deque()
        self._budget = 2000
        self._audit_dirty = True
        self._build: Any = None
        self._slicer = QTimer(self)
        self._slicer.setInterval(0)
        self._slicer.timeout.connect(self._slice)
        self._autoplay = QTimer(self)
        self._autoplay.setSingleShot(True)
        self._autoplay.timeout.connect(self._autoplay_tick)
        self.autoplaying = False
        self.acts: dict[str, Any] = {}

    # -- installation (after the docks and menus exist) ----------------------------------
    def install(self) -> None:
        """Debug menu, toolbar, caption strip; connect the source and bridge."""
        from kmodgui.gui.debug import actions
        from kmodgui.gui.lecture import LectureMode
        win = self.win
        central = win.centralWidget()
        if central is not None and central.layout() is not None:
            central.layout().addWidget(self.caption_bar)
        self.fader = ResourceFader(win.resources, self)
        self.cursor = TimelineCursor(win.timeline, self)
        self.cursor.dropped.connect(self.goto_time)
        self.lecture = LectureMode(self)
        self.acts = actions.create(self)
        actions.install(self)
        self._connect_source()
        b = self.bridge
        b.commandFinished.connect(self._shell_command_finished)
        b.booted.connect(self._booted)
        b.buildFinished.connect(self._build_finished)
        win.docks["dockPaths"].visibilityChanged.connect(
            lambda shown: shown and self._audit_dirty and QTimer.singleShot(0, self.run_audit))
        self.apply_animation_settings()
        _ = self.dbg                # the engine may already run
        self._update_actions()

    def _connect_source(self) -> None:
        src = self.source
        for name, slot in (("breakpoint_toggled", self._breakpoint_toggled),
                           ("jump_animation_finished", self._animate_next_jump),
                           ("fail_requested", self.fail_call),
                           ("run_to_requested", self.run_to_line),
                           ("loaded", self._source_loaded)):
            signal = getattr(src, name, None)
            if signal is not None:
                signal.connect(slot)

    # -- the engine's debugger ------------------------------------------------------------
    @property
    def dbg(self) -> GuiDebugger | None:
        """The session's debugger (created on first use, once the engine runs)."""
        s = self.bridge.session
        if s is None:
            return None
        d = getattr(s, "debugger", None)
        if not isinstance(d, GuiDebugger) or d.session is not s:
            if d is not None and getattr(d, "active", False):
                return None              # a plain one is busy: leave it be
            d = GuiDebugger(s)
            s.debugger = d
        self._dbg = d
        return d

    @property
    def active(self) -> bool:
        d = self._dbg
        return d is not None and d.active

    @property
    def running(self) -> bool:
        return self._slicer.isActive()

    @property
    def can_go_back(self) -> bool:
        """A step back replays from the last boot to the debugged command:
        not after a reboot, nor once a later command ran (see why_no_back)."""
        return self.why_no_back() == ""

    def why_no_back(self) -> str:
        """"" when stepping back can reach the debugged command, else why not."""
        d = self._dbg
        if d is None:
            return "nothing has been debugged"
        return d.why_no_back()

    def module(self) -> str | None:
        return self.win.module()

    # -- starting -----------------------------------------------------------------------------
    def start_or_continue(self) -> None:
        """F5: continue when paused, else debug insmod of the open module."""
        if self.running:
            return
        if self.active:
            self.cont()
        else:
            self.start_insmod()

    def start_insmod(self, params: str | None = None, then: Callable[[], None] | None = None) -> bool:
        """debug insmod NAME.ko with the last parameters (insmod with parameters…)."""
        name = self.module()
        if name is None:
            self.say("Open a module first (File → Open or Samples).", "problem")
            return False
        if params is None:
            params = str(self.win.settings.value(f"params/{name}", "") or "")
            params = " ".join(p for p in params.split() if not p.endswith("="))
        if self.bridge.module_state(name) is not None:
            if not self.win.confirm("Debug insmod", f"{name} is loaded. Unload it (rmmod {name}) "
                                    f"and then debug insmod {name}.ko?"):
                return False
            self.bridge.rmmod(name, origin="debugger")
            self._when_idle(lambda: self.start_insmod(params, then))
            return True
        return self.start(f"insmod {name}.ko {params}".strip(), then)

    def start_rmmod(self, then: Callable[[], None] | None = None) -> bool:
        """debug rmmod NAME: step through the module's exit routine."""
        name = self.win.modules_panel.selected_module() or self.module()
        if name is None:
            self.say("Open a module first (File → Open or Samples).", "problem")
            return False
        if self.bridge.module_state(name) is None:
            if not self.win.confirm("Debug rmmod", f"{name} is not loaded. Load it now "
                                    f"(insmod {name}.ko) and then debug rmmod {name}?"):
                return False
            self.bridge.insmod(name, origin="debugger")
            self._when_idle(lambda: self.start_rmmod(then))
            return True
        return self.start(f"rmmod {name}", then)

    def start(self, line: str, then: Callable[[], None] | None = None) -> bool:
        """Run `line` (insmod/rmmod ...) under the debugger, paused before
        the first statement of init (exit)."""
        if self.bridge.busy:
            self._when_idle(lambda: self.start(line, then))
            return True
        self.bridge.start_engine()
        d = self.dbg
        if d is None or d.active:
            self.say("A command is already being debugged: continue (F5) or stop it "
                     "(Shift+F5) first.", "problem")
            return False
        self._stop_autoplay_if_done()
        self._origin = "gui"
        self._sync_breaks()
        self.bridge.commandStarted.emit(f"debug {line}", "debugger")
        if then is not None:
            self._after_pause.append(then)
        d.start(line)
        self._settle()
        return True

    def _when_idle(self, fn: Callable[[], None]) -> None:
        """Run `fn` once the shell's queue is empty."""
        if not self.bridge.busy:
            QTimer.singleShot(0, fn)
            return

        def once(busy: bool) -> None:
            if not busy:
                self.bridge.busyChanged.disconnect(once)
                QTimer.singleShot(0, fn)
        self.bridge.busyChanged.connect(once)

    # -- motions --------------------------------------------------------------------------------
    def step_into(self) -> None:
        self._motion("step")

    def step_over(self) -> None:
        self._motion("next")

    def step_out(self) -> None:
        self._motion("finish")

    def cont(self) -> None:
        self._motion("continue")

    def _motion(self, mode: str) -> None:
        d = self._dbg
        if d is None or not d.active or self.running or self.bridge.busy:
            return
        self._sync_breaks()
        self._begin(lambda: d.begin(mode, None if mode == "step" else self._budget))

    def _back_refused(self) -> bool:
        """A step back cannot reach the session: say why (True), once a
        session existed; nothing to say before any."""
        why = self.why_no_back()
        d = self._dbg
        if why and d is not None and (d.line or d.gone):
            self.say(f"Step back is off: {why}.", "problem")
        return bool(why)

    def step_back(self) -> None:
        """One statement back (Alt+Left): exact, by replaying to the step before."""
        d = self._dbg
        if d is None or self.running or self._back_refused() or d.stop is None:
            return
        target = d.stop.step if d.stop.finished else d.stop.step - 1
        self._goto_step(target)

    def back_over(self) -> None:
        """Back over a call (Shift+F10): the previous statement at this depth."""
        d = self._dbg
        if d is None or not d.active or self.running or not self.can_go_back:
            return
        target = d.back_over_target()
        if target is None:
            self._begin(d.back_over)
        else:
            self._goto_step(target)

    def goto_index(self, index: int) -> None:
        """The scrubber: put the machine where it was before statement `index`."""
        d = self._dbg
        if d is None or self.running or self._back_refused() or d.stop is None:
            return
        index = max(1, index)
        if index == d.stop.index and not d.stop.finished:
            return
        self._goto_step(d.stop.start + index)

    def goto_time(self, ns: int) -> None:
        """The Timeline's cursor was dropped: go to the statement running then."""
        d = self._dbg
        if d is None or self.running or self._back_refused() or d.stop is None:
            return
        step = d.step_at_time(ns)
        if step is None:
            self.goto_index(self._max_index)
        elif step != d.stop.step or d.stop.finished:
            self._goto_step(step)
        else:
            self._show_cursor()

    def _goto_step(self, step: int) -> None:
        d = self._dbg
        self._begin(lambda: d.begin_goto(step, self._budget))
        if d.refusal:                     # a replay would not have rebuilt what was
            self.say(f"Step back refused: {d.refusal}.", "problem")
            self._update_actions()

    def run_to_line(self, line: int) -> None:
        """Run to `line` of the open file (starting insmod's debugging if needed)."""
        where = self._file_line(line)
        if where is None:
            return
        if not self.active:
            self.start_insmod(then=lambda: self.run_to_line(line))
            return
        self._temp_break = where
        self._dbg.breaks.lines.add(where)
        self._after_pause.append(self._drop_temp_break)
        self._motion("continue")

    def _drop_temp_break(self) -> None:
        if self._temp_break and self._dbg is not None:
            if self._temp_break[1] not in self._source_breaks():
                self._dbg.breaks.lines.discard(self._temp_break)
        self._temp_break = None

    def pause(self) -> None:
        """F6: a running motion stops where it stands; auto-play stops."""
        self.set_autoplay(False)
        self.interrupt()

    def interrupt(self) -> None:
        """Pause a running motion where it stands (F6)."""
        if not self.running:
            return
        self._slicer.stop()
        self._dbg.interrupt()
        self.runningChanged.emit(False)
        self._settle()

    def stop_debugging(self) -> None:
        """Shift+F5: no more pausing; the command runs on to its end (in slices)."""
        d = self._dbg
        self.set_autoplay(False)
        if d is None or not d.active:
            return
        if self.running:
            self._slicer.stop()
            self._dbg.interrupt()
        d.breaks.lines.clear()
        d.breaks.funcs.clear()
        self._after_pause.clear()
        self._begin(lambda: d.begin("continue", self._budget))

    def _begin(self, first: Callable[[], Any]) -> None:
        """Run the first slice of a motion; go on from the timer if needed."""
        t0 = time.perf_counter()
        first()
        self._tune(time.perf_counter() - t0)
        if self._dbg is not None and self._dbg.running:
            self._slicer.start()
            self.runningChanged.emit(True)
            self._update_actions()
            return
        self._settle()

    def _slice(self) -> None:
        d = self._dbg
        if self.bridge.busy:            # a shell command runs: its turn
            return
        if d is None or not d.running:
            self._slicer.stop()
            self.runningChanged.emit(False)
            self._settle()
            return
        t0 = time.perf_counter()
        d.advance(self._budget)
        self._tune(time.perf_counter() - t0)
        if not d.running:
            self._slicer.stop()
            self.runningChanged.emit(False)
            self._settle()
        else:
            self._show_running()

    def _tune(self, seconds: float) -> None:
        if seconds < SLICE_SECONDS / 2:
            self._budget = min(MAX_BUDGET, self._budget * 2)
        elif seconds > SLICE_SECONDS * 2:
            self._budget = max(MIN_BUDGET, self._budget // 2)

    # -- breakpoints ----------------------------------------------------------------------------
    def _file(self) -> str | None:
        path = getattr(self.source, "path", None) or self.win.source_path
        return Path(path).name if path else None

    def _file_line(self, line: int) -> tuple[str, int] | None:
        name = self._file()
        return (name, line) if name else None

    def _source_breaks(self) -> set[int]:
        get = getattr(self.source, "breakpoints", None)
        return set(get()) if get else set()

    def _sync_breaks(self) -> None:
        """The gutter's breakpoints are the debugger's, for the open file."""
        d = self.dbg
        name = self._file()
        if d is None or name is None:
            return
        keep = {b for b in d.breaks.lines if b[0] != name or b == self._temp_break}
        d.breaks.lines = keep | {(name, n) for n in self._source_breaks()}

    def _breakpoint_toggled(self, line: int, on: bool) -> None:
        d, name = self.dbg, self._file()
        if d is None or name is None:
            return
        (d.breaks.lines.add if on else d.breaks.lines.discard)((name, line))

    # -- the shell drives the same debugger -------------------------------------------------------
    def _shell_command_finished(self, line: str, origin: str, _result: Any) -> None:
        word = line.split()[0] if line.split() else ""
        if origin != "debugger" and word not in SHELL_DEBUG_WORDS:
            self._ended_session_changed()
            return
        if origin == "debugger":
            return
        if word in ("break", "delete") and self._dbg is not None:
            name = self._file()
            setter = getattr(self.source, "set_breakpoints", None)
            if setter and name:
                setter({n for f, n in self._dbg.breaks.lines if f == name})
            return
        if word == "debug":
            self._origin = "shell"
        if self.dbg is not None:
            self._settle()

    def _booted(self, _ev: Any) -> None:
        """A (re)boot -- not a step back, whose replay the bridge does not
        see: install our debugger on the session; what was debugged is gone."""
        d = self._dbg
        if d is None or d.line is None:
            _ = self.dbg            # the Shell's `debug` must find ours
            return
        was_active = d.stop is not None and not d.stop.finished
        line = d.line
        self._slicer.stop()
        d.abandon(f"the kernel rebooted after `{line}`")
        self.set_autoplay(False)
        self._end_session_views()
        self.callstack.clear(f"{line}: the kernel rebooted since, so step back cannot reach "
                             "it. F5 debugs insmod again.")
        if was_active:
            self.say("The kernel rebooted: the debugged command is gone.", "problem")

    def _source_loaded(self, path: str) -> None:
        """Another file is shown: a finished session's caption was about the
        last one (a paused session keeps its caption: it still runs)."""
        if self.active or self.running:
            return
        self._clear_said()
        self.caption = Caption("", "idle")
        if self.lecture is not None and self.lecture.on:
            self.caption_bar.set_caption(Caption(f"{Path(path).name}: F5 debugs its insmod",
                                                 "idle"), "")
        else:
            self.caption_bar.hide()
        self.captionChanged.emit(self.caption)

    def _ended_session_changed(self) -> None:
        """A command ran after the debugged one ended: step back may be off now."""
        d = self._dbg
        if d is None or d.line is None or d.stop is None or not d.stop.finished:
            return
        self._show_frames(d.stop)
        self._set_caption(self.caption, False)
        self._update_actions()

    def set_zoom(self, factor: float) -> None:
        self.caption_bar.set_zoom(factor)
        if self.cursor is not None:
            self.cursor.set_zoom(factor)
        from kmodgui.gui.debug import actions
        actions.set_zoom(self, factor)

    def set_theme(self, theme: Any) -> None:
        self.caption_bar.set_theme(theme)
        if self.cursor is not None:
            self.cursor.set_theme(theme)

    def _update_actions(self) -> None:
        from kmodgui.gui.debug import actions
        if self.acts:
            actions.update(self)
