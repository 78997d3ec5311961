"""The session's commands as a real machine can run them.

What the user ran since the simulated kernel last booted, in order, one
command per entry (a shell line `a; b` is two).  A real machine starts
from a fresh boot too, so a reboot (or a Kconfig change, which reboots)
starts the list again.  Commands only the simulator has are left out
(the debugger's own, kconfig, make: the real run builds anyway), except
two: `debug insmod X` runs as `insmod X` (a real init does not stop), and
`inject` stays, so the real side can say that it has no fault injection.
"""
from __future__ import annotations

import re

#: what busybox and Debian's kmod on the real machine also understand
REAL_COMMANDS = frozenset({
    "insmod", "rmmod", "lsmod", "modinfo", "modprobe", "depmod", "dmesg", "cat", "head",
    "tail", "grep", "wc", "printf", "echo", "ls", "uname", "sleep", "mknod", "dd", "true",
    "false", "cd", "pwd"})
#: the simulator's fault injection (the real kernel has none)
INJECT = "inject"

_SEMICOLON = re.compile(r";(?=(?:[^'\"]|'[^']*'|\"[^\"]*\")*$)")


def split_line(line: str) -> list[str]:
    """`insmod a.ko; dmesg` -> its commands (a `;` inside quotes stays)."""
    return [part.strip() for part in _SEMICOLON.split(line) if part.strip()]


def for_real(command: str) -> str | None:
    """The command as the real machine runs it, or None to leave it out."""
    words = command.split()
    if not words:
        return None
    if words[0] == "debug" and len(words) > 1 and words[1] in ("insmod", "rmmod"):
        return " ".join(words[1:])
    if words[0] in REAL_COMMANDS or words[0] == INJECT:
        return command
    return None


def is_injection(command: str) -> bool:
    return command.split()[:1] == [INJECT]


class SessionLog:
    """The commands of this boot of the simulated kernel."""

    def __init__(self) -> None:
        self._commands: list[str] = []

    def clear(self) -> None:
        self._commands.clear()

    def add_line(self, line: str) -> None:
        for command in split_line(line):
            real = for_real(command)
            if real is not None:
                self._commands.append(real)

    @property
    def commands(self) -> tuple[str, ...]:
        return tuple(self._commands)

    @property
    def injects(self) -> bool:
        return any(is_injection(c) for c in self._commands)
