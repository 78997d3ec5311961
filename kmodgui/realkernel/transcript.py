"""The recorded transcript: the text form of tests/reference/*.txt.

    ### $ CMD                       a command
    1| line / 2| line               its stdout / stderr
    ### exit=N                      its exit status (running: never returned)
    ### [dmesg -r -c]               kernel log lines since the previous step,
    <6>[    4.767539] text            with level and timestamp
    ### [lsmod] / ### [cat /proc/modules] / ### [cat /proc/sys/kernel/tainted] N
"""
from __future__ import annotations

from kmodgui.realkernel.machine import Session


def render(session: Session) -> str:
    out = [f"### [uname -r] {session.version}"]
    for step in session.steps:
        out.append(f"### $ {step.command}")
        out += [f"1| {line}" for line in step.stdout]
        out += [f"2| {line}" for line in step.stderr]
        out.append(f"### exit={'running' if step.status is None else step.status}")
        out.append("### [dmesg -r -c]")
        out += step.dmesg
        out.append("### [lsmod]")
        out += step.lsmod
        out.append("### [cat /proc/modules]")
        out += step.proc_modules
        out.append(f"### [cat /proc/sys/kernel/tainted] {step.tainted}")
        out.append("")
    if session.note:
        out.append(f"### note: {session.note}")
    return "\n".join(out) + "\n"
