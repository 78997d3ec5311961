"""Build diagnostics in gcc's shape: ``file:line:col: severity: message``."""
from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    col: int
    severity: str       # "error" | "warning" | "fatal error" | "note"
    message: str
    function: str | None = None   # the enclosing function (gcc's "In function 'f':")
    span: int = 1                 # columns the caret underlines (gcc's ^~~~)

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: {self.severity}: {self.message}"


def gcc_report(diags: list[Diagnostic], texts: dict[str, str]) -> list[str]:
    """gcc 12's text (diagnostic-show-locus): a function's diagnostics after
    one "FILE: In function 'f':" line, each message followed by the source
    line and a caret under the column, underlined with ~ over its span;
    "cc1: some warnings being treated as errors" when a -Werror= warning
    (the [-Werror=...] tag) made the compile fail."""
    lines: list[str] = []
    context: tuple[str, str | None] = ("", None)
    for d in diags:
        if d.function and (d.file, d.function) != context:
            lines.append(f"{d.file}: In function '{d.function}':")
        context = (d.file, d.function)
        lines.append(str(_display_column(d, texts.get(d.file))))
        lines.extend(_locus(d, texts.get(d.file)))
    if any("[-Werror=" in d.message for d in diags):
        lines.append("cc1: some warnings being treated as errors")
    return lines


def _source_line(d: Diagnostic, src: str | None) -> str | None:
    if not src or not 0 < d.line <= len(src.splitlines()):
        return None
    return src.splitlines()[d.line - 1]


def _display_column(d: Diagnostic, src: str | None) -> Diagnostic:
    """gcc 12 counts columns as displayed (-fdiagnostics-column-unit=display,
    tab stops every 8): a tab-indented statement starts at column 9."""
    raw = _source_line(d, src)
    if raw is None or not d.col:
        return d
    col = len(raw[:d.col - 1].expandtabs(8)) + 1
    return Diagnostic(d.file, d.line, col, d.severity, d.message, d.function, d.span)


def _token_span(raw: str, col: int, span: int) -> int:
    """gcc underlines the whole token at the caret when it is a word
    (identifier or keyword); other diagnostics carry their own span."""
    if span > 1:
        return span
    m = _WORD.match(raw, col - 1)
    return len(m.group(0)) if m else 1


def _locus(d: Diagnostic, src: str | None) -> list[str]:
    raw = _source_line(d, src)
    if raw is None:
        return []
    out = [f"{d.line:5} | {raw.expandtabs(8)}"]
    if d.col:
        pad = len(raw[:d.col - 1].expandtabs(8))
        out.append(f"{'':5} | {' ' * pad}^{'~' * (_token_span(raw, d.col, d.span) - 1)}")
    return out


def in_function(diag: Diagnostic, name: str) -> Diagnostic:
    """The diagnostic, placed in function `name` unless already placed."""
    if diag.function is not None:
        return diag
    return Diagnostic(diag.file, diag.line, diag.col, diag.severity, diag.message,
                      name, diag.span)


class CompileError(Exception):
    """A construct the simulator cannot build; carries its diagnostic."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(str(diag))
        self.diag = diag


def unsupported(what: str, coord) -> CompileError:
    """`not supported: X` at the node's file:line:col."""
    file, line, col = _coord(coord)
    return CompileError(Diagnostic(file, line, col, "error", f"not supported: {what}"))


def error(msg: str, coord, span: int = 1) -> CompileError:
    file, line, col = _coord(coord)
    return CompileError(Diagnostic(file, line, col, "error", msg, span=span))


def _coord(coord) -> tuple[str, int, int]:
    if coord is None:
        return ("?", 0, 0)
    return (coord.file or "?", coord.line or 0, coord.column or 0)
