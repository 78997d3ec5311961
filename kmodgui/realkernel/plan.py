"""A session as the real machine can play it.

Some commands of a kmodsim session have no counterpart on a real machine:
fault injection (Debian's kernel is built without CONFIG_FAULT_INJECTION),
changing the kernel's configuration (fixed when the kernel was built),
kmodsim's own commands.  The real side does not pretend: such a step is
recorded as not run, with the reason.  A step that reboots the simulated
machine (`reboot`, `kconfig SYM=...`) boots the real machine afresh, so
what follows starts, on both sides, from a freshly booted kernel.
"""
from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kmodgui.lessons.model import Lesson
from kmodgui.lessons.runner import apply_edits, prepare_folder
from kmodgui.realkernel import machine

_NO_FAULTS = ("fault injection is not available: Debian's kernel is built without "
              "CONFIG_FAULT_INJECTION")
_FIXED_CONFIG = ("a real kernel's configuration is fixed when it is built; the real "
                 "machine boots the same kernel afresh, as kmodsim reboots")
_OWN = "a command of kmodsim's own, with no counterpart on the real machine"

#: kmodsim's commands a real machine does not have, and why
SIM_ONLY = {
    "inject": _NO_FAULTS,
    "kconfig": _FIXED_CONFIG,
    "reboot": "the real machine boots afresh instead",
    "profile": "the real machine runs the one kernel it booted",
    "make": "the modules were built with the real kbuild before the real machine booted",
    "audit": _NO_FAULTS,
    "help": _OWN,
}


@dataclass(frozen=True)
class Item:
    """A command and the folder holding the sources it sees; `edits` are
    the (file, find, replace) changes made to them just before it."""
    command: str
    folder: Path
    edits: tuple[tuple[str, str, str], ...] = ()


def _words(command: str) -> list[str]:
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    return words[1:] if words[:1] == ["sudo"] else words


def not_run(command: str) -> str:
    """Why the real machine does not run this command ("" when it does)."""
    words = _words(command)
    if not words or words[0] not in SIM_ONLY:
        return ""
    if words[0] == "kconfig" and not any("=" in w for w in words[1:]):
        return _OWN + f" (the real kernel's options are in /boot/config-{machine.DEFAULT_VERSION})"
    return SIM_ONLY[words[0]]


def reboots(command: str) -> bool:
    """Does the command reboot the simulated machine?"""
    words = _words(command)
    return words[:1] in (["reboot"], ["profile"]) and (words[0] == "reboot" or len(words) > 1) \
        or (words[:1] == ["kconfig"] and any("=" in w for w in words[1:]))


def _boots(items: list[Item]) -> list[list[Item | machine.Step]]:
    """The items cut into boots; a not-run command stays in place as a
    Step of its own, and one that reboots ends its boot."""
    boots: list[list[Item | machine.Step]] = [[]]
    for item in items:
        why = not_run(item.command)
        if why:
            boots[-1].append(machine.Step(item.command, not_run=why, edits=list(item.edits)))
            if reboots(item.command):
                boots.append([])
        else:
            boots[-1].append(item)
    return [b for b in boots if b]


def _stages(items: list[Item]) -> list[tuple[Path, list[str]]]:
    stages: list[tuple[Path, list[str]]] = []
    for item in items:
        if stages and stages[-1][0] == item.folder:
            stages[-1][1].append(item.command)
        else:
            stages.append((item.folder, [item.command]))
    return stages


def record(items: list[Item], version: str, record_state: bool = True,
           progress: Callable[[str], None] | None = None) -> machine.Session:
    """Play the items on the real machine: one boot per stretch between
    reboots, the not-run steps in their places."""
    steps: list[machine.Step] = []
    outputs, status, notes = [], 0, []
    for boot in _boots(items):
        real = [x for x in boot if isinstance(x, Item)]
        ran = (machine.run_stages(_stages(real), version, record_state, progress)
               if real else machine.Session(version, "", 0, []))
        outputs.append(ran.build_output)
        status = status or ran.build_status
        if ran.note:
            notes.append(ran.note)
        done = iter(ran.steps)
        for x in boot:
            if isinstance(x, machine.Step):
                steps.append(x)
                continue
            step = next(done, None)
            if step is None:          # the machine stopped before it
                break
            step.edits = list(x.edits)
            steps.append(step)
        if ran.note:                  # a runaway: what followed never ran
            break
    return machine.Session(version, "".join(outputs), status, steps, "; ".join(notes))


def _kconfig(changes: tuple[tuple[str, bool], ...]) -> str:
    return "kconfig " + " ".join(f"{name}={'y' if on else 'n'}" for name, on in changes)


def lesson_items(lesson: Lesson, work: Path) -> list[Item]:
    """A lesson's steps as commands: its edits made on copies of the
    samples in `work` (one folder per state of the sources), its Kconfig
    changes as the `kconfig SYM=y|n` command the shell has for them."""
    current = prepare_folder(lesson, _fresh(work / "s0"), None)
    items: list[Item] = []
    pending: tuple[tuple[str, str, str], ...] = ()
    if lesson.config:
        items.append(Item(_kconfig(lesson.config), current))
    for step in lesson.steps:
        if step.edits:
            edited = _fresh(work / f"s{step.number}")
            shutil.copytree(current, edited, dirs_exist_ok=True)
            apply_edits(step, edited)
            current = edited
            pending += tuple((e.file, e.find, e.replace) for e in step.edits)
        commands = ([_kconfig(step.config)] if step.config else []) + list(step.commands)
        for command in commands:
            items.append(Item(command, current, pending))
            pending = ()
    return items


def _fresh(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
