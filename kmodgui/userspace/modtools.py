"""insmod, rmmod, lsmod, modinfo: dispatched to the profile's tool suite."""
from __future__ import annotations

from types import ModuleType

from kmodgui.userspace.base import Tool, ToolContext, ToolResult, tool
from kmodgui.userspace.dialect import dialect
from kmodgui.userspace.kmod import insmod as k_insmod, lsmod as k_lsmod
from kmodgui.userspace.kmod import modinfo as k_modinfo, rmmod as k_rmmod
from kmodgui.userspace.mit import insmod as m_insmod, lsmod as m_lsmod
from kmodgui.userspace.mit import modinfo as m_modinfo, rmmod as m_rmmod

_SUITES: dict[str, dict[str, ModuleType]] = {
    "kmod": {"insmod": k_insmod, "rmmod": k_rmmod, "lsmod": k_lsmod,
             "modinfo": k_modinfo},
    "module-init-tools": {"insmod": m_insmod, "rmmod": m_rmmod,
                          "lsmod": m_lsmod, "modinfo": m_modinfo},
}


def _run(name: str, ctx: ToolContext, argv: list[str]) -> ToolResult:
    module = _SUITES[dialect(ctx).suite][name]
    run: Tool = getattr(module, name)
    return run(ctx, argv)


@tool("insmod", "insmod [-f] FILE.ko [param=value ...]   load a module (builds FILE.c first)")
def insmod(ctx: ToolContext, argv: list[str]) -> ToolResult:
    return _run("insmod", ctx, argv)


@tool("rmmod", "rmmod [-f] [-w] NAME...                  unload modules")
def rmmod(ctx: ToolContext, argv: list[str]) -> ToolResult:
    return _run("rmmod", ctx, argv)


@tool("lsmod", "lsmod                                   list loaded modules")
def lsmod(ctx: ToolContext, argv: list[str]) -> ToolResult:
    return _run("lsmod", ctx, argv)


@tool("modinfo", "modinfo [-F FIELD] FILE.ko              show a module's .modinfo")
def modinfo(ctx: ToolContext, argv: list[str]) -> ToolResult:
    return _run("modinfo", ctx, argv)
