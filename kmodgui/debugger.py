"""The debugger: step a module's init (insmod) or exit (rmmod) line by line.

It runs a session command in a greenlet and asks the CPU to stop before
every statement (cpu.stop_at = steps + 1); at each stop it decides whether
to pause (step, next, finish, continue, breakpoints, a target step).
Stepping back is exact because the engine is deterministic: the session is
rebooted into the kernel it booted, the commands since boot are run again on
what each ran on (its folder, stdin, the module objects it took: the
session's history), and the debug command runs again to the wanted step,
re-applying the faults injected on the way.  A replayed command must print
and return what it did the first time; if one does not, the step back is
refused and the machine is put back as it was.
No Qt here: kmodsim's `debug` commands and the GUI both drive this class.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from greenlet import getcurrent, greenlet

from kmodgui.kernel.events import Paused, Rewound, Site
from kmodgui.kernel.faults import FaultRule
from kmodgui.kernel.memory import MemoryFault

if TYPE_CHECKING:
    from kmodgui.kernel.cpu import Frame
    from kmodgui.session import BootRecord, RanCommand, RunContext, Session


@dataclass(frozen=True)
class FrameInfo:
    func: str
    file: str
    line: int
    module: str


@dataclass
class Stop:
    """Where the debugger stands: paused at a site, or the command finished."""
    step: int
    site: Site | None
    depth: int
    finished: bool = False
    result: object = None        # CommandResult when finished
    reason: str = ""             # step | breakpoint | finished | running
    start: int = 0               # cpu steps when the debugged command began

    @property
    def index(self) -> int:
        """Statements run by the debugged command so far (the step counter)."""
        return self.step - self.start


@dataclass
class _Action:
    step: int
    func: str | None
    errno: int


@dataclass
class Breakpoints:
    lines: set[tuple[str, int]] = field(default_factory=set)
    funcs: set[str] = field(default_factory=set)

    def hit(self, fr: Frame, new_frame: bool) -> bool:
        """A line breakpoint, or the first statement of a function breakpoint."""
        if (fr.fn.file, fr.line) in self.lines:
            return True
        return new_frame and fr.fn.name in self.funcs


class Debugger:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.breaks = Breakpoints()
        self.line: str | None = None
        self.stop: Stop | None = None
        self._glet: greenlet | None = None
        self._hub: greenlet | None = None
        self._mode = "step"
        self._depth = 0
        self._target: int | None = None
        self._budget_end: int | None = None
        self._actions: list[_Action] = []
        self._prefix: list[RanCommand] = []
        self._boot: BootRecord | None = None
        self._boots = 0
        self._context: RunContext | None = None
        self._end: int | None = None      # len(session.history) once the command ended
        self._gap = ""                    # why the commands before it cannot be replayed
        self._start_steps = 0
        self._recorder: list[tuple[int, int]] | None = None
        #: why the last step back was refused ("" when it was not)
        self.refusal = ""
        #: why the debugged command is gone (set by whoever abandoned it)
        self.gone = ""

    # -- starting ----------------------------------------------------------
    @property
    def active(self) -> bool:
        """Paused in the debugged command, in the kernel it runs in."""
        return self.stop is not None and not self.stop.finished \
            and self.session.boots == self._boots

    def start(self, line: str) -> Stop | None:
        """Run `line` (insmod/rmmod ...) and pause before the module's first statement."""
        s = self.session
        self.line = line
        self._boot, self._boots, self._prefix = s.booted, s.boots, list(s.history)
        self._gap = s.history_gap
        self._context = s.context()
        self._end, self.refusal, self.gone = None, "", ""
        self._actions = []
        self._launch()
        self._mode, self._target = "step", None
        return self._resume()

    def _launch(self) -> None:
        s = self.session
        self._start_steps = s.kernel.cpu.steps
        self.stop = Stop(self._start_steps, None, 0, reason="running", start=self._start_steps)
        self._glet = greenlet(self._body)

    def _body(self) -> object:
        """The debugged command, on what it ran on the first time."""
        assert self._context is not None and self.line is not None   # set by start()
        self.session.run_in(self._context)
        return self.session.run(self.line)

    # -- the stop hook ---------------------------------------------------------
    def _on_tick(self) -> None:
        cpu = self.session.kernel.cpu
        cpu.stop_at = cpu.steps + 1
        task = cpu.task
        if task is None or not task.frames:
            return
        fr = task.frames[-1]
        self._apply_actions(cpu.steps)
        depth = len(task.frames)
        new_frame = not fr.seen
        fr.seen = True
        if self._recorder is not None:
            self._recorder.append((cpu.steps, depth))
        if self._should_pause(fr, depth, cpu.steps, new_frame):
            hit = self._target is None and self._mode == "continue"
            self.stop = Stop(cpu.steps, fr.site, depth,
                             reason="breakpoint" if hit else "step", start=self._start_steps)
            k = self.session.kernel
            k.trace.emit(Paused(k.clock_ns, cpu.steps, fr.site, depth))
            self._back_to_hub()
        elif self._budget_end is not None and cpu.steps >= self._budget_end:
            self.stop = Stop(cpu.steps, fr.site, depth, reason="running",
                             start=self._start_steps)
            self._back_to_hub()

    def _back_to_hub(self) -> None:
        """Pause: back to whoever resumed the debugged command."""
        if self._hub is None:
            raise RuntimeError("the debugged command runs but nothing resumed it")
        self._hub.switch()

    def _should_pause(self, fr: Frame, depth: int, steps: int, new_frame: bool) -> bool:
        if self._target is not None:
            return steps >= self._target
        if self.breaks.hit(fr, new_frame) and steps != (self.stop.step if self.stop else -1):
            return True
        if self._mode == "step":
            return True
        if self._mode == "next":
            return depth <= self._depth
        if self._mode == "finish":
            return depth < self._depth
        return False

    def _apply_actions(self, steps: int) -> None:
        for a in self._actions:
            if a.step == steps:
                self.session.kernel.faults.active.append(FaultRule(a.func, 1, a.errno))

    # -- running ---------------------------------------------------------------
    def _resume(self, budget: int | None = None) -> Stop | None:
        """Run until a pause, the end, or `budget` statements (GUI slices)."""
        if self._glet is None or self._glet.dead:
            return self.stop
        cpu = self.session.kernel.cpu
        self._hub = getcurrent()
        self._glet.parent = self._hub
        self._budget_end = cpu.steps + budget if budget else None
        cpu.on_stop, cpu.stop_at = self._on_tick, cpu.steps + 1
        assert self._context is not None
        try:
            with self.session.shell_state(self._context):
                result = self._glet.switch()
        finally:
            kcpu = self.session.kernel.cpu
            if kcpu.on_stop == self._on_tick:
                kcpu.on_stop, kcpu.stop_at = None, None
        if self._glet.dead:
            self.stop = Stop(self.session.kernel.cpu.steps, None, 0, True, result, "finished",
                             self._start_steps)
            self._end = len(self.session.history)
        return self.stop

    def _go(self, mode: str, budget: int | None = None) -> Stop | None:
        if not self.active or self.stop is None:
            return self.stop
        self._mode, self._target = mode, None
        self._depth = self.stop.depth
        return self._resume(budget)

    def step(self) -> Stop | None:
        return self._go("step")

    def next(self) -> Stop | None:
        return self._go("next")

    def finish(self) -> Stop | None:
        return self._go("finish")

    def cont(self, budget: int | None = None) -> Stop | None:
        """Continue to a breakpoint or the end (in slices when budget is given)."""
        if self.stop is not None and self.stop.reason == "running" and self._mode == "continue":
            return self._resume(budget)
        return self._go("continue", budget)

    def run_to(self, file: str, line: int) -> Stop | None:
        self.breaks.lines.add((file, line))
        try:
            return self.cont()
        finally:
            self.breaks.lines.discard((file, line))

    # -- going back ------------------------------------------------------------
    def why_no_back(self) -> str:
        """"" when a step back can reach the debugged command; else why not."""
        s = self.session
        if self.line is None or self.stop is None:
            return self.gone or "nothing has been debugged"
        if s.boots != self._boots:
            return f"the kernel rebooted after `{self.line}`"
        if self._gap:
            return self._gap
        if self._end is not None and len(s.history) > self._end:
            later = s.history[self._end].text
            return f"`{later}` ran after `{self.line}`: going back would undo it"
        return self.refusal

    def goto_step(self, target: int) -> Stop | None:
        """Put the whole machine where it was when `target` statements had run
        (unchanged, with `refusal` saying why, when that cannot be done)."""
        if self.line is None or not self._rewind():
            return self.stop
        self._target = max(target, self._start_steps + 1)
        self._mode = "step"
        return self._resume()

    def back(self) -> Stop | None:
        if not self.stop or self.stop.site is None and not self.stop.finished:
            return self.stop
        return self.goto_step(self.stop.step - 1)

    def back_over(self) -> Stop | None:
        """Back over a call: to the previous statement at this depth or above."""
        if not self.stop or self.stop.site is None:
            return self.stop
        here, depth = self.stop.step, self.stop.depth
        self._recorder = []
        self.goto_step(here)                  # replay once, recording depths
        log, self._recorder = self._recorder, None
        earlier = [s for s, d in log if s < here and d <= depth]
        return self.goto_step(earlier[-1]) if earlier else self.stop

    def _rewind(self) -> bool:
        """Reboot, replay the commands since boot, restart the debug command.
        False when that would not give the machine that was: `refusal` says why."""
        s = self.session
        if self.why_no_back():
            return False
        assert self._boot is not None
        listeners = list(s.trace.listeners)
        s.trace.listeners.clear()
        before = s.checkpoint()
        why = s.replay(self._boot, self._prefix)
        if why:
            s.restore(before)
            s.trace.listeners.extend(listeners)
            self.refusal = why
            return False
        after = s.checkpoint()
        s.restore(before)
        self._abandon()                   # unwinds in the kernel it ran in
        s.restore(after)
        self._boots = s.boots
        s.trace.listeners.extend(listeners)
        s.trace.emit(Rewound(s.kernel.clock_ns))
        self._launch()
        return True

    def _abandon(self) -> None:
        """Kill a paused command's greenlet (its kernel is about to be replaced)."""
        g, self._glet = self._glet, None
        if g is not None and not g.dead:
            g.parent = getcurrent()
            try:
                g.throw()
            except Exception:
                pass

    def quit(self) -> None:
        """Leave the debugger: the command runs on to its end, undisturbed."""
        self._mode, self._target = "continue", None
        self.breaks = Breakpoints()
        if self.active:
            self._resume()

    # -- fault injection at the current point ---------------------------------
    def fail(self, func: str | None, errno: int) -> None:
        """Make the next call (of `func`, or any injectable call) fail."""
        steps = self.session.kernel.cpu.steps
        self._actions.append(_Action(steps, func, abs(errno)))
        self.session.kernel.faults.active.append(FaultRule(func, 1, abs(errno)))

    # -- inspection -----------------------------------------------------------
    def frames(self) -> list[FrameInfo]:
        task = self.session.kernel.cpu.task
        if task is None:
            return []
        return [FrameInfo(f.fn.name, f.fn.file, f.line, f.inst.name)
                for f in reversed(task.frames)]

    def locals(self, index: int = 0) -> dict[str, str]:
        task = self.session.kernel.cpu.task
        if task is None or not task.frames:
            return {}
        fr = list(reversed(task.frames))[index]
        from kmodgui.debug_eval import render_at, render_value   # pycparser: on demand
        out: dict[str, str] = {}
        for name, ctype, reg, off, line in fr.fn.locals:
            if line > fr.line:
                continue
            try:
                out[name] = (render_value(fr, ctype, fr.r[reg]) if reg >= 0
                             else render_at(fr, ctype, fr.base + off))
            except MemoryFault:
                out[name] = "<unreadable>"
        return out

    def evaluate(self, expr: str) -> str:
        from kmodgui.debug_eval import evaluate
        task = self.session.kernel.cpu.task
        if task is None or not task.frames:
            raise ValueError("no frame selected")
        return evaluate(task.frames[-1], expr)


#: kmodsim's own commands: they change nothing in the kernel by themselves
#: (the debugged command's own run is recorded separately), so a replay
#: skips them and no simulated time passes while they run
NOT_REPLAYED = {"debug", "step", "next", "finish", "continue", "back", "break", "delete",
                "where", "locals", "print", "list", "fail", "quit", "audit", "lesson", "resources",
                "help"}
