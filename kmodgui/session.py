"""The Session: one simulated machine that both faces (kmodsim, the GUI) drive.

It owns the Trace (kept across reboots), the running Kernel, the working
folder (the module sources; never written to), the cache of built modules,
and the shell state ($?).  `run(line)` executes a shell line to completion;
`start(line)` returns a Job the GUI advances in slices of C statements so
its event loop keeps breathing while a module runs.
"""
from __future__ import annotations

import hashlib
import os
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from greenlet import getcurrent, greenlet

from kmodgui import sandbox
from kmodgui import SAMPLES_DIR
from kmodgui.debugger import NOT_REPLAYED
from kmodgui.kernel import events
from kmodgui.kernel.kconfig import Kconfig
from kmodgui.kernel.panic import TaskKilled, TaskStuck
from kmodgui.userspace import errnos, TOOLS, makefile, shexec
import kmodgui.commands  # noqa: F401  (registers debug, audit, lesson)
from kmodgui.userspace.base import ERR, ToolResult

if TYPE_CHECKING:
    from kmodgui.kbuild.make import BuildResult
    from kmodgui.kernel.kernel import Kernel
    from kmodgui.kernel.profile import Profile

#: what a build is cached under: folder, module, profile, config, sources' digest
BuildKey = tuple[str, str, str, tuple[tuple[str, bool], ...], str]

#: time between two commands, as when a person types them (dmesg timestamps)
IDLE_NS = 100_000_000
#: kmodsim's own commands: the simulated machine is stopped while they run
#: (as under a kernel debugger), so no time passes for them
STOPPED_CLOCK = NOT_REPLAYED
#: what still works once the simulated kernel has panicked (the console
#: shows the log; the machine can be rebooted or reconfigured)
AFTER_PANIC = {"reboot", "dmesg", "help", "kconfig", "profile", "echo", "true", "false",
               "uname"}
EX_SOFTWARE = 70        # sysexits.h: internal software error
EX_STUCK = 124          # timeout(1)'s status: we stop waiting for a hung command
#: what a shell prints when a command dies of a signal (strsignal)
_SOURCE_SUFFIXES = (".c", ".h")
_SOURCE_NAMES = ("Makefile", "makefile", "Kbuild")


@dataclass
class CommandResult:
    argv: tuple[str, ...]
    status: int
    stdout: str
    stderr: str
    chunks: list[tuple[int, str]] = field(default_factory=list)  # (1|2, text) in order


#: distinct argvs and contexts the history shares (then it starts afresh)
HISTORY_SHARED = 1024
#: a built module as the build cache knows it: (real folder, module name)
BuildSlot = tuple[str, str]


@dataclass
class RunContext:
    """What one command ran on, so that a replay runs it on exactly that:
    the working folder, the shell's virtual cwd, its stdin, and every
    module object it took (insmod of NAME.ko builds NAME.c: the replay
    takes the same object, whatever the folder holds now)."""
    cwd: str
    vcwd: str | None
    stdin: str
    builds: dict[BuildSlot, BuildResult] = field(default_factory=dict)
    #: answers to "is it built already?" (make prints only what it rebuilt)
    built: dict[BuildSlot, bool] = field(default_factory=dict)

    def identity(self) -> tuple[object, ...]:
        """Equal for two contexts that ran on the same things (the same
        module objects, not merely equal ones)."""
        return (self.cwd, self.vcwd, self.stdin,
                tuple((slot, id(ko)) for slot, ko in self.builds.items()),
                tuple(self.built.items()))


@dataclass(frozen=True, slots=True)
class RanCommand:
    """A command (or a whole shell line) since the last boot, as it ran and
    what it printed."""
    argv: tuple[str, ...]
    context: RunContext
    status: int
    stdout: str
    stderr: str
    line: str = ""             # the shell line, when it is recorded whole
    #: it ran while another command was stopped midway (paused in the
    #: debugger): what it printed depended on that moment, which a replay,
    #: running one command after the other, does not rebuild
    interleaved: bool = False

    @property
    def text(self) -> str:
        return self.line or " ".join(self.argv)


@dataclass
class _Running:
    """A line or a command running now in one greenlet (lines nest: a
    lesson's commands, the debugged command inside `debug`)."""
    glet: greenlet
    context: RunContext
    records: list[RanCommand] = field(default_factory=list)   # what it added to the history
    replayable: bool = True    # no kmodsim command, no reboot among its commands


@dataclass(frozen=True)
class BootRecord:
    """The kernel the machine booted: its profile and config."""
    profile: str
    config: tuple[tuple[str, bool], ...]


@dataclass
class Checkpoint:
    """The machine and its log, to put back when a replay is refused."""
    kernel: Kernel
    profile: Profile
    kconfig: Kconfig
    config: dict[str, bool]
    booted: BootRecord
    boots: int
    boot_event: int
    history: list[RanCommand]
    history_gap: str
    events: events.EventLog
    last_status: int
    tmp_files: dict[str, str]


@dataclass
class Engine:
    """Where the session gets its kernel, profiles and compiler from (tests
    substitute fakes)."""
    load_profile: Callable[[str], Profile]
    make_kernel: Callable[[Profile, dict[str, bool], events.Trace], Kernel]
    build: Callable[[Path, str, Profile, dict[str, bool], dict[str, str]], BuildResult]

    @classmethod
    def real(cls) -> "Engine":
        def load_profile(name: str) -> Profile:
            from kmodgui.kernel.profile import load_profile as lp
            return lp(name)

        def make_kernel(profile: Profile, config: dict[str, bool],
                        trace: events.Trace) -> Kernel:
            from kmodgui.kernel.kernel import Kernel
            return Kernel(profile, config, trace)

        def build(srcdir: Path, modname: str, profile: Profile, config: dict[str, bool],
                  symvers: dict[str, str]) -> BuildResult:
            from kmodgui.kbuild import build as kbuild_build
            return kbuild_build(srcdir, modname, profile, config, symvers)

        return cls(load_profile, make_kernel, build)


class Session:
    def __init__(self, profile: str = "6.1", config: dict[str, bool] | None = None,
                 cwd: Path | None = None, *, engine: Engine | None = None) -> None:
        self.engine = engine or Engine.real()
        self.trace = events.Trace()
        self.cwd = Path(cwd) if cwd is not None else SAMPLES_DIR
        self.last_status = 0
        self.last_traceback = ""
        self.stdin = ""                       # what the running tool reads on fd 0
        self.vcwd: str | None = None          # set by `cd /proc/...`; None: the folder
        self.tmp_files: dict[str, str] = {}   # the in-memory /tmp
        self._console_loglevel = 7
        self._builds: dict[BuildKey, BuildResult] = {}
        #: the commands run since the last boot, with what they ran on
        self.history: list[RanCommand] = []
        self.boots = 0                        # how many times the machine booted
        self.boot_event = 0                   # index in trace.events of the last boot
        self._runs: list[_Running] = []       # the lines and commands running now
        self._next_context: RunContext | None = None
        self._shared: dict[tuple[object, ...], Any] = {}   # see _record
        self._boot(profile, config)

    # -- the machine ----------------------------------------------------------
    def _boot(self, profile: str, config: dict[str, bool] | None) -> None:
        self.profile = self.engine.load_profile(profile)
        self.kconfig = Kconfig.for_profile(self.profile)
        self.config = self.kconfig.normalize(config)
        self.history = []
        self.history_gap = ""                 # why the history cannot be replayed, if so
        self.tmp_at_boot, self.status_at_boot = dict(self.tmp_files), self.last_status
        self.boots += 1
        self.boot_event = len(self.trace.events)
        self.booted = BootRecord(self.profile.name, tuple(sorted(self.config.items())))
        self.kernel = self.engine.make_kernel(self.profile, dict(self.config), self.trace)

    def reboot(self, profile: str | None = None,
               config: dict[str, bool] | None = None) -> None:
        """A fresh kernel.  Switching profile without a config takes the new
        profile's defaults; otherwise the current config carries over."""
        name = profile or self.profile.name
        if config is None:
            config = self.config if name == self.profile.name else None
        self._boot(name, config)

    def set_config(self, changes: dict[str, bool]) -> dict[str, bool]:
        """Change Kconfig symbols (dependants follow) and reboot."""
        new = self.kconfig.apply(self.config, changes)
        self.reboot(config=new)
        return new

    @property
    def console_loglevel(self) -> int:
        return getattr(self.kernel, "console_loglevel", self._console_loglevel)

    @console_loglevel.setter
    def console_loglevel(self, level: int) -> None:
        self._console_loglevel = level
        if hasattr(self.kernel, "console_loglevel"):
            self.kernel.console_loglevel = level

    # -- what commands ran on, and running them again ------------------------
    def context(self) -> RunContext:
        """The shell's state now: what the next command would run on."""
        return RunContext(os.path.realpath(self.cwd), self.vcwd, self.stdin)

    def run_in(self, context: RunContext) -> None:
        """The next command runs on `context` (its folder, stdin and the
        module objects it took before) instead of the shell's state now."""
        self._next_context = context

    @contextmanager
    def shell_state(self, context: RunContext) -> Iterator[None]:
        """cwd, vcwd and stdin of `context` while the block runs (a command
        paused in the debugger resumes in its own folder)."""
        saved = (self.cwd, self.vcwd, self.stdin)
        self.cwd, self.vcwd, self.stdin = Path(context.cwd), context.vcwd, context.stdin
        try:
            yield
        finally:
            self.cwd, self.vcwd, self.stdin = saved

    def _running_context(self) -> RunContext | None:
        me = getcurrent()
        return next((r.context for r in reversed(self._runs) if r.glet is me), None)

    def replay(self, boot: BootRecord, commands: list[RanCommand]) -> str:
        """Boot `boot` again and re-run `commands` on what each ran on.
        Each must print and return what it did the first time; "" when all
        did, else what differed (the machine is then not the one it was).
        The trace since the last boot is replaced by the replay's."""
        del self.trace.events[self.boot_event:]
        self.tmp_files, self.last_status = dict(self.tmp_at_boot), self.status_at_boot
        self.reboot(profile=boot.profile, config=dict(boot.config))
        me = getcurrent()
        paused = [r for r in self._runs if r.glet is not me]   # of the kernel being replaced
        self._runs = [r for r in self._runs if r.glet is me]
        try:
            for cmd in commands:
                self.run_in(cmd.context)
                with self.shell_state(cmd.context):
                    got = self.run(cmd.line) if cmd.line else self.run_argv(list(cmd.argv))
                if _differs(cmd, got):
                    return f"`{cmd.text}` did not do again what it did"
        finally:
            self._runs = paused + self._runs
        return ""

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(self.kernel, self.profile, self.kconfig, dict(self.config),
                          self.booted, self.boots, self.boot_event, list(self.history),
                          self.history_gap, self.trace.events.copy(), self.last_status,
                          dict(self.tmp_files))

    def restore(self, cp: Checkpoint) -> None:
        """Put the machine and its log back as they were at `cp`."""
        self.trace.events.restore(cp.events)
        self.kernel, self.profile, self.kconfig = cp.kernel, cp.profile, cp.kconfig
        self.config, self.booted, self.boots = dict(cp.config), cp.booted, cp.boots
        self.boot_event, self.history = cp.boot_event, list(cp.history)
        self.history_gap = cp.history_gap
        self.last_status, self.tmp_files = cp.last_status, dict(cp.tmp_files)

    # -- built modules --------------------------------------------------------
    def _key(self, srcdir: Path, modname: str) -> BuildKey:
        srcdir = Path(os.path.realpath(srcdir))
        digest = hashlib.sha256()
        for p in sorted(srcdir.iterdir()):
            if p.suffix in _SOURCE_SUFFIXES or p.name in _SOURCE_NAMES:
                text = sandbox.read_source(srcdir, p.name)
                if text is not None:
                    digest.update(p.name.encode() + b"\0" + text.encode() + b"\0")
        return (str(srcdir), modname, self.profile.name,
                tuple(sorted(self.config.items())), digest.hexdigest())

    def build(self, srcdir: Path, modname: str) -> BuildResult:
        """kbuild's result for <modname>.ko in srcdir, built once per source
        content, profile and config.  A command run again (a replay) takes
        the object it took the first time."""
        ctx = self._running_context()
        slot = (os.path.realpath(srcdir), modname)
        if ctx is not None and slot in ctx.builds:
            return ctx.builds[slot]
        key = self._key(srcdir, modname)
        if key not in self._builds:
            folder = Path(key[0])
            symvers = makefile.folder_exports(folder, modname)
            self._builds[key] = self.engine.build(folder, modname, self.profile,
                                                  dict(self.config), symvers)
        if ctx is not None:
            ctx.builds[slot] = self._builds[key]
        return self._builds[key]

    def is_built(self, srcdir: Path, modname: str) -> bool:
        ctx = self._running_context()
        slot = (os.path.realpath(srcdir), modname)
        if ctx is not None and slot in ctx.built:
            return ctx.built[slot]
        answer = self._key(srcdir, modname) in self._builds
        if ctx is not None:
            ctx.built[slot] = answer
        return answer

    def built_modules(self, srcdir: Path) -> list[str]:
        """Modules of srcdir whose current sources are built without error."""
        real = str(Path(os.path.realpath(srcdir)))
        names = {k[1] for k, r in self._builds.items() if k[0] == real and r.ok}
        return sorted(n for n in names if self.is_built(srcdir, n))

    def forget_builds(self, srcdir: Path) -> None:
        real = str(Path(os.path.realpath(srcdir)))
        self._builds = {k: v for k, v in self._builds.items() if k[0] != real}

    # -- commands -------------------------------------------------------------
    def run(self, line: str) -> CommandResult:
        """Run a shell line (lists, pipelines, redirections) to completion.
        The history keeps the line whole (a replay redirects as it did),
        unless a kmodsim command or a reboot was among its commands: then
        only the others, one by one."""
        me, boots = self._enter(), self.boots
        try:
            argv, status, chunks = shexec.run_line(
                self, line, {"PWD": self.pwd, "HOME": "/root"}, self._run_for_shell)
        except BaseException:      # killed midway: what it did cannot be done again
            if self.boots == boots and not self.history_gap:
                self.history_gap = f"`{line}` was stopped before it finished: " \
                                   "a replay cannot redo that"
            raise
        finally:
            self._leave(me)
        result = _combine(tuple(argv), status, chunks)
        if me.replayable and me.records:
            self._record(RanCommand(result.argv, me.context, result.status, result.stdout,
                                    result.stderr, line), replaces=me.records)
        return result

    def _enter(self) -> "_Running":
        """A line or command starts in this greenlet: on the context of the
        line it is part of, else the one given by run_in(), else the shell's."""
        me_glet = getcurrent()
        outer = next((r for r in reversed(self._runs) if r.glet is me_glet), None)
        if outer is not None:
            context = outer.context
        else:
            context, self._next_context = self._next_context or self.context(), None
        me = _Running(me_glet, context)
        self._runs.append(me)
        return me

    def _leave(self, me: "_Running") -> None:
        self._runs = [r for r in self._runs if r is not me]

    def _enclosing(self) -> list["_Running"]:
        me_glet = getcurrent()
        return [r for r in self._runs if r.glet is me_glet]

    def _record(self, cmd: "RanCommand", replaces: Sequence["RanCommand"] = ()) -> None:
        """Into the history and the lines running around it (in place of
        `replaces`, the line's own commands, when a whole line is recorded).
        An argv, line or context like one recorded before is shared, not
        copied: a long session of the same few commands costs the history
        a few dozen bytes a command."""
        shared = self._shared
        if len(shared) >= HISTORY_SHARED:
            shared.clear()
        running = _ancestry()
        cmd = RanCommand(shared.setdefault(("argv", cmd.argv), cmd.argv),
                         shared.setdefault(("context", *cmd.context.identity()), cmd.context),
                         cmd.status, cmd.stdout, cmd.stderr,
                         shared.setdefault(("line", cmd.line), cmd.line),
                         any(r.glet not in running for r in self._runs))
        gone = {id(c) for c in replaces}
        _drop(self.history, gone)
        self.history.append(cmd)
        for r in self._enclosing():
            _drop(r.records, gone)
            r.records.append(cmd)

    def _not_replayable(self) -> None:
        for r in self._enclosing():
            r.replayable = False

    @property
    def pwd(self) -> str:
        """The shell's current directory (`cd` into /proc, /sys, /dev, /tmp)."""
        return self.vcwd or os.path.realpath(self.cwd)

    def _run_for_shell(self, argv: list[str]) -> ToolResult:
        one = self.run_argv(argv)
        res = ToolResult(one.status)
        res.chunks = list(one.chunks)
        return res

    def run_argv(self, argv: list[str]) -> CommandResult:
        """Run one command; its exit status becomes $?."""
        if argv and argv[0] == "sudo":       # we are root already
            argv = argv[1:]
        if not argv:
            return _combine((), self.last_status, [])
        me = self._enter()
        boots = self.boots
        try:
            result = self._run_recorded(argv)
        finally:
            self._leave(me)
        # a command that rebooted the machine (reboot, kconfig SYM=n) is not
        # one to run again on the new kernel: its boot record says what it did
        if self.boots != boots:
            self.status_at_boot = result.status     # what $? says to the next command
            self._not_replayable()
        elif argv[0] in NOT_REPLAYED:
            self._not_replayable()
        else:
            self._record(RanCommand(result.argv, me.context, result.status,
                                    result.stdout, result.stderr))
        return result

    def _run_recorded(self, argv: list[str]) -> CommandResult:
        if argv[0] not in STOPPED_CLOCK and not getattr(self.kernel, "panicked", ""):
            self._idle()
        if getattr(self.kernel, "panicked", "") and argv[0] not in AFTER_PANIC:
            res = ToolResult(1, "", f"kmodsim: the kernel panicked "
                             f"({self.kernel.panicked}); nothing runs until 'reboot'\n")
        else:
            res = self._call_tool(argv)
        self.last_status = res.status
        result = _combine(tuple(argv), res.status, res.chunks)
        self.trace.emit(events.CommandRun(self.kernel.clock_ns, result.argv,
                                          result.status, result.stdout, result.stderr))
        return result

    def _idle(self) -> None:
        """Time passes while the user types: timers fire, kthreads run.
        Their crashes are the kernel's reports; a bug of ours is logged."""
        try:
            self.kernel.idle(IDLE_NS)
        except Exception as e:
            self.last_traceback = traceback.format_exc()
            self.kernel.log_line(f"kmodsim: internal error while time passed: "
                                 f"{type(e).__name__}: {e}", 3)

    def _call_tool(self, argv: list[str]) -> ToolResult:
        fn = TOOLS.get(os.path.basename(argv[0]))
        if fn is None:
            return ToolResult(127, "", f"sh: 1: {argv[0]}: not found\n")   # dash's words
        try:
            return fn(self, argv)
        except TaskKilled as e:   # the process died in the kernel (oops, BUG)
            return ToolResult(128 + e.signal, "", errnos.strsignal(e.signal) + "\n")
        except TaskStuck as e:    # soft lockup: the system call never returns
            tool = os.path.basename(argv[0])
            if e.hung:
                return ToolResult(EX_STUCK, "", f"kmodsim: {tool} (pid {e.pid}) is blocked in "
                                  "the kernel and will never return (khungtaskd reported it "
                                  f"blocked for {e.hung} s); gave up waiting\n")
            if e.printing:
                return ToolResult(EX_STUCK, "", f"kmodsim: {tool} (pid {e.pid}) has printed "
                                  f"{e.printing} lines to the console without sleeping and "
                                  "goes on printing (no watchdog reports it); gave up waiting\n")
            if e.asleep:
                return ToolResult(EX_STUCK, "", f"kmodsim: {tool} (pid {e.pid}) has slept in "
                                  "the kernel for 600 s without returning; gave up waiting\n")
            return ToolResult(EX_STUCK, "", f"kmodsim: {tool} "
                              f"(pid {e.pid}) is stuck in the kernel and will never "
                              "return; gave up waiting\n")
        except Exception as e:    # a bug of ours must not kill the shell
            self.last_traceback = traceback.format_exc()
            text = f"kmodsim: internal error: {type(e).__name__}: {e}\n"
            if os.environ.get("KMODSIM_TRACEBACK"):
                text += self.last_traceback
            return ToolResult(EX_SOFTWARE, "", text)

    def start(self, line: str) -> "Job":
        """Run a line in slices (for the GUI): see Job."""
        return Job(self, line)


def _ancestry() -> set[greenlet]:
    """The greenlet running now and those waiting for it to switch back
    (a command that resumed a paused one is not paused itself)."""
    out: set[greenlet] = set()
    g: greenlet | None = getcurrent()
    while g is not None:
        out.add(g)
        g = g.parent
    return out


def _differs(cmd: RanCommand, got: CommandResult) -> bool:
    """A replayed command did not do what it did: its exit status, and
    unless it ran while another was paused (lsmod showing a module still
    Loading), what it printed."""
    if cmd.interleaved:
        return got.status != cmd.status
    return (got.status, got.stdout, got.stderr) != (cmd.status, cmd.stdout, cmd.stderr)


def _drop(records: list[RanCommand], gone: set[int]) -> None:
    """Remove the records whose id() is in `gone`: a line's own commands,
    normally the last ones (then popped, without a pass over the list)."""
    left = set(gone)
    while left and records and id(records[-1]) in left:
        left.discard(id(records.pop()))
    if left:
        records[:] = [c for c in records if id(c) not in left]


def _combine(argv: tuple[str, ...], status: int,
             chunks: list[tuple[int, str]]) -> CommandResult:
    out = "".join(t for fd, t in chunks if fd != ERR)
    err = "".join(t for fd, t in chunks if fd == ERR)
    return CommandResult(argv, status, out, err, list(chunks))


class JobCancelled(BaseException):
    """Thrown into a job's greenlet by Job.cancel(); BaseException so that
    no `except Exception` on the way swallows it."""


class Job:
    """A command line running in its own greenlet, advanced in slices.

    advance(budget) lets the simulated CPU run at most `budget` C statements:
    it sets kernel.cpu.stop_at, and the CPU calls our on_stop when it gets
    there, which switches back to the caller.  The next advance() resumes
    exactly where the CPU stopped.
    """

    KILLED = 137     # what a shell reports for a process killed by SIGKILL

    def __init__(self, session: Session, line: str) -> None:
        self.session = session
        self.line = line
        self.result: CommandResult | None = None
        self._glet = greenlet(self._body)
        self._resume: greenlet = self._glet
        self._caller: greenlet | None = None

    @property
    def finished(self) -> bool:
        return self.result is not None

    def _body(self) -> None:
        try:
            self.result = self.session.run(self.line)
        except JobCancelled:
            text = "Killed\n"
            self.session.last_status = self.KILLED
            self.result = CommandResult((), self.KILLED, "", text, [(ERR, text)])

    def _on_stop(self) -> None:
        self._resume = getcurrent()
        assert self._caller is not None
        self._caller.switch()

    def advance(self, budget: int) -> bool:
        """Run up to `budget` statements; True when the command has finished."""
        if self.finished:
            return True
        cpu = self.session.kernel.cpu
        self._caller = getcurrent()
        self._glet.parent = self._caller
        cpu.stop_at, cpu.on_stop = cpu.steps + budget, self._on_stop
        try:
            self._resume.switch()
        finally:
            self._release_cpu()
        return self.finished

    def cancel(self) -> None:
        """Kill the command where it stands (as SIGKILL would the process)."""
        if self.finished or self._glet.dead:
            return
        if not self._glet:            # never started: nothing ran
            self.result = CommandResult((), self.KILLED, "", "", [])
            return
        self._caller = getcurrent()
        self._glet.parent = self._caller
        try:
            self._resume.throw(JobCancelled())
        finally:
            self._release_cpu()

    def _release_cpu(self) -> None:
        cpu = self.session.kernel.cpu
        if getattr(cpu, "on_stop", None) == self._on_stop:
            cpu.stop_at, cpu.on_stop = None, None
