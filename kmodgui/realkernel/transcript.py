"""The recorded transcript: the text form of tests/reference/*.txt.

    ### [uname -r] 6.1.0-56-amd64    the kernel that ran the session
    ### [lesson] NAME               the lesson the session plays, if it does
    ### kbuild: FILE:L:C: error: ..  the real kbuild's errors (a module it cannot build)
    ### edit {"file": ..}           the sources were edited so before the next command
    ### $ CMD                       a command
    1| line / 2| line               its stdout / stderr
    ### exit=N                      its exit status (running: never returned)
    ### not run: WHY                instead of the exit status: the real
                                    machine has no counterpart (fault injection)
    ### [dmesg -r -c]               kernel log lines since the previous step,
    <6>[    4.767539] text            with level and timestamp
    ### [lsmod] / ### [cat /proc/modules] / ### [cat /proc/sys/kernel/tainted] N
    ### note: TEXT                  how the machine ended, when it did not power off
"""
from __future__ import annotations

import json
import re

from kmodgui.realkernel.machine import Session, Step

UNAME = "### [uname -r] "
LESSON = "### [lesson] "
KBUILD = "### kbuild: "
EDIT = "### edit "
COMMAND = "### $ "
EXIT = "### exit="
NOT_RUN = "### not run: "
DMESG = "### [dmesg -r -c]"
LSMOD = "### [lsmod]"
PROC_MODULES = "### [cat /proc/modules]"
TAINTED = "### [cat /proc/sys/kernel/tainted] "
NOTE = "### note: "


class TranscriptError(ValueError):
    """A file that is not a recorded transcript."""


def step_lines(step: Step) -> list[str]:
    """One step in transcript form (without its `### $ CMD` line); a step
    the real machine did not run has no state after it."""
    out = [f"1| {line}" for line in step.stdout]
    out += [f"2| {line}" for line in step.stderr]
    if step.not_run:
        return out + [NOT_RUN + step.not_run]
    out.append(f"{EXIT}{'running' if step.status is None else step.status}")
    out.append(DMESG)
    out += step.dmesg
    out.append(LSMOD)
    out += step.lsmod
    out.append(PROC_MODULES)
    out += step.proc_modules
    out.append(f"{TAINTED}{step.tainted}")
    return out


_GCC_ERROR = re.compile(r"^(?:\S*/)?([^/\s]+:\d+:\d+: (?:fatal )?error: .*)$|"
                        r"^ERROR: modpost: (.*)$")


def kbuild_errors(build_output: str) -> list[str]:
    """gcc's and modpost's error lines of a failed build, each file named
    by its base name (the build ran in a folder of its own)."""
    out = []
    for line in build_output.splitlines():
        m = _GCC_ERROR.match(line)
        if m:
            out.append(m.group(1) or "ERROR: modpost: " + re.sub(r"(?<!\S)/\S*/", "", m.group(2)))
    return out


def render(session: Session, lesson: str = "") -> str:
    out = [f"{UNAME}{session.version}"]
    if lesson:
        out.append(f"{LESSON}{lesson}")
    if session.build_status:
        out += [f"{KBUILD}{line}" for line in kbuild_errors(session.build_output)
                or [f"exit={session.build_status}"]]
    for step in session.steps:
        out += [EDIT + json.dumps({"file": f, "find": a, "replace": b}) for f, a, b in step.edits]
        out.append(f"{COMMAND}{step.command}")
        out += step_lines(step)
        out.append("")
    if session.note:
        out.append(f"{NOTE}{session.note}")
    return "\n".join(out) + "\n"


def _section(line: str) -> str | None:
    return {DMESG: "dmesg", LSMOD: "lsmod", PROC_MODULES: "proc_modules"}.get(line)


def _is_output(line: str) -> bool:
    """`1| text` or `2| text`; an empty line may have lost its space."""
    return line[:2] in ("1|", "2|") and (len(line) == 2 or line[2] == " ")


def parse(text: str) -> Session:
    """A transcript back into the session it records."""
    version, note, steps = "", "", []
    section, kbuild, edits = "", [], []
    for line in text.splitlines():
        if line.startswith(UNAME):
            version = line[len(UNAME):].strip()
        elif line.startswith(KBUILD):
            kbuild.append(line[len(KBUILD):])
        elif line.startswith(EDIT):
            edits.append(_edit(line[len(EDIT):]))
        elif line.startswith(COMMAND):
            steps.append(Step(line[len(COMMAND):], edits=edits))
            section, edits = "out", []
        elif line.startswith(NOTE):
            note = line[len(NOTE):]
        elif not steps:
            continue
        elif line.startswith(EXIT):
            value = line[len(EXIT):]
            steps[-1].status = int(value) if value.lstrip("-").isdigit() else None
        elif line.startswith(NOT_RUN):
            steps[-1].not_run = line[len(NOT_RUN):]
        elif line.startswith(TAINTED):
            steps[-1].tainted = line[len(TAINTED):]
            section = ""
        elif _section(line):
            section = _section(line) or ""
        elif section == "out" and _is_output(line):
            (steps[-1].stdout if line[0] == "1" else steps[-1].stderr).append(line[3:])
        elif section in ("dmesg", "lsmod", "proc_modules") and line:
            getattr(steps[-1], section).append(line)
    if not version or not steps:
        raise TranscriptError("not a recorded transcript (no '### [uname -r]' "
                              "line or no '### $ ' step)")
    return Session(version, "\n".join(kbuild), 1 if kbuild else 0, steps, note)


def lesson_of(text: str) -> str:
    """The name of the lesson a transcript plays ("" when none)."""
    return next((ln[len(LESSON):].strip() for ln in text.splitlines()
                 if ln.startswith(LESSON)), "")


def _edit(data: str) -> tuple[str, str, str]:
    try:
        e = json.loads(data)
        return str(e["file"]), str(e["find"]), str(e["replace"])
    except (ValueError, KeyError, TypeError):
        raise TranscriptError(f"an edit that is not {{\"file\", \"find\", "
                              f"\"replace\"}}: {data}") from None
