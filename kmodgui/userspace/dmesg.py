"""dmesg: the kernel ring buffer (syslog(2) SYSLOG_ACTION_READ_ALL).

Records print as the kernel formats them: "[%5lu.%06lu] text" (print_time),
raw with the "<level>" prefix for -r, and for util-linux's -x decoded as
"kern  :info  : ".  The 6.1 profile has util-linux 2.38's options; the
2.6.30 one only -c, -r, -n and -s of 2009's util-linux-ng.
"""
from __future__ import annotations

from kmodgui.kernel.events import Printk
from kmodgui.userspace.base import ToolContext, ToolResult, tool
from kmodgui.userspace.dialect import Dialect, dialect
from kmodgui.userspace.getopt import GetoptError, getopt_long

#: util-linux dmesg.c level_names[], index = printk level
LEVELS = ("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug")


def timestamp(ts_ns: int) -> str:
    """kernel/printk/printk.c print_time(): "[%5lu.%06lu]"."""
    return f"[{ts_ns // 1_000_000_000:5d}.{ts_ns % 1_000_000_000 // 1000:06d}]"


def format_record(rec: Printk, raw: bool = False, decode: bool = False,
                  notime: bool = False, with_time: bool = True) -> str:
    stamp = f"{timestamp(rec.ts)} " if with_time and not (notime and not raw) else ""
    if raw:
        return f"<{rec.level}>{stamp}{rec.text}"
    prefix = f"{'kern':<6}:{LEVELS[rec.level]:<6}: " if decode else ""
    if rec.continued:
        # util-linux's safe_fwrite(): after a newline inside a record,
        # indent by the width of the header printed before its first line
        return " " * len(prefix + stamp) + rec.text
    return f"{prefix}{stamp}{rec.text}"


def _parse_levels(d: Dialect, prog: str, spec: str) -> set[int]:
    levels = set()
    for word in spec.split(","):
        if word.isdigit() and int(word) < len(LEVELS):
            levels.add(int(word))
        elif word in LEVELS:
            levels.add(LEVELS.index(word))
        else:
            raise ValueError(d.text("dmesg.unknown_level", prog=prog, level=word))
    return levels


def _bad_usage(d: Dialect, res: ToolResult, prog: str, msg: str) -> ToolResult:
    res.errln(msg)
    if "try_help" in d.raw("dmesg"):
        return res.errln(d.text("dmesg.try_help", prog=prog)).done(1)
    return res.errln(d.text("dmesg.usage", prog=prog)).done(1)


@tool("dmesg", "dmesg [-c|-C] [-r] [-x] [-t] [-l LEVELS] [-n LEVEL]   kernel log")
def dmesg(ctx: ToolContext, argv: list[str]) -> ToolResult:
    d, prog, res = dialect(ctx), argv[0], ToolResult()
    longopts = {k: tuple(v) for k, v in d.raw("dmesg").get("longopts", {}).items()}
    try:
        parsed = getopt_long(prog, argv[1:], d.text("dmesg.optstring"), longopts)
    except GetoptError as e:
        return _bad_usage(d, res, prog, str(e))
    opts = dict(parsed.opts)
    if "h" in opts:
        return res.out(d.text("dmesg.help", prog=prog).lstrip("\n")).done(0)
    if "n" in opts:
        level = _console_level(opts["n"] or "")     # -n takes an argument
        if level is None:
            return res.errln(d.text("dmesg.unknown_level", prog=prog, level=opts["n"])
                             if "unknown_level" in d.raw("dmesg")
                             else d.text("dmesg.usage", prog=prog)).done(1)
        ctx.console_loglevel = level
        return res.done(0)
    try:
        levels = _parse_levels(d, prog, opts["l"] or "") if "l" in opts else None
    except ValueError as e:
        return res.errln(str(e)).done(1)
    if "C" not in opts:
        with_time = bool(ctx.profile.kernel.get("printk_time", True))
        for rec in ctx.kernel.log:
            if levels is None or rec.level in levels:
                res.outln(format_record(rec, raw="r" in opts, decode="x" in opts,
                                        notime="t" in opts, with_time=with_time))
    if "c" in opts or "C" in opts:
        ctx.kernel.clear_log()
    return res.done(0)


def _console_level(arg: str) -> int | None:
    """syslog(SYSLOG_ACTION_CONSOLE_LEVEL): messages below it reach the console."""
    if arg in LEVELS:
        return LEVELS.index(arg) + 1
    return int(arg) if arg.isdigit() and 1 <= int(arg) <= 8 else None
