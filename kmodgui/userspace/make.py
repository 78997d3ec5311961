"""make: build the folder's modules through kbuild (the usual Makefile's
`all:` target), or one of them with `make NAME.ko`; `make clean` forgets
the built objects.  Up-to-date modules are not rebuilt and print nothing."""
from __future__ import annotations

from pathlib import Path

from kmodgui.userspace import makefile
from kmodgui.userspace.base import ToolContext, ToolResult, tool
from kmodgui.userspace import fs
from kmodgui.userspace.build_report import make_report
from kmodgui.userspace.dialect import dialect


def _targets(mk: makefile.Makefile, goals: list[str]) -> list[str] | str:
    """Module names to build, or the goal make has no rule for."""
    wanted: list[str] = []
    for goal in goals or [mk.first_target]:
        if goal in (mk.first_target, "all", "modules"):
            wanted += mk.modules
        elif goal.endswith(".ko") and goal[:-3] in mk.modules:
            wanted.append(goal[:-3])
        else:
            return goal
    return list(dict.fromkeys(wanted))


@tool("make", "make [NAME.ko|clean]                    build the folder's modules")
def make(ctx: ToolContext, argv: list[str]) -> ToolResult:
    d, res = dialect(ctx), ToolResult()
    goals = [a for a in argv[1:] if not a.startswith("-")]
    mk = makefile.parse(ctx.cwd)
    if mk is None or mk.path is None:
        if goals:
            return res.errln(d.text("make.no_rule", target=goals[0])).done(2)
        return res.errln(d.text("make.no_makefile")).done(2)
    if goals == ["clean"]:
        ctx.forget_builds(ctx.cwd)
        return res.done(0)
    targets = _targets(mk, goals)
    if isinstance(targets, str):
        return res.errln(d.text("make.no_rule", target=targets)).done(2)
    builds = []
    for name in targets:
        fresh = not ctx.is_built(ctx.cwd, name)
        result = ctx.build(ctx.cwd, name)
        builds.append((result, fresh))
        if not result.ok:
            break
    return make_report(ctx, res, Path(fs.absolute(ctx, ".")), builds)
