"""Commands of the simulator itself: reboot, profile, kconfig, inject, help."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kmodgui.kernel.kconfig import Kconfig
from kmodgui.kernel.profile import available
from kmodgui.userspace import errnos
from kmodgui.userspace.base import SUMMARIES, ToolContext, ToolResult, tool

INJECT_USAGE = "usage: inject FUNC [ERRNO] [nth N] | inject nth N [ERRNO] | list | clear"


@tool("reboot", "reboot                                  fresh kernel, same profile and config")
def reboot(ctx: ToolContext, argv: list[str]) -> ToolResult:
    ctx.reboot()
    return ToolResult(0)


@tool("profile", "profile [NAME]                          show, or reboot into, a kernel profile")
def profile(ctx: ToolContext, argv: list[str]) -> ToolResult:
    if len(argv) == 1:
        return ToolResult(0, f"{ctx.profile.name} ({ctx.profile.release})\n")
    names = available()
    if len(argv) != 2 or argv[1] not in names:
        return ToolResult(1, "", f"profile: choose one of: {', '.join(names)}\n")
    ctx.reboot(profile=argv[1])
    return ToolResult(0, f"{ctx.profile.name} ({ctx.profile.release})\n")


@dataclass(frozen=True)
class FaultSpec:
    func: str | None
    nth: int
    errno: int


def _parse_assignments(args: list[str], kc: Kconfig) -> dict[str, bool]:
    changes: dict[str, bool] = {}
    for arg in args:
        name, eq, value = arg.partition("=")
        if not eq or value.lower() not in ("y", "n"):
            raise ValueError(f"kconfig: expected SYMBOL=y or SYMBOL=n, got '{arg}'")
        changes[kc.symbol(name).name] = value.lower() == "y"
    return changes


@tool("kconfig", "kconfig [hacking|list|help SYM|SYM=y|n ...]  kernel options; setting reboots")
def kconfig(ctx: ToolContext, argv: list[str]) -> ToolResult:
    kc = Kconfig.for_profile(ctx.profile)
    args = argv[1:]
    if not args or args == ["show"]:
        return ToolResult(0, kc.menuconfig_text(ctx.config))
    if args == ["list"]:
        return ToolResult(0, kc.dotconfig_text(ctx.config))
    if args == ["hacking"]:
        return ToolResult(0, kc.hacking_text(ctx.config))
    if len(args) == 2 and args[0] == "help":
        return _symbol_help(kc, args[1])
    try:
        changes = _parse_assignments(args, kc)
    except ValueError as e:
        msg = str(e) if str(e).startswith("kconfig:") else f"kconfig: {e}"
        return ToolResult(1, "", msg + "\n")
    res = ToolResult()
    for name in kc.ignored(ctx.config, changes):
        deps = " && ".join(kc.symbol(name).depends)
        res.errln(f"kconfig: {name} stays n: it depends on {deps}")
    old = dict(ctx.config)
    new = ctx.set_config(changes)
    for sym in kc.symbols:
        if old.get(sym.name) != new.get(sym.name):
            res.out(f"CONFIG_{sym.name}={'y' if new[sym.name] else 'n'}\n")
    return res.done(0)


def _symbol_help(kc: Kconfig, name: str) -> ToolResult:
    try:
        sym = kc.symbol(name)
    except ValueError as e:
        return ToolResult(1, "", f"kconfig: {e}\n")
    deps = f"  Depends on: {' && '.join(sym.depends)}\n" if sym.depends else ""
    text = f"{sym.prompt}\n  Symbol: {sym.name}\n{deps}\n{sym.help}\n"
    return ToolResult(0, text)


def _registry() -> dict[str, Any]:
    from kmodgui.kernel import kapi
    return kapi.load_all()


def _inject_add(ctx: ToolContext, args: list[str]) -> ToolResult:
    """inject FUNC [ERRNO] [nth N]  |  inject nth N [ERRNO]"""
    func, rest = (None, args) if args[0] == "nth" else (args[0], args[1:])
    nth, err, i = (None if func is None else 1), None, 0
    while i < len(rest):
        if rest[i] == "nth" and i + 1 < len(rest) and rest[i + 1].isdigit():
            nth, i = int(rest[i + 1]), i + 2
        elif err is None and rest[i] != "nth":
            err, i = errnos.parse_errno(rest[i]), i + 1
        else:
            raise ValueError(INJECT_USAGE)
    if nth is None or nth < 1:
        raise ValueError(INJECT_USAGE)
    if func is not None:
        kf = _registry().get(func)
        if kf is None:
            raise ValueError(f"no kernel function '{func}' in this simulator")
        if kf.fail is None:
            raise ValueError(f"{func}() cannot be made to fail")
        err = kf.errno if err is None else err
    err = errnos.ENOMEM if err is None else err     # fail-nth without an errno
    ctx.kernel.faults.add(func, nth, err)
    return ToolResult(0, f"inject: {_describe(FaultSpec(func, nth, err))}\n")


@tool("inject", "inject FUNC [ERRNO] [nth N] | nth N [ERRNO] | list | clear   fault injection")
def inject(ctx: ToolContext, argv: list[str]) -> ToolResult:
    args = argv[1:]
    if args == ["clear"]:
        ctx.kernel.faults.clear()
        return ToolResult(0)
    if args in ([], ["list"]):
        pending = ctx.kernel.faults.pending
        rules = pending() if callable(pending) else pending
        return ToolResult(0, "".join(f"{_describe(f)}\n" for f in rules))
    try:
        return _inject_add(ctx, args)
    except ValueError as e:
        return ToolResult(1, "", f"inject: {e}\n")


def _describe(fault: Any) -> str:
    func = getattr(fault, "func", None)
    nth = getattr(fault, "nth", "?")
    err = getattr(fault, "errno", 0)
    name = errnos.errno_name(err) if err else "its usual error"
    target = f"{func}()" if func else "any failable call"
    return f"call #{nth} of {target} fails with {name}"


@tool("help", "help                                    this list")
def help_(ctx: ToolContext, argv: list[str]) -> ToolResult:
    lines = []
    for name in sorted(SUMMARIES):
        usage, what = (re.split(r"\s{3,}", SUMMARIES[name], maxsplit=1) + [""])[:2]
        lines.append(f"{usage:<42} {what}")
    return ToolResult(0, "\n".join(lines) + "\n")
