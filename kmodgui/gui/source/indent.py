"""Auto-indent in the kernel's coding style (Documentation/process/
coding-style.rst): indentation is one tab per level; a function's opening
brace sits alone in column 0; goto labels sit in column 0 too, so the
unwind ladder reads down the left edge.  Pure functions on text, no Qt.
"""
from __future__ import annotations

import re

TAB = "\t"
_LABEL = re.compile(r"^\s*([A-Za-z_]\w*)\s*:\s*$")
_CASE = re.compile(r"^\s*(case\b.*|default\s*):\s*$")
_CONTROL = re.compile(r"^\s*(?:\}\s*)?(?:else\s+)?(?:if|while|for)\s*\(")
_ELSE = re.compile(r"^\s*(?:\}\s*)?else\s*$")
_NOT_LABELS = {"default"}


def leading(line: str) -> str:
    return line[:len(line) - len(line.lstrip(" \t"))]


def _strip_comment(line: str) -> str:
    line = re.sub(r"/\*.*?\*/", "", line)
    return line.split("//", 1)[0].rstrip()


def _parens_closed(line: str) -> bool:
    return line.count("(") == line.count(")")


def is_label(line: str) -> bool:
    m = _LABEL.match(line)
    return bool(m) and m.group(1) not in _NOT_LABELS


def is_braceless_control(line: str) -> bool:
    """`if (x)`, `for (...)`, `while (...)`, `else`: the next line is their
    one statement and goes one level deeper."""
    code = _strip_comment(line)
    if _ELSE.match(code):
        return True
    return bool(_CONTROL.match(code)) and code.endswith(")") and _parens_closed(code)


def newline_indent(before: str, previous: str | None) -> str:
    """Indentation of a new line opened after `before` (the current line up
    to the cursor); `previous` is the line above the current one."""
    base = leading(before)
    code = _strip_comment(before)
    if is_label(code):
        return TAB                      # labels sit in column 0, code one level in
    if code.endswith("{") or _CASE.match(code) or is_braceless_control(code):
        return base + TAB
    if previous is not None and is_braceless_control(previous) and code.endswith(";"):
        return leading(previous)        # the braceless body is done: back out
    return base


def closing_indent(text_before: str) -> str | None:
    """Indentation for a `}` typed at the end of `text_before` (everything
    before it): the indentation of the line holding the matching `{`."""
    depth = 0
    for i in range(len(text_before) - 1, -1, -1):
        ch = text_before[i]
        if ch == "}":
            depth += 1
        elif ch == "{":
            if depth == 0:
                start = text_before.rfind("\n", 0, i) + 1
                return leading(text_before[start:i + 1])
            depth -= 1
    return None


def label_outdent(line: str) -> str | None:
    """A line just completed as `\\tname:` -> `name:` (column 0), else None."""
    if leading(line) and is_label(line) and not _CASE.match(line):
        return line.lstrip(" \t")
    return None
