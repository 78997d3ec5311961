"""What `make` prints around kbuild's own output.

The usual out-of-tree Makefile's `all:` target runs
`make -C /lib/modules/$(uname -r)/build M=$(PWD) modules`: make echoes that
command, the sub-make enters the kernel's build tree, kbuild prints its
quiet command lines ("  CC [M]  hi.o") on stdout and diagnostics on stderr,
the sub-make leaves, and a failure ends with the outer make's
"make: *** [Makefile:N: all] Error 2" on stderr.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kmodgui.userspace import fs, makefile
from kmodgui.userspace.base import ToolContext, ToolResult
from kmodgui.userspace.dialect import dialect

# kbuild's quiet_cmd_* lines: two spaces, an upper-case tag ("CC [M]", "LD [M]",
# "MODPOST", "BTF [M]"); everything else kbuild/gcc/modpost say goes to stderr
_QUIET = re.compile(r"^  [A-Z][A-Z0-9_]*( \[M\])? ")
_MAKE_INFO = re.compile(r"^make(\[\d+\])?: (Entering|Leaving) directory ")


def _emit(res: ToolResult, output: str) -> None:
    """kbuild's lines, without the outer make's own "make: ***" (ours)."""
    for line in output.splitlines():
        if line.startswith("make: "):
            continue
        if _QUIET.match(line) or _MAKE_INFO.match(line):
            res.outln(line)
        else:
            res.errln(line)


def default_goal(folder: Path) -> tuple[str, int]:
    """The Makefile's first target and its line; without a Makefile, that of
    the usual three-line one ("obj-m += hi.o", "", "all:")."""
    mk = makefile.parse(folder)
    return (mk.first_target, mk.first_target_line) if mk else ("all", 3)


def make_report(ctx: ToolContext, res: ToolResult, folder: Path,
                builds: list[tuple[Any, bool]]) -> ToolResult:
    """Print a make run over `builds` ((BuildResult, print its output?)),
    stopping at the first failure; status 0, or make's 2."""
    d, release = dialect(ctx), ctx.profile.release
    res.outln(d.text("make.command", release=release, cwd=str(folder)))
    res.outln(d.text("make.entering", release=release))
    ok = True
    for result, show in builds:
        if show or not result.ok:
            _emit(res, result.output)
        if not result.ok:
            ok = False
            break
    res.outln(d.text("make.leaving", release=release))
    if ok:
        return res.done(0)
    target, line = default_goal(folder)
    res.errln(d.text("make.failed", line=line, target=target))
    return res.done(2)


def report_failed_build(ctx: ToolContext, res: ToolResult, build: Any,
                        filename: str) -> ToolResult:
    """insmod of a .ko whose sources do not build: show what `make` would
    have said, and do not call the kernel (status 2, as make's)."""
    hp = fs.host_path(ctx, filename)
    folder = hp.parent if hp is not None else Path(fs.absolute(ctx, "."))
    return make_report(ctx, res, folder, [(build, True)])
