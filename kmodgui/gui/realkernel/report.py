"""A real-kernel comparison as rows, side by side, and as HTML or text.

The comparison (kmodgui.realkernel.compare) gives, per step, the command,
the lines the real machine printed, the lines the simulator printed, and
whether they match once what may differ (timestamps, addresses, sizes,
PIDs) is set aside.  Here each step becomes a row whose differing lines
are marked: with a `≠` in front (so colour is never the only sign) and a
tinted background.  The same rows make the pane, the HTML export and the
text export.
"""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from kmodgui.gui.realkernel.session_log import is_injection

#: what Debian's 6.1 config says about the simulator's fault injection
NO_FAULT_INJECTION = ("The real kernel (Debian 6.1) has no fault injection: "
                      "CONFIG_FAULT_INJECTION is not set, so nothing was made to fail there.")
AFTER_INJECTION = ("The simulator made a kernel call fail in this command (inject); "
                   "the real kernel ran it without a fault.")
SAME, DIFFERS, SIM_ONLY = "same", "differs", "simulator only"
BADGE = {SAME: "✔ same", DIFFERS: "✘ differs", SIM_ONLY: "⚠ simulator only"}
MARK = "≠ "
UNCHANGED = "lsmod, /proc/modules: unchanged"


class StepLike(Protocol):
    """One step of a comparison (compare.StepResult)."""
    @property
    def command(self) -> str: ...
    @property
    def real(self) -> Sequence[str] | str: ...
    @property
    def sim(self) -> Sequence[str] | str: ...
    @property
    def matches(self) -> bool: ...
    @property
    def note(self) -> str: ...


class ComparisonLike(Protocol):
    """A comparison (compare.Comparison): its steps, in order."""
    @property
    def steps(self) -> Sequence[StepLike]: ...
    @property
    def kernel(self) -> str: ...        # the real kernel's `uname -r`
    @property
    def note(self) -> str: ...          # how the real machine ended, if not by powering off


@dataclass(frozen=True)
class Line:
    text: str
    marked: bool = False


@dataclass(frozen=True)
class Row:
    number: int
    command: str
    real: tuple[Line, ...]
    sim: tuple[Line, ...]
    verdict: str                    # SAME, DIFFERS or SIM_ONLY
    note: str = ""


@dataclass(frozen=True)
class Report:
    title: str                      # what was compared (a file, "this session")
    rows: tuple[Row, ...]
    kernel: str = ""                # the real kernel's release
    note: str = ""                  # how the real machine ended, if not by powering off

    @property
    def matching(self) -> int:
        return sum(r.verdict == SAME for r in self.rows)

    @property
    def injected(self) -> bool:
        return any(r.verdict == SIM_ONLY for r in self.rows)

    def summary(self) -> str:
        n = len(self.rows)
        text = f"{self.matching} of {n} step{'s' if n != 1 else ''} match"
        if self.injected:
            text += " · fault injection: simulator only (the real kernel has none)"
        return text + (f" · {self.note}" if self.note else "")


def _lines(value: Sequence[str] | str) -> list[str]:
    return value.splitlines() if isinstance(value, str) else [str(v) for v in value]


_VARIABLE = [(re.compile(r"^(<\d>)?\[\s*\d+\.\d+\]"), r"\1[T]"),        # dmesg timestamps
             (re.compile(r"0x[0-9a-f]{8,16}"), "0xADDR"),                 # load addresses
             (re.compile(r"\[(insmod|rmmod):\d+\]"), r"[\1:PID]")]


def _key(line: str) -> str:
    """A line with what may differ between two machines blanked out."""
    for pattern, repl in _VARIABLE:
        line = pattern.sub(repl, line)
    return line


def _mark(real: list[str], sim: list[str]) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """The lines of each side, those without a counterpart marked."""
    same_real: set[int] = set()
    same_sim: set[int] = set()
    matcher = difflib.SequenceMatcher(a=[_key(x) for x in real], b=[_key(x) for x in sim],
                                      autojunk=False)
    for block in matcher.get_matching_blocks():
        same_real.update(range(block.a, block.a + block.size))
        same_sim.update(range(block.b, block.b + block.size))
    return (tuple(Line(x, i not in same_real) for i, x in enumerate(real)),
            tuple(Line(x, i not in same_sim) for i, x in enumerate(sim)))


#: the state the recorder reads after every step, often the same as before
_STATE = ("### [lsmod]", "### [cat /proc/modules]")
_STATE_END = "### [cat /proc/sys/kernel/tainted]"


def _state(lines: list[str]) -> tuple[str, ...]:
    """The lsmod and /proc/modules part of a step's lines."""
    start = next((i for i, x in enumerate(lines) if x in _STATE), None)
    end = next((i for i, x in enumerate(lines) if x.startswith(_STATE_END)), len(lines))
    return tuple(lines[start:end]) if start is not None else ()


def _collapse(lines: tuple[Line, ...], state: tuple[str, ...]) -> tuple[Line, ...]:
    """The lines with an unchanged lsmod and /proc/modules said in one line."""
    texts = [ln.text for ln in lines]
    start = texts.index(state[0])
    return lines[:start] + (Line(UNCHANGED),) + lines[start + len(state):]


def build(comparison: ComparisonLike, title: str) -> Report:
    rows: list[Row] = []
    before: tuple[str, ...] | None = None   # the previous step's state (both sides alike)
    pending_fault = False           # an inject waits for the next insmod or rmmod
    for i, step in enumerate(comparison.steps, 1):
        real, sim = _lines(step.real), _lines(step.sim)
        notes = [step.note] if step.note else []
        if is_injection(step.command):
            pending_fault = True
            rows.append(Row(i, step.command, (Line(NO_FAULT_INJECTION),),
                            tuple(Line(x) for x in sim), SIM_ONLY, " ".join(notes)))
            continue
        if pending_fault and step.command.split()[:1] in (["insmod"], ["rmmod"]):
            pending_fault = False
            notes.append(AFTER_INJECTION)
        real_lines, sim_lines = _mark(real, sim)
        if step.matches:            # the comparison's verdict; marks only when it differs
            real_lines = tuple(Line(x.text) for x in real_lines)
            sim_lines = tuple(Line(x.text) for x in sim_lines)
        state = _state(real)
        if state and state == _state(sim):
            if state == before:     # the same on both machines, and as after the last step
                real_lines, sim_lines = _collapse(real_lines, state), _collapse(sim_lines, state)
            before = state
        else:
            before = None
        rows.append(Row(i, step.command, real_lines, sim_lines,
                        SAME if step.matches else DIFFERS, " ".join(notes)))
    return Report(title, tuple(rows), comparison.kernel, comparison.note)


# -- text ----------------------------------------------------------------------
def to_text(report: Report) -> str:
    out = [f"Real kernel {report.kernel} beside the simulator: {report.title}",
           report.summary(), ""]
    for row in report.rows:
        out.append(f"[{row.number}] $ {row.command}    {BADGE[row.verdict]}")
        for label, lines in (("real kernel", row.real), ("simulator", row.sim)):
            out.append(f"    {label}:")
            out += [f"      {MARK if ln.marked else '  '}{shown(ln.text)[0]}" for ln in lines]
            if not lines:
                out.append("        (nothing)")
        if row.note:
            out.append(f"    note: {row.note}")
        out.append("")
    return "\n".join(out)


# -- HTML ----------------------------------------------------------------------
@dataclass(frozen=True)
class Colours:
    text: str = "#1d2128"
    dim: str = "#6b7280"
    base: str = "#ffffff"
    head: str = "#eef0f3"
    ok: str = "#15803d"
    bad: str = "#dc2626"
    warn: str = "#9333ea"
    real_mark: str = "#fde2e2"
    sim_mark: str = "#fdf1d6"


#: the transcript's section marks, as a reader says them
_HEADINGS = (("### exit=", "exit status "), ("### not run: ", "not run: "),
             ("### [dmesg -r -c]", "dmesg:"), ("### [lsmod]", "lsmod:"),
             ("### [cat /proc/modules]", "/proc/modules:"),
             ("### [cat /proc/sys/kernel/tainted] ", "tainted: "))


def shown(line: str) -> tuple[str, bool]:
    """A transcript line as the pane shows it: (text, is a heading).
    `1| ` (stdout) loses its prefix; stderr keeps `2| ` so it stays told apart."""
    for mark, said in _HEADINGS:
        if line.startswith(mark):
            return said + line[len(mark):], True
    if line.startswith("1| "):
        return line[3:], False
    if line == UNCHANGED:
        return line, True
    return line.replace("[TIME] ", "", 1) if line.startswith("<") else line, False


def _cell_lines(lines: tuple[Line, ...], tint: str, c: Colours) -> str:
    if not lines:
        return f'<span style="color:{c.dim}">(nothing)</span>'
    parts = []
    for ln in lines:
        said, heading = shown(ln.text)
        text = html.escape(said)
        if heading:
            text = f'<span style="color:{c.dim}">{text}</span>'
        if ln.marked:
            parts.append(f'<span style="background-color:{tint}"><b>{MARK}</b>{text}</span>')
        else:
            parts.append(f"&nbsp;&nbsp;{text}")
    return "<br>".join(parts)


def anchor(number: int) -> str:
    """The HTML anchor of step `number` (the pane scrolls to it)."""
    return f"step-{number}"


def to_html(report: Report, c: Colours = Colours(), font_pt: float = 10.0,
            ui_pt: float = 10.0, standalone: bool = False) -> str:
    """Per step a heading row (number, command, verdict, note) and a row
    with the real machine's lines on the left, the simulator's on the right."""
    colour = {SAME: c.ok, DIFFERS: c.bad, SIM_ONLY: c.warn}
    mono = f"font-family:'DejaVu Sans Mono',monospace; font-size:{font_pt:.1f}pt"
    rows = []
    for row in report.rows:
        note = (f'<br><span style="color:{c.dim}; font-weight:normal">'
                f'{html.escape(row.note)}</span>' if row.note else "")
        rows.append(
            f'<tr><td colspan="2" bgcolor="{c.head}" style="{mono}">'
            f'<a name="{anchor(row.number)}"></a><span style="color:{colour[row.verdict]}; font-weight:bold">'
            f'{html.escape(BADGE[row.verdict])}</span> &nbsp; '
            f'<b>{row.number}. $ {html.escape(row.command)}</b>{note}</td></tr>'
            f'<tr><td width="50%" valign="top" style="{mono}; white-space:pre-wrap">'
            f'{_cell_lines(row.real, c.real_mark, c)}</td>'
            f'<td width="50%" valign="top" style="{mono}; white-space:pre-wrap">'
            f'{_cell_lines(row.sim, c.sim_mark, c)}</td></tr>')
    kernel = f" {report.kernel}" if report.kernel else ""
    head = (f'<tr><th align="left" width="50%">Real kernel{html.escape(kernel)} (QEMU)</th>'
            f'<th align="left" width="50%">Simulator</th></tr>')
    heading = (f'<p><b>{html.escape(report.title)}</b> &nbsp; {html.escape(report.summary())}'
               '</p>' if standalone else "")
    body = (f'<div style="font-size:{ui_pt:.1f}pt">{heading}'
            f'<p style="color:{c.dim}">{MARK.strip()} marks a line the other side '
            'does not have.</p>'
            f'<table width="100%" cellspacing="0" cellpadding="3" border="1" '
            f'style="border-collapse:collapse; border-color:{c.dim}">'
            f'{head}{"".join(rows)}</table></div>')
    if not standalone:
        return body
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(report.title)}</title></head>"
            f'<body style="color:{c.text}; background:{c.base}; font-family:sans-serif">'
            f"{body}</body></html>\n")
