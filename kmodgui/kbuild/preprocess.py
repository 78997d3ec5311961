"""cpp for modules, sandboxed: the simulator's headers and the module's folder.

The real kbuild runs gcc's preprocessor with -nostdinc and the kernel's own
include directories; the simulator does the same with pcpp and its own
simplified headers (resources/include).  Module code is untrusted: an
include that resolves outside those two folders is "not found", exactly as
if the file did not exist.
"""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pcpp import Preprocessor

from kmodgui import INCLUDE_DIR
from kmodgui.kbuild.diagnostics import Diagnostic


@dataclass
class Preprocessed:
    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _SandboxedCpp(Preprocessor):
    def __init__(self, roots: list[Path], display_dir: Path) -> None:
        super().__init__()
        self.roots = [str(r.resolve()) for r in roots]
        self.display_dir = display_dir
        self.diags: list[Diagnostic] = []
        self.line_directive = "#line"
        self.compress = 0
        # __FILE__ and #line show 'hi.c' and 'linux/slab.h', never host paths
        self.rewrite_paths = [(re.escape(r + os.sep) + "(.*)", r"\1") for r in self.roots]

    def _allowed(self, path: str) -> bool:
        real = os.path.realpath(path)
        return any(real == r or real.startswith(r + os.sep) for r in self.roots)

    def on_file_open(self, is_system_include: bool, includepath: str):
        if not self._allowed(includepath):
            raise IOError(f"{includepath}: outside the include path")
        return super().on_file_open(is_system_include, includepath)

    def on_include_not_found(self, is_malformed, is_system_include, curdir, includepath):
        # gcc: "hi.c:3:10: fatal error: foo.h: No such file or directory"
        self.diags.append(Diagnostic(self._where(), 0, 0, "fatal error",
                                     f"{includepath}: No such file or directory"))
        raise _Fatal()

    def on_error(self, file, line, msg):
        self.diags.append(Diagnostic(self._short(file), line, 0, "error", msg))
        self.return_code += 1

    def on_directive_unknown(self, directive, toks, ifpassthru, precedingtoks):
        # #error and #warning, as cpp reports them
        if directive.value in ("error", "warning"):
            text = "".join(t.value for t in toks).strip()
            sev = "error" if directive.value == "error" else "warning"
            self.diags.append(Diagnostic(self._short(directive.source), directive.lineno, 2,
                                         sev, f"#{directive.value} {text}"))
            if sev == "error":
                self.return_code += 1
            return None
        return super().on_directive_unknown(directive, toks, ifpassthru, precedingtoks)

    def on_unknown_macro_in_expr(self, ident):
        return 0  # C: an unknown identifier in #if is 0

    def _short(self, file: str | None) -> str:
        if not file:
            return "?"
        p = Path(file)
        try:
            return str(p.resolve().relative_to(INCLUDE_DIR.resolve()))
        except ValueError:
            return p.name

    def _where(self) -> str:
        src = getattr(self, "source", None)
        return self._short(src) if src else "?"


class _Fatal(Exception):
    pass


def preprocess(path: Path, text: str, defines: dict[str, str]) -> Preprocessed:
    """Run cpp over one translation unit; file names in #line are basenames
    (headers relative to the include dir) so nothing of the host shows."""
    cpp = _SandboxedCpp([INCLUDE_DIR, path.parent], path.parent)
    cpp.add_path(str(INCLUDE_DIR))
    for name, value in defines.items():
        cpp.define(f"{name} {value}")
    out = io.StringIO()
    try:
        cpp.parse(text, str(path.resolve()))
        cpp.write(out)
    except _Fatal:
        return Preprocessed("", [_locate(d, path.name, text) for d in cpp.diags])
    return Preprocessed(_clean_line_directives(out.getvalue(), path), cpp.diags)


def _clean_line_directives(text: str, path: Path) -> str:
    """Rewrite #line file names: the module's own files by basename,
    headers as <linux/x.h> paths relative to the include dir."""
    inc = str(INCLUDE_DIR.resolve())
    out = []
    for line in text.splitlines():
        if line.startswith("#line ") and '"' in line:
            num, _, rest = line[6:].partition(" ")
            name = rest.strip().strip('"')
            if not os.path.isabs(name):
                shown = name                      # already rewritten by rewrite_paths
            elif os.path.realpath(name).startswith(inc + os.sep):
                shown = os.path.relpath(os.path.realpath(name), inc)
            else:
                shown = os.path.basename(name)
            line = f'#line {num} "{shown}"'
        out.append(line)
    return "\n".join(out) + "\n"


def _locate(d: Diagnostic, fname: str, text: str) -> Diagnostic:
    """pcpp does not say where a failed #include is: find its line."""
    if d.line or not d.message.endswith("No such file or directory"):
        return d
    target = d.message.split(":")[0]
    for i, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#") and "include" in line and target in line:
            return Diagnostic(fname, i, line.index(target), d.severity, d.message)
    return Diagnostic(fname, 0, 0, d.severity, d.message)
