"""Section markers: which functions and variables are __init / __exit.

In the real kernel `__init` is `__section(".init.text")`, an attribute gcc
records in the object file.  pycparser knows no attributes, so the
simulator's <linux/init.h> expands the markers to plain identifiers
(`__kmodsim_sec_init_text`, ...).  This pass finds each marker, works out
which declarator it annotates, and blanks it out with spaces (columns of
the rest of the line stay put for diagnostics).
"""
from __future__ import annotations

import re

MARKER = re.compile(r"\b__kmodsim_sec_(init_text|exit_text|init_data|exit_data|init_rodata)\b")
_IDENT = re.compile(r"[A-Za-z_]\w*")
_KEYWORDS = {"static", "const", "volatile", "extern", "inline", "int", "char",
             "short", "long", "unsigned", "signed", "void", "struct", "union",
             "enum", "_Bool", "register", "auto", "restrict", "typedef"}

#: marker suffix -> ELF section name as the kernel's <linux/init.h> uses
SECTION = {"init_text": ".init.text", "exit_text": ".exit.text",
           "init_data": ".init.data", "exit_data": ".exit.data",
           "init_rodata": ".init.rodata"}


def strip_markers(text: str) -> tuple[str, dict[str, str]]:
    """Return (text without markers, {declarator name: section})."""
    sections: dict[str, str] = {}
    for m in MARKER.finditer(text):
        name = _declarator_after(text, m.start(), m.end())
        if name:
            sections[name] = SECTION[m.group(1)]
    return MARKER.sub(lambda m: " " * len(m.group(0)), text), sections


def _declarator_after(text: str, start: int, end: int) -> str | None:
    """The name declared by the statement the marker at [start, end) sits in."""
    lo = max(text.rfind(";", 0, start), text.rfind("}", 0, start),
             text.rfind("{", 0, start), text.rfind("\n#", 0, start))
    hi_candidates = [i for i in (text.find(c, end) for c in ";{=") if i >= 0]
    hi = min(hi_candidates) if hi_candidates else len(text)
    seg = text[lo + 1:start] + " " * (end - start) + text[end:hi]
    seg = "\n".join(line for line in seg.splitlines() if not line.startswith("#"))
    idents = [(m.group(0), m.end()) for m in _IDENT.finditer(seg)
              if m.group(0) not in _KEYWORDS and not m.group(0).startswith("__kmodsim")]
    for name, pos in idents:
        rest = seg[pos:].lstrip()
        if rest[:1] in ("(", "["):
            return name
    return idents[-1][0] if idents else None
