"""Build diagnostics as the source view shows them (gcc's file:line:col)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable


@dataclass(frozen=True)
class Mark:
    line: int
    col: int
    severity: str       # error | warning | fatal error | note
    message: str

    @property
    def is_error(self) -> bool:
        return "error" in self.severity

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.severity}: {self.message}"


def marks_for(diagnostics: Iterable[Any], source: Path) -> list[Mark]:
    """Diagnostics (objects or (file, line, col, severity, message) tuples)
    that belong to `source`; lines outside it (headers) are dropped."""
    out = []
    for d in diagnostics or []:
        file, line, col, sev, msg = (
            (d.file, d.line, d.col, d.severity, d.message) if hasattr(d, "file") else tuple(d))
        if line and Path(str(file)).name == source.name:
            out.append(Mark(int(line), int(col or 0), str(sev), str(msg)))
    return out


def arrow_lanes(spans: list[tuple[int, int]]) -> list[int]:
    """Give nested/overlapping goto arrows distinct lanes (0 = innermost):
    shorter arrows get inner lanes, like objdump's jump visualisation."""
    order = sorted(range(len(spans)), key=lambda i: abs(spans[i][1] - spans[i][0]))
    lanes = [0] * len(spans)
    taken: list[list[tuple[int, int]]] = []
    for i in order:
        lo, hi = sorted(spans[i])
        lane = 0
        while lane < len(taken) and any(not (hi < a or lo > b) for a, b in taken[lane]):
            lane += 1
        if lane == len(taken):
            taken.append([])
        taken[lane].append((lo, hi))
        lanes[i] = lane
    return lanes
