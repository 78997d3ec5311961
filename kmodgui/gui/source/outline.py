"""What the source view draws besides the text: functions with their
section (.init.text / .exit.text / .text) and goto edges.

The built .ko knows both exactly (`ko.functions`, `ko.gotos`).  Before a
build succeeds -- or when the source has errors -- a light scan of the text
gives an approximation good enough to draw.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class FuncSpan:
    name: str
    first: int          # 1-based line of the definition
    last: int           # line of the closing brace
    section: str        # "init" | "exit" | "text"


@dataclass(frozen=True)
class GotoArrow:
    func: str
    goto_line: int
    label_line: int
    label: str


@dataclass
class Outline:
    functions: list[FuncSpan] = field(default_factory=list)
    gotos: list[GotoArrow] = field(default_factory=list)
    exact: bool = False     # from the compiler (True) or a text scan

    def section_of(self, line: int) -> str | None:
        for f in self.functions:
            if f.first <= line <= f.last:
                return f.section
        return None


def section_name(raw: str) -> str:
    """.init.text -> init, .exit.text -> exit, anything else -> text."""
    raw = raw.lstrip(".")
    if raw.startswith("init"):
        return "init"
    if raw.startswith("exit"):
        return "exit"
    return "text"


def from_ko(ko: Any, source: Path) -> Outline | None:
    """The compiler's view, restricted to functions of `source`."""
    funcs = getattr(ko, "functions", None)
    if not funcs:
        return None
    name = source.name
    spans = [FuncSpan(fname, f.line, f.end_line, section_name(f.section))
             for fname, f in funcs.items() if Path(f.file).name == name]
    arrows = [GotoArrow(g.func, g.goto_line, g.label_line, g.label)
              for g in getattr(ko, "gotos", []) or [] if Path(g.file).name == name]
    return Outline(sorted(spans, key=lambda s: s.first), arrows, exact=True)


_FUNC = re.compile(r"^[A-Za-z_][\w\s\*]*?\b(\w+)\s*\([^;{]*\)\s*(\{)?\s*$")
_GOTO = re.compile(r"\bgoto\s+(\w+)\s*;")
_LABEL = re.compile(r"^\s*([A-Za-z_]\w*)\s*:(?!:)")
_NOT_LABELS = {"default", "case", "public", "private"}


def scan(text: str) -> Outline:
    """Approximate outline from the text alone (comments and strings blanked)."""
    lines = _blank_comments_and_strings(text).splitlines()
    spans: list[FuncSpan] = []
    arrows: list[GotoArrow] = []
    i = 0
    while i < len(lines):
        m = _FUNC.match(lines[i]) if not lines[i].startswith((" ", "\t", "#")) else None
        body_at = _body_start(lines, i) if m else None
        if m is None or body_at is None:
            i += 1
            continue
        last = _matching_brace(lines, body_at)
        head = " ".join(lines[i:body_at + 1])
        section = "init" if "__init" in head else "exit" if "__exit" in head else "text"
        spans.append(FuncSpan(m.group(1), i + 1, last + 1, section))
        arrows += _gotos(lines, m.group(1), body_at, last)
        i = last + 1
    return Outline(spans, arrows, exact=False)


def _body_start(lines: list[str], i: int) -> int | None:
    """The line holding the function's opening brace (same or next line)."""
    if "{" in lines[i]:
        return i
    if i + 1 < len(lines) and lines[i + 1].strip().startswith("{"):
        return i + 1
    return None


def _matching_brace(lines: list[str], start: int) -> int:
    depth = 0
    for n in range(start, len(lines)):
        depth += lines[n].count("{") - lines[n].count("}")
        if depth <= 0 and "}" in lines[n]:
            return n
    return len(lines) - 1


def _gotos(lines: list[str], func: str, first: int, last: int) -> list[GotoArrow]:
    labels: dict[str, int] = {}
    for n in range(first, last + 1):
        m = _LABEL.match(lines[n])
        if m and m.group(1) not in _NOT_LABELS:
            labels[m.group(1)] = n + 1
    arrows = []
    for n in range(first, last + 1):
        for g in _GOTO.finditer(lines[n]):
            if g.group(1) in labels:
                arrows.append(GotoArrow(func, n + 1, labels[g.group(1)], g.group(1)))
    return arrows


def _blank_comments_and_strings(text: str) -> str:
    """Replace comment and literal contents with spaces, keeping newlines."""
    def blank(m: re.Match) -> str:
        s = m.group(0)
        if s.startswith(("/*", "//")):
            return re.sub(r"[^\n]", " ", s)
        return s[0] + " " * (len(s) - 2) + s[-1]
    pattern = r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'"
    return re.sub(pattern, blank, text, flags=re.S)
