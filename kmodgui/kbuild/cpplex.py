"""The lexical checks libcpp makes while it reads a file (libcpp/lex.cc),
done once, in linear time, before pcpp sees the text.

pcpp's lexer rescans the rest of a line for every quote that does not close
there, and the rest of the file for every `/*` that does not close, so its
time grows with the square of such input: a line of 40,000 stray quotes
takes minutes.  Here a string or character constant ends at its closing
quote or at the end of its line, as in libcpp's lex_string(); the text pcpp
is given has each unterminated one replaced by a mark (reported as gcc
reports it if the mark reaches the output, see `UNTERMINATED`), an
unterminated comment is gcc's error, and NUL bytes outside a literal are
dropped with gcc's warning.  String and character literals longer than
`MAX_TOKEN_CHARS` are refused: pcpp and pycparser spend seconds per
megabyte on one (long numbers and names cost them little).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kmodgui.kbuild.diagnostics import Diagnostic

#: kmodsim's limit on one string or character literal (gcc has none); a
#: real module's longest literal is a few KB.
MAX_TOKEN_CHARS = 65536

#: What an unterminated string or character constant becomes for pcpp: one
#: character pcpp passes through as a token of its own.
UNTERMINATED = "\ue000"

_SCAN = re.compile(r"""
    //(?:[^\n\\]|\\.)*+                                # a line comment, spliced lines too
  | (?P<block>/\*)
  | (?P<q>["'])(?:(?!(?P=q))[^\\\n]|\\.)*+(?P<end>(?P=q))?
  | (?P<nul>\x00+)
""", re.S | re.X)


@dataclass
class Scanned:
    text: str                                   # what pcpp is given
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fatal: bool = False
    quotes: dict[tuple[int, int], str] = field(default_factory=dict)   # (line, col) -> quote


class _Lines:
    """Line and column of increasing offsets, counted once through the text."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> tuple[int, int]:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1


def scan(text: str, fname: str) -> Scanned:
    """Check `text` (the file `fname`) as libcpp's lexer would."""
    out, lines = Scanned(text), _Lines(text)
    pieces: list[str] = []
    pos = done = 0
    while (m := _SCAN.search(text, pos)) is not None:
        if m.group("block"):
            end = text.find("*/", m.end())
            if end < 0:
                return _fatal(out, fname, lines.at(m.start()), "error", "unterminated comment")
            pos = end + 2
            continue
        pos = m.end()
        if m.end() - m.start() > MAX_TOKEN_CHARS:
            return _too_long(out, fname, lines.at(m.start()))
        if m.group("nul"):
            line, col = lines.at(m.start())
            out.diagnostics.append(Diagnostic(fname, line, col, "warning",
                                              "null character(s) ignored"))
            pieces += [text[done:m.start()], " " * len(m.group())]
            done = pos
        elif m.group("q") and not m.group("end"):
            out.quotes[lines.at(m.start())] = m.group("q")
            tail = re.sub(r"[^\n]", " ", m.group()[1:])
            pieces += [text[done:m.start()], UNTERMINATED + tail]
            done = pos
    if pieces:
        out.text = "".join(pieces) + text[done:]
    return out


def _too_long(out: Scanned, fname: str, where: tuple[int, int]) -> Scanned:
    return _fatal(out, fname, where, "fatal error",
                  f"literal longer than {MAX_TOKEN_CHARS} characters (kmodsim's limit)")


def _fatal(out: Scanned, fname: str, where: tuple[int, int], severity: str,
           message: str) -> Scanned:
    out.diagnostics.append(Diagnostic(fname, where[0], where[1], severity, message))
    out.fatal = True
    return out
