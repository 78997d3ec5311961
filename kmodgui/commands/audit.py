"""`kmodsim audit FILE.c|NAME.ko [--json]`: the unwind audit's verdict table.

Exit status 0 when every error path is clean and no static check finds a
problem, 1 otherwise (2 for usage errors or a module that does not build).
"""
from __future__ import annotations

import json
from pathlib import Path

from kmodgui import sandbox
from kmodgui.audit import Report, Run, audit
from kmodgui.userspace.base import ToolContext, ToolResult, tool
from kmodgui.userspace.errnos import errno_name
from kmodgui.userspace.makefile import folder_exports


def _target(ctx: ToolContext, arg: str) -> tuple[Path, str] | None:
    # the audit builds and runs code: only from inside the module folder
    p = sandbox.inside(ctx.cwd, arg)
    if p is not None and p.suffix in (".c", ".ko"):
        return p.parent, p.stem
    return None


@tool("audit", "audit FILE.c|NAME.ko [--json]   try every error path of init, judge the unwind")
def audit_cmd(ctx: ToolContext, argv: list[str]) -> ToolResult:
    args = [a for a in argv[1:] if a != "--json"]
    as_json = "--json" in argv
    if len(args) != 1 or not args[0].endswith((".c", ".ko")):
        return ToolResult(2, "", "usage: audit FILE.c|NAME.ko [--json]\n")
    target = _target(ctx, args[0])
    if target is None:
        return ToolResult(2, "", f"audit: {args[0]}: No such file or directory\n")
    folder, name = target
    try:
        rep = audit(folder, name, ctx.profile.name, dict(ctx.config),
                    folder_exports(folder, name))
    except ValueError as e:             # the module does not build
        return ToolResult(2, "", str(e))
    status = 0 if rep.clean else 1
    if as_json:
        return ToolResult(status, json.dumps(rep.to_dict(), indent=2) + "\n")
    return ToolResult(status, render(rep))


def _verdict(r: Run) -> str:
    if r.crash:
        return f"CRASH ({r.crash})"
    return "clean" if r.clean else "BUG"


def _path(r: Run) -> str:
    """The unwind init took: its gotos, then the releases in order."""
    steps = [f"goto {label} ({a}->{b})" for a, b, label in r.jumps]
    steps += r.unwind or ["releases nothing"]
    return ", ".join(steps)


def render(rep: Report) -> str:
    lines = [f"audit of {rep.module}.ko ({rep.profile}): {len(rep.runs) - 1} fault point(s)",
             "",
             f"{'#':>3}  {'failing call':<34} {'init returns':<14} verdict"]
    for r in rep.runs:
        call = "(no fault)" if r.point == 0 else f"{r.api} at {r.site}"
        ret = "-" if r.init_ret is None else (
            "0" if r.init_ret == 0 else f"-{errno_name(r.init_ret)}")
        lines.append(f"{r.point:>3}  {call:<34} {ret:<14} {_verdict(r)}")
        if r.point:
            lines.append(f"{'':5}path: {_path(r)}")
        lines += [f"{'':5}{p}" for p in r.problems()]
    lines.append("")
    if rep.findings:
        lines.append("static checks:")
        lines += [f"  {f.file}:{f.line}: {f.check}: {f.message}" for f in rep.findings]
    else:
        lines.append("static checks: none found")
    bad = sum(1 for r in rep.runs if not r.clean)
    lines.append("")
    lines.append("verdict: CLEAN: every error path unwinds completely, in reverse order"
                 if rep.clean else
                 f"verdict: {bad} unclean path(s), {len(rep.findings)} static finding(s)")
    return "\n".join(lines) + "\n"
