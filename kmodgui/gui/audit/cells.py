"""What the Audit matrix says, in words and symbols (no Qt here).

Each cell of the matrix is one resource (a column: the call that acquired
it and its line, e.g. "register_that@33") in one run (a row: a fault
point).  The sweep's verdicts (kmodgui.audit.Run.cells) map to a symbol, a
short word and a theme colour, so a cell reads the same on a projector, in
greyscale, or to a colour-blind student: colour is never the only signal.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from kmodgui.userspace.errnos import errno_name


@dataclass(frozen=True)
class CellStyle:
    symbol: str
    word: str
    colour: str          # a Theme attribute
    problem: bool
    meaning: str         # one sentence for tooltips and the legend


#: Run.cells verdicts, plus "absent" for a resource that run never acquired.
STYLES: dict[str, CellStyle] = {
    "released": CellStyle("✓", "released", "ok", False,
                          "released, in the reverse order of acquisition"),
    "absent": CellStyle("·", "", "dim", False,
                        "never acquired on this path: init failed before reaching it"),
    "held": CellStyle("■", "held", "warning", True,
                      "still held when the run ended (it crashed before releasing)"),
    "leaked": CellStyle("✗", "LEAKED", "leak", True,
                        "acquired and never released: the kernel keeps a registration "
                        "that points into the discarded module"),
    "wrong-order": CellStyle("⇅", "order", "warning", True,
                             "released, but not in the reverse order of acquisition"),
    "double": CellStyle("②", "twice", "error", True,
                        "released a second time: a double unregister or double free"),
    "never-acquired": CellStyle("⊘", "unacquired", "injected", True,
                                "released without having been acquired"),
}
LEGEND_ORDER = ("released", "absent", "leaked", "wrong-order", "double", "never-acquired", "held")
#: the legend's longer words (the cells use the short ones)
LEGEND_WORDS = {"absent": "not acquired", "wrong-order": "released out of order",
                "double": "released twice", "never-acquired": "released, never acquired"}

_COLUMN = re.compile(r"^(?P<api>[A-Za-z_]\w*)@(?P<line>\d+)$")
_SITE = re.compile(r"\((?P<file>[^():\s]+):(?P<line>\d+)\)")


def cell_state(run: Any, column: str) -> str:
    return run.cells.get(column, "absent")


def column_parts(column: str) -> tuple[str, int]:
    """'register_that@33' -> ('register_that', 33); other names -> (name, 0)."""
    m = _COLUMN.match(column)
    return (m["api"], int(m["line"])) if m else (column, 0)


def column_header(column: str) -> str:
    api, line = column_parts(column)
    return f"{api}()\nline {line}" if line else column


def errno_text(value: int | None) -> str:
    if value is None:
        return "-"
    return "0" if value == 0 else f"-{errno_name(value)}" if value < 0 else str(value)


def row_label(run: Any, file: str = "") -> str:
    """'3  register_those() :38' (the file is named when it is not `file`,
    the open source, e.g. for a module built from several .c files)."""
    if run.point == 0:
        return "0  no fault"
    where = run.site
    if file and where.startswith(file + ":"):
        where = ":" + where[len(file) + 1:]
    return f"{run.point}  {run.api}() {where}".rstrip()


def row_problems(run: Any) -> list[str]:
    """What went wrong on this path, one phrase each (as kmodsim audit says it)."""
    out = run.problems()
    if run.crash:
        out.append(f"the kernel task died: {run.crash}")
    return out


def verdict(run: Any) -> tuple[str, str, str]:
    """(symbol, text, theme colour attribute) of a row's verdict."""
    if run.crash:
        return "☠", f"CRASH ({run.crash})", "error"
    if run.clean:
        return "✓", "clean", "ok"
    counts = [(len(run.leaks), "leak"), (len(run.double), "double"),
              (len(run.never), "unacquired"), (len(run.out_of_order), "order")]
    words = [w if n == 1 else f"{n}× {w}" for n, w in counts if n]
    if run.next_insmod:
        words.append("reload")
    return "✗", " · ".join(words), "error"


def problem_site(run: Any, column: str, fallback_file: str) -> tuple[str, int]:
    """Where the column's resource was acquired: (file, line).

    The column names the acquiring line; the problem texts ("that "x"
    (skull_leaky.c:33)") also name the file, which matters for modules
    built from several .c files."""
    api, line = column_parts(column)
    for text in run.leaks + run.double + run.never:
        m = _SITE.search(text)
        if m and int(m["line"]) == line:
            return m["file"], line
    return fallback_file, line


def cell_tooltip(run: Any, column: str, file: str) -> str:
    state = cell_state(run, column)
    style = STYLES.get(state, STYLES["held"])
    api, line = column_parts(column)
    where = f"{file}:{line}" if line else file
    path = "with no fault" if run.point == 0 else (
        f"when {run.api}() at {run.site} fails with -{errno_name(run.errno)}")
    text = (f"{style.symbol} {style.word or 'not acquired'}: the resource {api}() acquired at {where}, "
            f"{path}.\n{style.meaning}.")
    if style.problem:
        text += "\nClick: show the line that acquired it; the details below show the path."
    return text


def details_html(run: Any, columns: list[str], file: str, theme: Any) -> str:
    """The selected row in sentences: the failure, the unwind path init took
    (each goto and release links to its line), what it missed."""
    esc = html.escape

    def link(line: int, text: str) -> str:
        return f"<a href='line:{line}'>{esc(text)}</a>"
    parts = []
    if run.point == 0:
        parts.append("<b>Run 0: no fault.</b> insmod, then rmmod if it loaded.")
    else:
        site_line = int(run.site.rsplit(":", 1)[-1]) if run.site[-1:].isdigit() else 0
        parts.append(f"<b>Fault point {run.point}:</b> {esc(run.api)}() at "
                     f"{link(site_line, run.site)} fails with "
                     f"-{esc(errno_name(run.errno))} (injected, like fail-nth).")
    ret = "crashed" if run.crash else f"returned {errno_text(run.init_ret)}"
    parts.append(f"init {ret}" + ("; the module loaded and rmmod ran its exit." if run.loaded
                                  else "."))
    if run.point:
        steps = [link(b, f"goto {label} (line {a} → {b})") for a, b, label in run.jumps]
        for rel in run.unwind:
            api, line = column_parts(rel)
            steps.append(link(line, f"{api}() at line {line}") if line else esc(rel))
        parts.append("<b>Unwind path:</b> " + (" → ".join(steps) if steps
                                                else "releases nothing"))
    problems = row_problems(run)
    if problems:
        items = []
        for p in problems:
            m = _SITE.search(p)
            text = esc(p)
            if m:
                text = text.replace(esc(m.group(0)), link(int(m["line"]), m.group(0)))
            items.append(f"<li>{text}</li>")
        parts.append(f"<div><b style='color:{theme.error}'>✗ What it missed:</b>"
                     f"<ul style='margin-top:0'>{''.join(items)}</ul></div>")
    else:
        parts.append(f"<b style='color:{theme.ok}'>✓ Clean:</b> everything acquired on this "
                     "path was released, in reverse order.")
    if run.point:
        parts.append(f"<span style='color:{theme.dim}'>Click the row's ▶ (or press Enter) "
                     "to replay this run in the stepper.</span>")
    return "".join(p if p.startswith("<div") else f"<p>{p}</p>" for p in parts)


def legend_html(theme: Any) -> str:
    items = []
    for key in LEGEND_ORDER:
        s = STYLES[key]
        colour = getattr(theme, s.colour)
        word = LEGEND_WORDS.get(key, s.word)
        items.append(f"<span style='color:{colour}'><b>{s.symbol}</b></span>&nbsp;{word}")
    return "&nbsp;&nbsp; ".join(items)
