"""Faults by click and replays of the audit's fault points.

"Make this call fail with ..." in the source view's context menu, and the
Paths pane: for every fault point of init (the N-th fault-injectable call,
as the kernel's fail-nth counts them) the unwind audit's path, and a
replay of it in the debugger.  A replay injects the fault at the statement
after call N-1 (the debugger's `fail`), so stepping back replays it exactly.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer

from kmodgui.gui.debug.captions import errno_text
from kmodgui.gui.debug.paths import preview_lines


class FaultsMixin:
    """Part of DebugController (the attributes are set up there)."""

    # -- faults ------------------------------------------------------------------------------------
    def fail_call(self, line: int, func: str, errno: int) -> None:
        """"Make this call fail with ..." on `line`.  Paused: the next call of
        `func` fails (the debugger's `fail FUNC ERRNO`).  Not debugging: a
        debug session starts (insmod, or rmmod for a line of the exit
        routine), runs to `line` and arms the fault there, paused, so the
        user watches the call fail with F10."""
        errno = abs(errno)
        d = self._dbg
        if d is not None and d.active:
            d.fail(func, errno)
            here = d.stop.site.line if d.stop and d.stop.site else None
            when = "on this line" if here == line else "at its next call"
            self.say(f"{func}() will fail with {errno_text(errno)} {when}: "
                     "F10 steps, F5 continues.", "fail")
            return
        where = self._file_line(line)
        if where is None:
            return

        def arm() -> None:
            if self.active:
                self._dbg.fail(func, errno)
                at = self._dbg.stop.site.line if self._dbg.stop.site else "?"
                self.say(f"Paused at line {at}: {func}() will fail with {errno_text(errno)}. "
                         "F10 steps over it, F5 continues.", "fail")

        def arrived() -> None:
            if not self.active:
                return
            stop = self._dbg.stop
            if stop.site is not None and (stop.site.file, stop.site.line) == where:
                arm()
            else:
                self._dbg.breaks.lines.add(where)
                self._temp_break = where
                self._after_pause.append(self._drop_temp_break)
                self._after_pause.append(arm)
                self._motion("continue")
        section = getattr(self.source.outline, "section_of", lambda _n: "")(line)
        if section == "exit":
            self.start_rmmod(then=arrived)
        else:
            self.start_insmod(then=arrived)

    def replay_fault(self, point: int, api: str = "", errno: int = 0) -> bool:
        """Debug insmod with the `point`-th fault-injectable call of init
        failing (the audit's fault point), paused at that call.  The fault is
        injected just after call point-1, so a step back replays it exactly."""
        run = self.paths.run_of(point) or self._fault_point(point)
        errno = abs(errno) or (run.errno if run is not None else 12)
        api = api or (run.api if run is not None else "")
        if point <= 0:
            return self.start_insmod()
        site_line = int(run.site.rpartition(":")[2]) if run is not None and run.site else None

        def arrived() -> None:
            if not self.active:
                return
            d = self._dbg
            kernel = self.bridge.session.kernel
            if len(kernel.faults.calls) < point - 1:
                d.pause_when = lambda: len(kernel.faults.calls) >= point - 1
                self._after_pause.append(arrived)
                self._motion("continue")
                return
            d.fail(None, errno)
            self.say(f"Replaying fault point {point}: {api}() will fail with "
                     f"{errno_text(errno)}.  F10 steps, F5 continues.", "fail")
            if site_line is not None and (d.stop.site is None or d.stop.site.line != site_line):
                where = self._file_line(site_line)
                if where is not None:
                    self._temp_break = where
                    d.breaks.lines.add(where)
                    self._after_pause.append(self._drop_temp_break)
                    self._motion("continue")
        return self.start_insmod(then=arrived)

    # -- paths (audit) -----------------------------------------------------------------------------
    def _build_finished(self, path: str, result: Any) -> None:
        if self.win.source_path is None or Path(path) != self.win.source_path:
            return
        self._build = result
        self._audit_dirty = True
        dock = self.win.docks.get("dockPaths")
        if dock is not None and dock.isVisible() and not dock.visibleRegion().isEmpty():
            QTimer.singleShot(0, self.run_audit)
        else:
            self.paths.set_message("Paths are computed when this pane is shown.")

    def run_audit(self, force: bool = False) -> None:
        """Every fault point of init, each in a fresh kernel (kmodgui.audit),
        swept in the audit worker thread so the window never waits."""
        if not (self._audit_dirty or force):
            return
        result = self._build
        if result is None or getattr(result, "ko", None) is None:
            self.paths.set_message("Build the module (Ctrl+B): its error paths appear here."
                                   if result is None else "The module does not build.")
            return
        s = self.bridge.session
        if s is None or self.win.source_path is None:
            return
        from kmodgui.gui.audit.worker import AuditJob, AuditRunner
        if getattr(self, "_paths_runner", None) is None:
            self._paths_runner = AuditRunner(self)
            self._paths_runner.finished.connect(
                lambda job, report: self.paths.set_report(
                    report, (self._build.ko.init if self._build and self._build.ko else None)
                    or "init"))
            self._paths_runner.failed.connect(
                lambda job, msg: self.paths.set_message(f"audit failed: {msg}"))
        self._audit_dirty = False
        self.paths.set_message("Trying every error path of init ...")
        src = self.win.source_path
        self._paths_runner.start(AuditJob(src.parent, src.stem, s.profile.name, dict(s.config)))

    def _fault_point(self, point: int) -> Any:
        """Where the point-th fault-injectable call is, when the Paths pane
        has not swept yet: one plain insmod in a scratch kernel tells."""
        result, s = self._build, self.bridge.session
        if point <= 0 or result is None or getattr(result, "ko", None) is None or s is None:
            return None
        from kmodgui.audit import Run, _run
        _, calls, _ = _run(s.profile, dict(s.config), result.ko, 0)
        if point > len(calls):
            return None
        api, site = calls[point - 1]
        return Run(point, api, f"{site.file}:{site.line}" if site else "", 0)

    def _preview_path(self, run: Any) -> None:
        """Show a path on the source when nothing is being debugged."""
        if run is None or self.active:
            return
        if not hasattr(self.source, "set_trace"):
            return
        self.source.clear_trace()
        if run.jumps:
            a, b, label = run.jumps[0]
            self.source.animate_jump(a, b, label)
        self.source.set_trace(preview_lines(run))
