"""Build diagnostics in gcc's shape: ``file:line:col: severity: message``."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    col: int
    severity: str       # "error" | "warning" | "fatal error" | "note"
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: {self.severity}: {self.message}"


class CompileError(Exception):
    """A construct the simulator cannot build; carries its diagnostic."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(str(diag))
        self.diag = diag


def unsupported(what: str, coord) -> CompileError:
    """`not supported: X` at the node's file:line:col."""
    file, line, col = _coord(coord)
    return CompileError(Diagnostic(file, line, col, "error", f"not supported: {what}"))


def error(msg: str, coord) -> CompileError:
    file, line, col = _coord(coord)
    return CompileError(Diagnostic(file, line, col, "error", msg))


def _coord(coord) -> tuple[str, int, int]:
    if coord is None:
        return ("?", 0, 0)
    return (coord.file or "?", coord.line or 0, coord.column or 0)
