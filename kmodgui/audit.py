"""The unwind audit: every error path of a module's init, tried and judged.

Like the kernel's fail-nth fault injection: run insmod once with no fault,
then once per fault point -- the N-th fault-injectable call made by init --
each in a freshly booted kernel, and rmmod after any successful load.  For
each run the resource ledger tells what was left held (leaks), released
twice, released without being acquired, or released out of reverse order,
and a second insmod tells whether a leftover registration now blocks the
module.  Static checks add what the kernel's own tools would say.
No Qt: `kmodsim audit` and the GUI's Audit panel both use this.
"""
from __future__ import annotations

import errno as E
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from kmodgui.kbuild import build
from kmodgui.kbuild.modpost import section_mismatches
from kmodgui.kernel import kapi, panic
from kmodgui.kbuild.program import KoObject
from kmodgui.kernel.events import (FaultInjected, Jump, ModuleStateChanged, ResourceAcquired,
                                   ResourceProblem, ResourceReleased, Site)
from kmodgui.kernel.kernel import Kernel
from kmodgui.kernel.profile import Profile, load_profile

Progress = Callable[[int, int], None]    # progress(n, total) before fault point n
Pause = Callable[[], None]               # called every PAUSE_EVERY statements

O_NONBLOCK = 0o4000


@dataclass
class Finding:
    check: str          # permanent, positive-return, section-mismatch, license,
    #                     exit-order, ladder-order
    file: str
    line: int
    message: str


@dataclass
class Run:
    """One insmod (and rmmod when it loaded) with one fault injected."""
    point: int                         # 0: no fault; N: the N-th injectable call fails
    api: str = ""                      # the call that failed
    site: str = ""                     # file:line of that call
    errno: int = 0
    init_ret: int | None = None
    loaded: bool = False
    leaks: list[str] = field(default_factory=list)          # "kind name (file:line)"
    double: list[str] = field(default_factory=list)
    never: list[str] = field(default_factory=list)
    out_of_order: list[str] = field(default_factory=list)
    next_insmod: int = 0               # the retry's result (0 = loads again)
    crash: str = ""
    cells: dict[str, str] = field(default_factory=dict)     # resource -> verdict
    #: the unwind path init took after the failure: gotos (from line, to line,
    #: label) and the releases it made (api@line), in order
    jumps: list[tuple[int, int, str]] = field(default_factory=list)
    unwind: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.leaks or self.double or self.never or self.out_of_order
                    or self.next_insmod or self.crash)

    def problems(self) -> list[str]:
        """What went wrong on this path, one phrase each."""
        from kmodgui.userspace.errnos import strerror
        out = [f"leaks {x}" for x in self.leaks]
        out += [f"released twice: {x}" for x in self.double]
        out += [f"released but never acquired: {x}" for x in self.never]
        out += [f"released out of reverse order: {x}" for x in self.out_of_order]
        if self.next_insmod:
            out.append(f"the next insmod fails: {strerror(self.next_insmod)}")
        return out


@dataclass
class Report:
    module: str
    profile: str
    runs: list[Run]
    findings: list[Finding]
    resources: list[str]               # column order for the matrix

    @property
    def clean(self) -> bool:
        return all(r.clean for r in self.runs) and not self.findings

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["clean"] = self.clean
        for r, rd in zip(self.runs, d["runs"]):
            rd["clean"] = r.clean
        return d


def _label(ev: ResourceAcquired | ResourceReleased | ResourceProblem) -> str:
    """'that "skull_leaky" (skull_leaky.c:33)': what, and where it was made."""
    where = f" ({ev.site.file}:{ev.site.line})" if ev.site else ""
    name = ev.name if ev.name.startswith(ev.kind) else f"{ev.kind} {ev.name}"
    return f"{name}{where}"


def _column(ev: ResourceAcquired | ResourceReleased) -> str:
    return f"{ev.api}@{ev.site.line}" if ev.site else ev.api


def audit(srcdir: Path, modname: str, profile: str = "6.1",
          config: dict[str, bool] | None = None, symvers: dict[str, str] | None = None,
          progress: Progress | None = None, pause: Pause | None = None) -> Report:
    """progress(n, total) before fault point n; pause() every few thousand
    statements of the simulated CPU (a GUI yields to its event loop there)."""
    prof = load_profile(profile)
    cfg = config or _default_config(prof)
    res = build(Path(srcdir), modname, prof, cfg, symvers or {})
    if not res.ok:
        raise ValueError(res.output)
    assert res.ko is not None                # a build that is ok has its object
    return audit_object(res.ko, prof, cfg, progress, pause)


def audit_object(ko: KoObject, prof: Profile, cfg: dict[str, bool],
                 progress: Progress | None = None, pause: Pause | None = None) -> Report:
    """The sweep itself, on an already built module."""
    base, calls, exit_order = _run(prof, cfg, ko, 0, pause=pause)
    runs = [base]
    for n, (api, site) in enumerate(calls, 1):
        if progress:
            progress(n, len(calls))
        kf = kapi.REGISTRY.get(api)
        errno = kf.errno if kf is not None else E.ENOMEM
        run, _, _ = _run(prof, cfg, ko, n, errno, pause)
        run.api, run.errno = api, errno
        run.site = f"{site.file}:{site.line}" if site else ""
        runs.append(run)
    columns: list[str] = []
    for r in runs:
        for c in r.cells:
            if c not in columns:
                columns.append(c)
    findings = static_findings(ko, exit_order)
    if base.loaded and base.out_of_order:
        exit_fn = ko.functions.get(ko.exit) if ko.exit else None
        findings.append(Finding(
            "exit-order", exit_fn.file if exit_fn else "?", exit_fn.line if exit_fn else 0,
            f"{ko.exit or 'exit'}() does not release in the reverse order of init's "
            f"acquisitions: {', '.join(base.out_of_order)}"))
    return Report(ko.name, prof.name, runs, findings, columns)


def _default_config(prof: Profile) -> dict[str, bool]:
    from kmodgui.kernel.kconfig import Kconfig
    return Kconfig.for_profile(prof).defaults()


PAUSE_EVERY = 5000        # statements between two pause() calls


def _run(prof: Profile, cfg: dict[str, bool], ko: KoObject, point: int, errno: int = E.ENOMEM,
         pause: Pause | None = None) -> tuple[Run, list[tuple[str, Site | None]], list[str]]:
    """Boot, insmod with the point-th injectable call failing, rmmod if loaded."""
    k = Kernel(prof, cfg)
    if pause is not None:
        _pause_every(k, pause)
        pause()
    run = Run(point)
    if point:
        k.faults.add(None, point, errno)
    start = len(k.trace.events)
    try:
        run.init_ret = k.init_module(ko, "")
    except (panic.TaskKilled, panic.TaskStuck) as e:
        run.crash = "oops" if isinstance(e, panic.TaskKilled) else "soft lockup"
    calls = list(k.faults.calls)
    run.loaded = run.init_ret == 0 and not run.crash
    if run.loaded:
        try:
            k.delete_module(ko.name, O_NONBLOCK)
        except (panic.TaskKilled, panic.TaskStuck):
            run.crash = "oops in exit"
    exit_order: list[str] = []
    _judge(k, run, start, exit_order)
    _unwind_path(k, run, start)
    if not run.loaded and not run.crash:
        run.next_insmod = _retry(k, ko)
    return run, calls, exit_order


def _pause_every(k: Kernel, pause: Pause) -> None:
    def stop() -> None:
        k.cpu.stop_at = k.cpu.steps + PAUSE_EVERY
        pause()
    k.cpu.on_stop = stop
    k.cpu.stop_at = k.cpu.steps + PAUSE_EVERY


def _judge(k: Kernel, run: Run, start: int, exit_order: list[str]) -> None:
    acquired: dict[int, str] = {}
    for ev in k.trace.events[start:]:
        if isinstance(ev, ResourceAcquired):
            acquired[ev.rid] = _column(ev)
            run.cells[_column(ev)] = "held"
        elif isinstance(ev, ResourceReleased):
            col = acquired.get(ev.rid, _column(ev))
            run.cells[col] = "released" if ev.in_order else "wrong-order"
            exit_order.append(col)
            if not ev.in_order:
                run.out_of_order.append(_label(ev))
        elif isinstance(ev, ResourceProblem):
            col = acquired.get(ev.rid, f"{ev.kind} {ev.name}") if ev.rid else f"{ev.kind} {ev.name}"
            if ev.problem == "leak":
                run.leaks.append(_label(ev))
                run.cells[col] = "leaked"
            elif ev.problem == "double-release":
                run.double.append(_label(ev))
                run.cells[col] = "double"
            else:
                run.never.append(_label(ev))
                run.cells[col] = "never-acquired"


def _unwind_path(k: Kernel, run: Run, start: int) -> None:
    """What init did after the injected failure, until it returned."""
    failed = False
    for ev in k.trace.events[start:]:
        if isinstance(ev, FaultInjected):
            failed = True
        elif isinstance(ev, ModuleStateChanged) and ev.state in ("LIVE", "GOING"):
            break
        elif failed and isinstance(ev, Jump):
            run.jumps.append((ev.from_line, ev.to_line, ev.label))
        elif failed and isinstance(ev, ResourceReleased):
            run.unwind.append(f"{ev.api}@{ev.site.line}" if ev.site else ev.api)


def _retry(k: Kernel, ko: KoObject) -> int:
    """A second insmod on the same kernel: does something left behind block it?"""
    try:
        ret = k.init_module(ko, "")
    except (panic.TaskKilled, panic.TaskStuck):
        return -E.EFAULT
    return ret if ret < 0 else 0


# -- static checks -----------------------------------------------------------
def static_findings(ko: KoObject, exit_order: list[str]) -> list[Finding]:
    out: list[Finding] = []
    init = ko.functions.get(ko.init) if ko.init else None
    if init is not None and ko.exit is None:
        out.append(Finding("permanent", init.file, init.line,
                           f"{ko.name} has module_init({init.name}) but no module_exit(): "
                           "it will be [permanent] (rmmod: Device or resource busy)"))
    if init is not None:
        for line, value in init.const_returns:
            if value > 0:
                out.append(Finding("positive-return", init.file, line,
                                   f"{init.name}() returns {value}: the kernel warns "
                                   "'suspiciously returned {value}, it should follow 0/-E "
                                   "convention' and loads the module anyway"
                                   .replace("{value}", str(value))))
    for frm, fsec, to, tsec in section_mismatches(ko):
        fn = ko.functions.get(frm)
        out.append(Finding("section-mismatch", fn.file if fn else "?", fn.line if fn else 0,
                           f"section mismatch in reference: {frm} (section: {fsec}) -> "
                           f"{to} (section: {tsec})"))
    if ko.license is None:
        out.append(Finding("license", ko.sources[0], 0,
                           f"missing MODULE_LICENSE() in {ko.name}.o"))
    out += _ladder_order(ko)
    return out


def _ladder_order(ko: KoObject) -> list[Finding]:
    """In a goto ladder, later failures jump to earlier labels: the labels of
    successive gotos must appear in decreasing line order."""
    out = []
    init = ko.init
    edges = [g for g in ko.gotos if g.func == init]
    seen: dict[str, int] = {}
    ordered = []
    for g in sorted(edges, key=lambda g: g.goto_line):
        if g.label not in seen:
            seen[g.label] = g.label_line
            ordered.append(g)
    for a, b in zip(ordered, ordered[1:]):
        if b.label_line > a.label_line:
            out.append(Finding("ladder-order", a.file, b.goto_line,
                               f"goto {b.label} (line {b.goto_line}) lands below "
                               f"{a.label} (line {a.label_line}): a later failure must "
                               "unwind more, so its label belongs above"))
    return out
