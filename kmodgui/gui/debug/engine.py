"""The engine's Debugger as the GUI drives it (no Qt here).

`GuiDebugger` is kmodgui.debugger.Debugger plus three things a window needs:

* a statement log: one `Tick` per statement the debugged command runs
  (step number, depth, file, line, how many trace events existed).  From it
  the window knows which lines ran after a call failed (the unwind ladder it
  traces), which events a statement caused (captions, also after a step
  back), and where "back over" lands without an extra replay.  A replay
  (step back) re-runs the command, so the log is rebuilt exactly with it.
* sliced motions: next/finish/continue and "go to step N" run at most
  `budget` statements per call and return a Stop with reason "running";
  the controller calls `advance()` again from a timer, so a runaway init
  never freezes the window.
* `pause_when`: a predicate checked before each statement (used to stop
  just after the N-1-th fault-injectable call, where a fault for point N is
  injected, so that a replay of the path is exact).

It is installed as `session.debugger`, the object kmodsim's `debug`, `next`,
`back`... commands use, so the Shell and the toolbar drive one debugger.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable

from kmodgui.debugger import Debugger, Stop
from kmodgui.kernel.events import (CallFailed, Event, ModuleStateChanged)

#: statements kept in the log (a runaway loop keeps only its latest ones)
LOG_MAX = 200_000


@dataclass(frozen=True, slots=True)
class Tick:
    """The debugged command is about to run a statement."""
    step: int           # cpu step number of this statement (Stop.step when paused here)
    depth: int          # frames on the task's stack
    file: str
    line: int
    func: str
    events: int         # len(trace.events) at this moment
    ns: int             # the simulated clock (dmesg's), ns since boot


class GuiDebugger(Debugger):
    def __init__(self, session) -> None:
        super().__init__(session)
        self.log: deque[Tick] = deque(maxlen=LOG_MAX)
        #: index in trace.events where the debugged command's run began
        self.first_event = 0
        #: checked before every statement; True pauses there (then cleared)
        self.pause_when: Callable[[], bool] | None = None
        #: counts start() calls: tells a new debugged command from a replay
        self.generation = 0

    def start(self, line: str) -> Stop:
        self.generation += 1
        self.pause_when = None
        return super().start(line)

    # -- hooks on the engine's debugger -------------------------------------------
    def _launch(self) -> None:
        super()._launch()
        self.log.clear()
        self.first_event = len(self.session.trace.events)

    def _on_tick(self) -> None:
        task = self.session.kernel.cpu.task
        if task is not None and task.frames:
            fr = task.frames[-1]
            k = self.session.kernel
            self.log.append(Tick(k.cpu.steps, len(task.frames), fr.fn.file, fr.line, fr.fn.name,
                                 len(k.trace.events), k.clock_ns))
        super()._on_tick()

    def _should_pause(self, fr, depth: int, steps: int, new_frame: bool) -> bool:
        if self._target is None and self.pause_when is not None and self.pause_when():
            self.pause_when = None
            self._mode = "step"
            return True
        return super()._should_pause(fr, depth, steps, new_frame)

    # -- sliced motions -------------------------------------------------------------
    @property
    def running(self) -> bool:
        """A sliced motion is under way (its budget ran out before a pause)."""
        return self.active and self.stop.reason == "running" and self.stop.site is not None

    def begin(self, mode: str, budget: int | None) -> Stop:
        """step | next | finish | continue, at most `budget` statements now."""
        if self.running and mode == "continue" and self._mode == "continue":
            return self._resume(budget)
        return self._go(mode, budget)

    def begin_goto(self, step: int, budget: int | None) -> Stop:
        """Like goto_step(step), in slices: reboot, replay, run to `step`."""
        if self.line is None or not self._rewind():
            return self.stop
        self._target = max(step, self._start_steps + 1)
        self._mode = "step"
        return self._resume(budget)

    def advance(self, budget: int | None) -> Stop:
        """Carry on with the motion begun by begin()/begin_goto()."""
        return self._resume(budget)

    def interrupt(self) -> Stop:
        """A sliced motion stops where it stands: the stop becomes a pause."""
        if self.running:
            self._target = None
            self._mode = "step"
            self.stop.reason = "step"
        return self.stop

    def abandon(self, why: str = "") -> None:
        """Forget the debugged command (the kernel it ran in was replaced):
        `why` is what a step back says from now on."""
        self._abandon()
        self.stop = None
        self.line = None
        self.gone = why
        self.log.clear()

    # -- reading the log ---------------------------------------------------------------
    def back_over_target(self) -> int | None:
        """The step "back over" goes to: the previous statement at this depth
        or above (None when the log does not reach back far enough)."""
        if not self.stop or self.stop.site is None:
            return None
        here, depth = self.stop.step, self.stop.depth
        if not self.log or self.log[0].step > self._start_steps + 1:
            return None
        for t in reversed(self.log):
            if t.step < here and t.depth <= depth:
                return t.step
        return None

    def step_at_time(self, ns: int) -> int | None:
        """The statement that was running at clock `ns`: the step to pause
        before (None: after the command's end)."""
        if not self.log:
            return None
        last = None
        for t in self.log:
            if t.ns > ns:
                break
            last = t
        if last is None:
            return self.log[0].step
        if last is self.log[-1] and self.stop is not None and self.stop.finished \
                and ns > last.ns:
            return None
        return last.step

    def ran_before(self, step: int) -> list[Tick]:
        """The statements that have run before `step` (oldest first)."""
        return [t for t in self.log if t.step < step]

    def events_of_last_statement(self, events: list[Event]) -> list[Event]:
        """What the statement just before the pause caused (caption after a replay)."""
        here = self.stop.step if self.stop else 0
        ticks = [t for t in self.log if t.step < here]
        if not ticks:
            return []
        return events[ticks[-1].events:]

    def unwind_ticks(self, events: list[Event], module: str | None, rmmod: bool) -> list[Tick]:
        """The statements to trace in the source: for rmmod all that exit ran;
        for insmod those run after the first failed call until init returned."""
        here = self.stop.step if self.stop and not self.stop.finished else float("inf")
        ticks = [t for t in self.log if t.step < here]
        if rmmod:
            return ticks
        failed = end = None
        for i in range(self.first_event, len(events)):
            ev = events[i]
            if failed is None and isinstance(ev, CallFailed) and (module is None
                                                                  or ev.owner == module):
                failed = i
            elif isinstance(ev, ModuleStateChanged) and ev.state in ("LIVE", "GOING") \
                    and (module is None or ev.name == module):
                end = i
                break
        if failed is None:
            return []
        return [t for t in ticks if t.events > failed and (end is None or t.events <= end)]
