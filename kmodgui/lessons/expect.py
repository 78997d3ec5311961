"""Expectations: the closed set of things a lesson step can claim.

Each kind has a name (the TOML key that introduces it), the type of its
value, the modifiers it accepts, a sentence that describes it and a check
(checks.py).  Checks only read the machine, so the GUI may check a step as
often as it likes without changing what the user sees.  docs/lessons.md
documents every kind.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from kmodgui.lessons import checks as c
from kmodgui.lessons.checks import LEVEL_NAMES, LEVELS, Observed
from kmodgui.lessons.model import Expectation, LessonError
from kmodgui.userspace import TOOLS

__all__ = ["KINDS", "CheckResult", "Kind", "Observed", "check", "describe",
           "parse_expectation", "parse_level"]


@dataclass(frozen=True)
class CheckResult:
    expectation: Expectation
    passed: bool
    expected: str      # the expectation in words
    seen: str          # what the machine showed instead (or confirming it)


@dataclass(frozen=True)
class Kind:
    value: type                          # str or int
    describe: Callable[[Expectation], str]
    check: c.Check
    optional: tuple[str, ...] = ()       # modifiers it may have
    one_of: tuple[str, ...] = ()         # exactly one of these is required


def _of(e: Expectation) -> str:
    of = e.option("of")
    return f"`{of}`" if of else "the last command"


# -- descriptions ---------------------------------------------------------------
def _level_words(e: Expectation) -> str:
    level = e.option("level")
    return "" if level is None else f" at level {LEVEL_NAMES[int(level)]}"


KINDS: dict[str, Kind] = {
    "status": Kind(int, lambda e: f"{_of(e)} exits with status {e.value}",
                   c.check_status, optional=("of",)),
    "stdout": Kind(str, lambda e: f"the output of {_of(e) if e.option('of') else 'the step'}"
                   f" contains {e.value!r}", c.check_stream("stdout"), optional=("of",)),
    "stderr": Kind(str, lambda e: f"the errors of {_of(e) if e.option('of') else 'the step'}"
                   f" contain {e.value!r}", c.check_stream("stderr"), optional=("of",)),
    "insmod_fails": Kind(str, lambda e: f"insmod fails with {e.value!r}", c.check_insmod_fails),
    "lsmod_lists": Kind(str, lambda e: f"lsmod lists {e.value}", c.check_lsmod_lists),
    "lsmod_lacks": Kind(str, lambda e: f"lsmod does not list {e.value}", c.check_lsmod_lacks),
    "proc_modules": Kind(str, lambda e: f"/proc/modules shows {e.value} with "
                         f"{e.option('shows')!r}", c.check_proc_modules, one_of=("shows",)),
    "file": Kind(str, lambda e: f"{e.value} " + (f"is {e.option('equals')!r}"
                 if e.option("equals") is not None else f"contains {e.option('shows')!r}"),
                 c.check_file, one_of=("equals", "shows")),
    "dmesg": Kind(str, lambda e: f"the kernel logs {e.value!r}{_level_words(e)}",
                  c.check_dmesg, optional=("level",)),
    "dmesg_lacks": Kind(str, lambda e: f"the kernel does not log {e.value!r}{_level_words(e)}",
                        c.check_dmesg_lacks, optional=("level",)),
    "tainted": Kind(str, lambda e: f"the kernel is tainted {e.value}", c.check_tainted),
    "goto": Kind(str, lambda e: f"the module's code jumps to label {e.value}", c.check_goto),
    "holds_nothing": Kind(str, lambda e: f"{e.value} holds no resource (all it "
                          "registered or allocated was released)", c.check_holds_nothing),
}
MODIFIERS = ("of", "level", "shows", "equals")


def check(e: Expectation, observed: Observed) -> CheckResult:
    kind = KINDS[e.kind]
    passed, seen = kind.check(e, observed)
    return CheckResult(e, passed, kind.describe(e), seen)


def describe(e: Expectation) -> str:
    return KINDS[e.kind].describe(e)


# -- reading one from TOML -----------------------------------------------------------
def parse_expectation(table: Any, where: str) -> Expectation:
    """A TOML inline table such as {dmesg = "loaded", level = "info"}."""
    if not isinstance(table, dict):
        raise LessonError(f"{where}: an expectation is a table like "
                          f"{{ status = 0 }}, not {table!r}")
    kinds = [k for k in table if k in KINDS]
    if len(kinds) != 1:
        found = ", ".join(kinds) if kinds else "none, only " + (", ".join(table) or "{}")
        raise LessonError(f"{where}: an expectation needs exactly one kind "
                          f"(found {found}); the kinds are: {', '.join(KINDS)}")
    name = kinds[0]
    kind = KINDS[name]
    value = _typed(table[name], kind.value, f"{where}: {name}")
    options = {k: v for k, v in table.items() if k != name}
    _check_modifiers(name, kind, options, where)
    if "level" in options:
        options["level"] = parse_level(options["level"], f"{where}: level")
    for k, v in options.items():
        _typed(v, int if k == "level" else str, f"{where}: {k}")
    _check_words(name, value, options, where)
    return Expectation(name, value, tuple(sorted(options.items())))


def _check_words(name: str, value: Any, options: dict[str, Any], where: str) -> None:
    """Values that can never match are typos: say so now, not at run time."""
    if name == "tainted" and not (value.isascii() and value.isalpha() and value.isupper()):
        raise LessonError(f"{where}: tainted: taint letters are capitals, e.g. \"R\" "
                          f"or \"OE\", not {value!r}")
    if name == "goto" and not value.isidentifier():
        raise LessonError(f"{where}: goto: {value!r} is not a C label")
    of = options.get("of")
    if of is not None and (of.split() or [""])[0].rsplit("/", 1)[-1] not in TOOLS:
        raise LessonError(f"{where}: of: {of!r} does not start with a command")


def _check_modifiers(name: str, kind: Kind, options: dict[str, Any], where: str) -> None:
    allowed = kind.optional + kind.one_of
    for k in options:
        if k not in allowed:
            what = "unknown key" if k not in MODIFIERS else f"'{name}' does not take"
            ok = f"it takes {', '.join(allowed)}" if allowed else "it takes no modifier"
            raise LessonError(f"{where}: {what} '{k}' ({ok})")
    if kind.one_of and sum(k in options for k in kind.one_of) != 1:
        raise LessonError(f"{where}: '{name}' needs exactly one of "
                          f"{' or '.join(kind.one_of)}")


def _typed(value: Any, want: type, where: str) -> Any:
    if want is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise LessonError(f"{where}: expected a number, got {value!r}")
    if want is str and (not isinstance(value, str) or not value):
        raise LessonError(f"{where}: expected a non-empty text, got {value!r}")
    return value


def parse_level(value: Any, where: str) -> int:
    """'info', 'KERN_INFO' or 6 -> 6."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 7:
        return value
    if isinstance(value, str):
        name = value.lower().removeprefix("kern_")
        if name in LEVELS:
            return LEVELS[name]
    raise LessonError(f"{where}: unknown printk level {value!r} "
                      f"(use one of {', '.join(LEVEL_NAMES)} or 0..7)")
