"""`resources`: the resource ledger -- what each module holds right now,
and what unloaded or failed modules left behind (leaks)."""
from __future__ import annotations

from kmodgui.kernel.ledger import Resource
from kmodgui.userspace.base import ToolContext, ToolResult, tool


def _row(r: Resource) -> str:
    where = f"{r.site.file}:{r.site.line}" if r.site else "-"
    return f"{r.owner:<16} {r.kind:<14} {r.name:<32} {where:<18} {r.api}"


@tool("resources", "resources            the resource ledger: held resources and leftovers")
def resources_cmd(ctx: ToolContext, argv: list[str]) -> ToolResult:
    k = ctx.kernel
    held = k.ledger.held()
    live = [r for r in held if r.owner in k.modules and not r.left_behind]
    left = [r for r in held if r.owner not in k.modules or r.left_behind]
    out = ToolResult(0)
    if not held:
        return out.outln("no resources held")
    header = f"{'MODULE':<16} {'KIND':<14} {'RESOURCE':<32} {'ACQUIRED AT':<18} BY"
    if live:
        out.outln(header)
        for r in live:
            out.outln(_row(r))
    if left:
        if live:
            out.outln("")
        out.outln("left behind by modules that are gone (leaks):")
        out.outln(header)
        for r in left:
            out.outln(_row(r))
    return out
