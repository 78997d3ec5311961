"""Fault injection: fail_function and fail-nth for the next insmod or rmmod.

A rule makes the N-th call of one kernel function (fail_function), or the
N-th fault-injectable call of any kind (like /proc/self/fail-nth), fail
with an errno.  Rules are armed by the next init_module/delete_module and
dropped when that syscall ends.  The kernel announces each forced failure
the way lib/fault-inject.c :: fail_dump() does.
"""
from __future__ import annotations

from dataclasses import dataclass

from kmodgui.kernel.events import Site


@dataclass
class FaultRule:
    func: str | None      # None: any fault-injectable call (fail-nth)
    nth: int              # 1-based
    errno: int            # positive
    seen: int = 0
    fired: bool = False

    def describe(self) -> str:
        what = self.func or "any injectable call"
        return f"call #{self.nth} of {what} fails with -{self.errno}"


class Faults:
    def __init__(self) -> None:
        self.pending: list[FaultRule] = []
        self.active: list[FaultRule] = []
        self.fired: list[tuple[FaultRule, str]] = []
        #: every fault-injectable call made while armed: (function, site)
        self.calls: list[tuple[str, Site | None]] = []
        self.armed = False

    def add(self, func: str | None, nth: int, errno: int) -> FaultRule:
        rule = FaultRule(func, max(nth, 1), abs(errno))
        self.pending.append(rule)
        return rule

    def clear(self) -> None:
        self.pending.clear()

    def arm(self) -> None:
        """A module syscall starts: pending rules apply to it."""
        self.active, self.pending = self.pending, []
        self.calls = []
        self.armed = True

    def disarm(self) -> list[FaultRule]:
        """The syscall ended: rules that never fired are returned, then dropped."""
        left = [r for r in self.active if not r.fired]
        self.active = []
        self.armed = False
        return left

    def check(self, func: str, site: Site | None = None) -> int | None:
        """Called before every fault-injectable kernel function."""
        if self.armed:
            self.calls.append((func, site))
        hit = None
        for r in self.active:
            if r.fired or (r.func is not None and r.func != func):
                continue
            r.seen += 1
            if r.seen == r.nth and hit is None:
                r.fired = True
                hit = r.errno
                self.fired.append((r, func))
        return hit
