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
from kmodgui.userspace.dialect import Dialect, dialect

# kbuild's quiet_cmd_* lines: two spaces, an upper-case tag ("CC [M]", "LD [M]",
# "MODPOST", "BTF [M]"); everything else kbuild/gcc/modpost say goes to stderr
_QUIET = re.compile(r"^  [A-Z][A-Z0-9_]*( \[M\])? ")
_MAKE_INFO = re.compile(r"^make(\[\d+\])?: (Entering|Leaving) directory ")


# what kbuild (kmodgui.kbuild.make) says, in the folder's own relative names
_CC_FAILED = re.compile(r"^make\[2\]: \*\*\* \[scripts/Makefile\.build:\d+: (.+)\] Error 1$")
_DIR_FAILED = re.compile(r"^make\[1\]: \*\*\* \[Makefile:\d+: M=\.\] Error 2$")
_MODPOST_FAILED = re.compile(r"^make\[2\]: \*\*\* \[scripts/Makefile\.modpost:\d+: "
                             r"Module\.symvers\] Error 1$")
_MODPOST_DIR = re.compile(r"^make\[1\]: \*\*\* \[Makefile:\d+: modpost\] Error 2$")
# a file of the folder at the start of a gcc line ("hi.c:7:9: error: ..."),
# in a quiet command ("  CC [M]  hi.o") or after modpost's "in "/"["
_SRC_LINE = re.compile(r"^([\w.+-]+\.[ch])(:| In function)")
# gcc's include chain: "In file included from hi.c:1," / "                 from h.h:2:"
_INCLUDED_FROM = re.compile(r"^(In file included from |                 from )([\w.+-]+\.[ch]:\d+[,:])$")
_QUIET_FILE = re.compile(r"^(  [A-Z][A-Z0-9_]*(?: \[M\])? +)([\w.+-]+)$")
_LINKED = re.compile(r"^  LD \[M\]  (.+\.ko)$")
_MODPOST_FILE = re.compile(r"( in | \[)([\w.+-]+\.k?o)(\]|$)")


def _absolute(line: str, folder: str, d: Dialect) -> str:
    """kbuild's line as an M= build prints it: the folder's files by their
    absolute path, make's failure lines naming the headers' real Makefiles."""
    if (m := _CC_FAILED.match(line)):
        return d.text("make.cc_failed", obj=f"{folder}/{m.group(1)}")
    if _DIR_FAILED.match(line):
        return d.text("make.dir_failed", dir=folder)
    if _MODPOST_FAILED.match(line):
        return d.text("make.modpost_failed", dir=folder)
    if _MODPOST_DIR.match(line):
        return d.text("make.modpost_dir_failed")
    if (m := _SRC_LINE.match(line)) or (m := _QUIET_FILE.match(line)):
        return _prefix(line, m, folder)
    if m := _INCLUDED_FROM.match(line):
        return f"{m.group(1)}{folder}/{m.group(2)}"
    if line.startswith(("ERROR: modpost: ", "WARNING: modpost: ")):
        return _MODPOST_FILE.sub(lambda m: f"{m.group(1)}{folder}/{m.group(2)}{m.group(3)}", line)
    return line


def _prefix(line: str, m: re.Match[str], folder: str) -> str:
    if m.re is _QUIET_FILE:
        return f"{m.group(1)}{folder}/{m.group(2)}"
    return f"{folder}/{line}"


def _emit(res: ToolResult, output: str, folder: Path, d: Dialect) -> None:
    """kbuild's lines, without the outer make's own "make: ***" (ours)."""
    absolute = bool(d.data.get("make", {}).get("absolute_paths"))
    for line in output.splitlines():
        if line.startswith("make: "):
            continue
        if absolute:
            line = _absolute(line, str(folder), d)
        if _QUIET.match(line) or _MAKE_INFO.match(line):
            res.outln(line)
        else:
            res.errln(line)
        if (ko := _LINKED.match(line)) and "btf" in d.data.get("make", {}):
            res.outln(d.text("make.btf", ko=ko.group(1)))
            res.errln(d.text("make.btf_skipped", ko=ko.group(1)))


def default_goal(folder: Path) -> tuple[str, int]:
    """The Makefile's first target and the line of its recipe; without a
    Makefile, that of the usual one ("obj-m += hi.o", "", "all:", "\tmake ...")."""
    mk = makefile.parse(folder)
    return (mk.first_target, mk.first_target_line) if mk and mk.path else ("all", 4)


def _kbuild_order(outputs: list[str]) -> list[str]:
    """One M= pass over several modules, as kbuild runs it: every object is
    compiled first, then one modpost over all of them (scripts/Makefile.modpost),
    then each module's .mod.o and .ko (scripts/Makefile.modfinal).  A failed
    compile or modpost ends the pass there."""
    heads, tails = [], []
    for out in outputs:
        lines = out.splitlines()
        cut = next((i for i, ln in enumerate(lines) if ln.startswith("  MODPOST ")), len(lines))
        heads.append(lines[:cut])
        tails.append(lines[cut + 1:])
    order: list[str] = []
    for head, tail in zip(heads, tails):
        order += head
        if any(ln.startswith("make[") for ln in head):
            return order                          # the compile failed: make stops
    if not any(t for t in tails) and not any(o.count("  MODPOST ") for o in outputs):
        return order
    order.append("  MODPOST Module.symvers")
    final: list[str] = []
    for tail in tails:
        said = [ln for ln in tail if not ln.startswith(("  CC [M]", "  LD [M]", "make["))]
        order += said
        failed = [ln for ln in tail if ln.startswith("make[")]
        if failed:
            return order + failed
        final += [ln for ln in tail if ln.startswith(("  CC [M]", "  LD [M]"))]
    return order + final


def make_report(ctx: ToolContext, res: ToolResult, folder: Path,
                builds: list[tuple[Any, bool]]) -> ToolResult:
    """Print a make run over `builds` ((BuildResult, print its output?)),
    stopping at the first failure; status 0, or make's 2."""
    d, release = dialect(ctx), ctx.profile.release
    res.outln(d.text("make.command", release=release, cwd=str(folder)))
    res.outln(d.text("make.entering", release=release))
    shown = [r for r, show in builds if show or not r.ok]
    _emit(res, "\n".join(_kbuild_order([r.output for r in shown])), folder, d)
    ok = all(r.ok for r, _ in builds)
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
