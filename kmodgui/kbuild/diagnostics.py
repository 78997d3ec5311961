"""Build diagnostics in gcc's shape: ``file:line:col: severity: message``."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"\.?[0-9](?:[eEpP][+-]|[\w.])*")      # cpp's pp-number


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    col: int
    severity: str       # "error" | "warning" | "fatal error" | "note"
    message: str
    function: str | None = None   # the enclosing function (gcc's "In function 'f':")
    span: int = 1                 # columns the caret underlines (gcc's ^~~~)
    # where the column is in the source line when the compiled (macro-
    # expanded) text's column says nothing: a regular expression whose
    # match (or its first group) starts at the column gcc shows
    anchor: str | None = None
    included_from: tuple[tuple[str, int], ...] = ()   # the #include lines, innermost first

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
    (the [-Werror=...] tag) made the compile fail; "In file included from"
    lines before a diagnostic in another file than the last one; and
    "compilation terminated." after a fatal error."""
    lines: list[str] = []
    context: tuple[str, str | None] = ("", None)
    shown: tuple[str, int, int, int] = ("", 0, 0, 0)
    module: tuple[str, tuple[tuple[str, int], ...]] = ("", ())
    for d in diags:
        if d.included_from and (d.file, d.included_from) != module:
            lines.extend(_include_chain(d.included_from))
        module = (d.file, d.included_from)
        if d.function and (d.file, d.function) != context:
            lines.append(f"{d.file}: In function '{d.function}':")
        context = (d.file, d.function)
        lines.append(str(_display_column(d, texts.get(d.file))))
        if (d.file, d.line, d.col, d.span) != shown:   # gcc shows a location once in a row
            lines.extend(_locus(d, texts.get(d.file)))
        shown = (d.file, d.line, d.col, d.span)
        if d.severity == "fatal error":             # cc1 exits at once
            lines.append("compilation terminated.")
            return lines
    if any("[-Werror=" in d.message for d in diags):
        lines.append("cc1: some warnings being treated as errors")
    return lines


def _include_chain(chain: tuple[tuple[str, int], ...]) -> list[str]:
    """diagnostic_report_current_module(): the includer of the file first,
    each further one on a "from" line aligned under the first name."""
    out = []
    for i, (file, line) in enumerate(chain):
        lead = "In file included from " if i == 0 else " " * len("In file included ") + "from "
        out.append(f"{lead}{file}:{line}{':' if i == len(chain) - 1 else ','}")
    return out


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
    col = len(raw[:_macro_column(d, raw) - 1].expandtabs(8)) + 1
    return dataclasses.replace(d, col=col)


def _anchor_column(d: Diagnostic, raw: str) -> int | None:
    m = re.search(d.anchor, raw) if d.anchor else None
    if m is None:
        return None
    return (m.start(1) if m.re.groups else m.start()) + 1


def _macro_column(d: Diagnostic, raw: str) -> int:
    """A column counted in the macro-expanded text (module_exit(fn)) moved
    back onto the quoted name where it stands once in the source line."""
    anchored = _anchor_column(d, raw)
    if anchored is not None:
        return anchored
    m = re.search(r"'([A-Za-z_]\w*)'", d.message)
    if m is None or _WORD.match(raw, d.col - 1):
        return d.col
    hits = [h.start() + 1 for h in re.finditer(rf"\b{m.group(1)}\b", raw)]
    return hits[0] if len(hits) == 1 else d.col


def _token_span(raw: str, col: int, span: int) -> int:
    """gcc underlines the whole token at the caret when it is a word
    (identifier or keyword) or a number; other diagnostics carry their own
    span."""
    if span > 1:
        return span
    m = _WORD.match(raw, col - 1) or _NUMBER.match(raw, col - 1)
    return len(m.group(0)) if m else 1


def _locus(d: Diagnostic, src: str | None) -> list[str]:
    raw = _source_line(d, src)
    if raw is None:
        return []
    out = [f"{d.line:5} | {raw.expandtabs(8).replace(chr(0), ' ')}"]
    if not d.col:                   # a line without a column: an empty caret line
        return out + [f"{'':5} | "]
    if d.col:
        col = _macro_column(d, raw)
        pad = len(raw[:col - 1].expandtabs(8))
        span = _token_span(raw, col, d.span)
        if col + span - 1 > _MAX_COLUMN:
            # a range ending past the columns line maps track is dropped:
            # gcc leaves the caret's place blank
            out.append(f"{'':5} | {' ' * (pad + 1)}")
        else:
            out.append(f"{'':5} | {' ' * pad}^{'~' * (span - 1)}")
    return out


#: libcpp/include/line-map.h, LINE_MAP_MAX_COLUMN_NUMBER: line maps track
#: columns up to 4096
_MAX_COLUMN = 1 << 12


def note(msg: str, coord, span: int = 1) -> Diagnostic:
    file, line, col = _coord(coord)
    return Diagnostic(file, line, col, "note", msg, span=span)


def warning(msg: str, coord, span: int = 1) -> Diagnostic:
    file, line, col = _coord(coord)
    return Diagnostic(file, line, col, "warning", msg, span=span)


def in_function(diag: Diagnostic, name: str) -> Diagnostic:
    """The diagnostic, placed in function `name` unless already placed."""
    if diag.function is not None:
        return diag
    return dataclasses.replace(diag, function=name)


class CompileError(Exception):
    """A construct the simulator cannot build; carries its diagnostic."""

    def __init__(self, diag: Diagnostic, notes: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(str(diag))
        self.diag = diag
        self.notes = notes      # gcc's "note:" lines that follow it

    def all(self) -> list[Diagnostic]:
        return [self.diag, *self.notes]


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
