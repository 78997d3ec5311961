"""What a lesson is, once its TOML file has been read and checked.

A Lesson names one sample module and holds ordered Steps.  A Step has a
short explanation, optional source edits and Kconfig changes, the shell
commands to run (kmodsim syntax, one command per entry) and the
Expectations the engine checks afterwards.  All of it is immutable: the
runner never changes a lesson while it plays it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class LessonError(ValueError):
    """A lesson file is malformed; the message names the file and the step."""


@dataclass(frozen=True)
class Edit:
    """Replace the first occurrence of `find` with `replace` in `file`
    (a file of the lesson's module folder, by default the module's .c)."""
    find: str
    replace: str
    file: str


@dataclass(frozen=True)
class Expectation:
    """One checkable claim about what the step produced.

    `kind` is one of expect.KINDS; `value` is the kind's main argument (a
    text, a module name, a status, ...); `options` holds its modifiers
    (`of`, `level`, `shows`, `equals`).
    """
    kind: str
    value: str | int
    options: tuple[tuple[str, str | int], ...] = ()

    def option(self, name: str, default: str | int | None = None) -> str | int | None:
        return dict(self.options).get(name, default)


@dataclass(frozen=True)
class Step:
    number: int                      # 1-based, as a teacher counts them
    title: str
    explain: str
    commands: tuple[str, ...]
    expect: tuple[Expectation, ...]
    edits: tuple[Edit, ...] = ()
    config: tuple[tuple[str, bool], ...] = ()   # Kconfig changes (reboot)

    @property
    def label(self) -> str:
        """How reports and error messages name the step."""
        return f"step {self.number} ({self.title})"


@dataclass(frozen=True)
class Lesson:
    path: Path
    title: str
    topic: str
    module: str                      # sample name: modules/<module>.c
    explain: str
    steps: tuple[Step, ...]
    profile: str = "6.1"
    config: tuple[tuple[str, bool], ...] = ()   # initial Kconfig changes

    @property
    def source(self) -> str:
        """The module's main source file name, e.g. 'hi.c'."""
        return f"{self.module}.c"
