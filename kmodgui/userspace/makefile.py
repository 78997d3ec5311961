"""Just enough of a kbuild Makefile to know which modules a folder builds.

`obj-m += hi.o` (or `:=`) names a module; `hi-objs := a.o b.o` / `hi-y`
says which objects make it (kbuild itself reads those).  Variables, `ifeq`
and `$(...)` are not evaluated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kmodgui import sandbox

_OBJ_M = re.compile(r"^\s*obj-m\s*[:+]?=\s*(.*)$")
_PARTS = re.compile(r"^\s*([A-Za-z0-9_-]+)-(?:objs|y)\s*[:+]?=\s*(.*)$")
_EXPORT = re.compile(r"\bEXPORT_SYMBOL(?:_GPL)?\s*\(\s*([A-Za-z_]\w*)\s*\)")
_RULE = re.compile(r"^([A-Za-z0-9_.%-]+)\s*:(?!=)")


@dataclass(frozen=True)
class Makefile:
    path: Path | None           # the makefile make reads
    modules: tuple[str, ...]   # module names (object stems), in order
    parts: dict[str, tuple[str, ...]]   # composite module -> its object stems
    first_target: str          # the default goal (usually "all")
    first_target_line: int     # its first recipe line: make's "[Makefile:N: all]" names
                               # the line of the command that failed


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join backslash continuations; keep each logical line's first line number."""
    out: list[tuple[int, str]] = []
    buf, start = "", 0
    for no, line in enumerate(text.splitlines(), 1):
        if not buf:
            start = no
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        out.append((start, buf + line))
        buf = ""
    if buf:
        out.append((start, buf))
    return out


def find_makefile(srcdir: Path) -> Path | None:
    """The file GNU make reads: GNUmakefile, makefile, then Makefile."""
    for name in ("GNUmakefile", "makefile", "Makefile"):
        p = sandbox.readable_file(srcdir, name)
        if p is not None:
            return p
    return None


def kbuild_file(srcdir: Path) -> Path | None:
    """The file kbuild's M= pass reads for obj-m: Kbuild when there is one,
    else Makefile (scripts/Makefile.build: kbuild-file)."""
    for name in ("Kbuild", "Makefile"):
        p = sandbox.readable_file(srcdir, name)
        if p is not None:
            return p
    return None


def _modules(text: str) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    modules: list[str] = []
    parts: dict[str, tuple[str, ...]] = {}
    for _no, line in _logical_lines(text):
        line = line.split("#", 1)[0]
        m = _OBJ_M.match(line)
        if m:
            modules += [w[:-2] for w in m.group(1).split() if w.endswith(".o")]
            continue
        p = _PARTS.match(line)
        if p:
            parts[p.group(1)] = tuple(w[:-2] for w in p.group(2).split() if w.endswith(".o"))
    return modules, parts


def _goal(text: str) -> tuple[str, int]:
    """The first rule's target and the line of its first recipe command."""
    target, target_line, recipe_line = "", 0, 0
    for no, line in _logical_lines(text):
        if target and not recipe_line and line.startswith("\t") and line.strip():
            recipe_line = no
        line = line.split("#", 1)[0]
        if _OBJ_M.match(line) or _PARTS.match(line):
            continue
        r = _RULE.match(line)
        if r and not target and not line.startswith("\t"):
            target, target_line = r.group(1), no
    return target or "all", recipe_line or target_line or 1


def parse(srcdir: Path) -> Makefile | None:
    """The folder as make and kbuild see it: goals from the makefile, the
    modules from the kbuild file; None when neither exists.  `path` is the
    makefile (None when only a Kbuild file exists: make itself finds none)."""
    path, kb = find_makefile(srcdir), kbuild_file(srcdir)
    if path is None and kb is None:
        return None
    modules, parts = _modules(sandbox.read_source(srcdir, kb.name) or "") if kb else ([], {})
    target, line = _goal(sandbox.read_source(srcdir, path.name) or "") if path else ("all", 1)
    return Makefile(path, tuple(dict.fromkeys(modules)), parts, target, line)


def buildable(srcdir: Path, modname: str) -> bool:
    """Could kbuild make <modname>.ko here: <modname>.c or a Makefile naming it."""
    if sandbox.readable_file(srcdir, f"{modname}.c") is not None:
        return True
    mk = parse(srcdir)
    return mk is not None and modname in mk.modules


def folder_exports(srcdir: Path, but: str) -> dict[str, str]:
    """What modpost knows from the other modules of the same M= build: the
    symbols their sources EXPORT_SYMBOL, mapped to the exporting module."""
    mk = parse(srcdir)
    if mk is None:
        return {}
    found: dict[str, str] = {}
    for mod in mk.modules:
        if mod == but:
            continue
        for stem in mk.parts.get(mod, (mod,)):
            text = sandbox.read_source(srcdir, f"{stem}.c")
            if text is not None:
                for sym in _EXPORT.findall(text):
                    found.setdefault(sym, mod.replace("-", "_"))
    return found
