"""The checks behind the expectation kinds (see expect.KINDS).

Each check returns (passed, seen): `seen` says in words what the machine
showed, so a failed step tells the student what happened instead.  Checks
only *read*: the step's command results, the trace since the step began,
/proc and /sys through `kernel.read_file`, the resource ledger.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from kmodgui.kernel import events
from kmodgui.lessons.model import Expectation
from kmodgui.session import CommandResult
from kmodgui.userspace import TOOLS, errnos

#: printk levels by name, as `dmesg -l` and <linux/kern_levels.h> spell them
LEVELS = {"emerg": 0, "alert": 1, "crit": 2, "err": 3, "warn": 4, "warning": 4,
          "notice": 5, "info": 6, "debug": 7}
LEVEL_NAMES = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]


@dataclass
class Observed:
    """What a step produced: its command results and the trace from `since`
    (an index into session.trace.events taken when the step began)."""
    session: Any                          # kmodgui.session.Session
    results: Sequence[CommandResult]
    since: int = 0

    def new_events(self) -> list[events.Event]:
        evs = self.session.trace.events
        # a debugger rewind may have truncated the trace below our mark
        return evs[min(self.since, len(evs)):]

    def printk(self) -> list[events.Printk]:
        return [e for e in self.new_events() if isinstance(e, events.Printk)]

    def matching(self, of: str | None) -> list[CommandResult]:
        """The results whose command starts with the words of `of`."""
        if of is None:
            return list(self.results)
        words = of.split()
        return [r for r in self.results if _command_words(r)[:len(words)] == words]


Check = Callable[[Expectation, Observed], tuple[bool, str]]


def _command_words(r: CommandResult) -> list[str]:
    words = list(r.argv)
    if words:
        words[0] = words[0].rsplit("/", 1)[-1]     # /sbin/insmod is insmod
    return words


def _cmd(r: CommandResult) -> str:
    return " ".join(r.argv) or "(empty command)"


def _brief(text: str, limit: int = 240) -> str:
    """One line of output for a report: lines joined by ' | ', shortened."""
    flat = " | ".join(line for line in text.splitlines() if line.strip())
    if not flat:
        return "nothing"
    return repr(flat if len(flat) <= limit else flat[:limit] + "...")


def _of(e: Expectation) -> str | None:
    """The `of` modifier: which of the step's commands a check looks at."""
    of = e.option("of")
    return None if of is None else str(of)


# -- command results ----------------------------------------------------------
def check_status(e: Expectation, o: Observed) -> tuple[bool, str]:
    runs = o.matching(_of(e))
    if not runs:
        return False, "no such command ran in this step"
    r = runs[-1]
    seen = f"`{_cmd(r)}` exited {r.status}"
    if r.status and r.stderr:
        seen += f", saying {_brief(r.stderr)}"
    return r.status == e.value, seen


def check_stream(stream: str) -> Check:
    def check(e: Expectation, o: Observed) -> tuple[bool, str]:
        runs = o.matching(_of(e))
        if not runs:
            return False, "no such command ran in this step"
        text = "".join(getattr(r, stream) for r in runs)
        return str(e.value) in text, f"{stream} was {_brief(text)}"
    return check


def check_insmod_fails(e: Expectation, o: Observed) -> tuple[bool, str]:
    # insmod's exit status is 1 whatever the errno; the errno is in the words
    runs = o.matching("insmod")
    if not runs:
        return False, "no insmod ran in this step"
    for r in runs:
        if r.status != 0 and str(e.value) in r.stderr:
            return True, f"`{_cmd(r)}` failed: {_brief(r.stderr)}"
    r = runs[-1]
    if r.status == 0:
        return False, f"`{_cmd(r)}` succeeded (exit 0): the module loaded"
    return False, f"`{_cmd(r)}` failed differently: {_brief(r.stderr)}"


# -- the machine's state -----------------------------------------------------
def _lsmod_names(o: Observed) -> list[str]:
    # the profile's own lsmod, called directly: it only reads /proc and /sys
    res = TOOLS["lsmod"](o.session, ["lsmod"])
    return [line.split()[0] for line in res.stdout.splitlines()[1:] if line.strip()]


def _lsmod_seen(names: list[str]) -> str:
    return "lsmod lists " + (", ".join(names) if names else "no module")


def check_lsmod_lists(e: Expectation, o: Observed) -> tuple[bool, str]:
    names = _lsmod_names(o)
    return e.value in names, _lsmod_seen(names)


def check_lsmod_lacks(e: Expectation, o: Observed) -> tuple[bool, str]:
    names = _lsmod_names(o)
    return e.value not in names, _lsmod_seen(names)


def check_proc_modules(e: Expectation, o: Observed) -> tuple[bool, str]:
    err, text = o.session.kernel.read_file("/proc/modules")
    if err < 0:
        return False, f"/proc/modules: {errnos.strerror(err)}"
    for line in text.splitlines():
        if line.split()[:1] == [e.value]:
            return str(e.option("shows")) in line, f"its line is {line!r}"
    return False, f"{e.value} is not in /proc/modules"


def check_file(e: Expectation, o: Observed) -> tuple[bool, str]:
    err, text = o.session.kernel.read_file(str(e.value))
    if err < 0:
        return False, f"cat: {e.value}: {errnos.strerror(err)}"
    if e.option("equals") is not None:
        return text.strip() == str(e.option("equals")).strip(), f"it contains {_brief(text)}"
    return str(e.option("shows")) in text, f"it contains {_brief(text)}"


def check_tainted(e: Expectation, o: Observed) -> tuple[bool, str]:
    have = o.session.kernel.taint_letters
    seen = f"taint letters are {have!r}" if have else "the kernel is not tainted"
    return all(c in have for c in str(e.value)), seen


def check_holds_nothing(e: Expectation, o: Observed) -> tuple[bool, str]:
    held = o.session.kernel.ledger.held_by(str(e.value))
    if not held:
        return True, f"{e.value} holds nothing"
    return False, f"{e.value} still holds " + ", ".join(r.name for r in held)


# -- the trace since the step began ---------------------------------------------
def _level_ok(e: Expectation, rec: events.Printk) -> bool:
    level = e.option("level")
    return level is None or rec.level == level


def check_dmesg(e: Expectation, o: Observed) -> tuple[bool, str]:
    recs = o.printk()
    for rec in recs:
        if str(e.value) in rec.text and _level_ok(e, rec):
            return True, f"logged at {LEVEL_NAMES[rec.level]}: {rec.text!r}"
    wrong = [r for r in recs if str(e.value) in r.text]
    if wrong:
        return False, f"logged at {LEVEL_NAMES[wrong[0].level]}: {wrong[0].text!r}"
    tail = "; ".join(repr(r.text) for r in recs[-3:])
    return False, f"not logged ({len(recs)} lines logged in this step" + \
        (f", the last: {tail})" if recs else ")")


def check_dmesg_lacks(e: Expectation, o: Observed) -> tuple[bool, str]:
    for rec in o.printk():
        if str(e.value) in rec.text and _level_ok(e, rec):
            return False, f"logged at {LEVEL_NAMES[rec.level]}: {rec.text!r}"
    return True, "no such line was logged"


def check_goto(e: Expectation, o: Observed) -> tuple[bool, str]:
    labels = [ev.label for ev in o.new_events() if isinstance(ev, events.Jump)]
    seen = "gotos taken: " + ", ".join(labels) if labels else "no goto was taken"
    return e.value in labels, seen
