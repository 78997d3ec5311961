"""The resource ledger: who acquired what, where, when, and its release.

The real kernel keeps no such book; it is the simulator's way of showing the
lesson's rule "exit undoes all that init did, in reverse order".  Each
acquisition (kmalloc, register_chrdev, class_create, register_this, ...)
opens an entry keyed by (kind, key) -- the key is what the release call
names (an address, a major number, a name).  A release closes it and is
judged: in reverse order or not, double, or of something never acquired.
"""
from __future__ import annotations

from dataclasses import dataclass

from kmodgui.kernel.events import (ResourceAcquired, ResourceProblem,
                                   ResourceReleased, Site, Trace)


@dataclass(slots=True)
class Resource:
    rid: int
    kind: str
    key: object
    name: str
    owner: str
    site: Site | None
    api: str
    acquired_ts: int
    released_ts: int | None = None
    released_by: str | None = None
    released_site: Site | None = None
    pid: int = 0                     # the task that acquired it

    @property
    def held(self) -> bool:
        return self.released_ts is None


class Ledger:
    def __init__(self, trace: Trace, clock, current_pid=lambda: 0) -> None:
        self._trace = trace
        self._clock = clock          # callable -> ns
        self._pid = current_pid      # callable -> pid of the running task
        self._next = 1
        self.entries: list[Resource] = []
        self._held: dict[tuple[str, object], Resource] = {}
        self._released: dict[tuple[str, object], Resource] = {}

    def acquire(self, kind: str, key: object, name: str, owner: str,
                site: Site | None, api: str, pid: int = 0) -> Resource:
        res = Resource(self._next, kind, key, name, owner, site, api, self._clock(),
                       pid=pid or self._pid())
        self._next += 1
        self.entries.append(res)
        self._held[(kind, key)] = res
        self._released.pop((kind, key), None)
        self._trace.emit(ResourceAcquired(res.acquired_ts, res.rid, kind, name,
                                          owner, site, api))
        return res

    def find(self, kind: str, key: object) -> Resource | None:
        return self._held.get((kind, key))

    def release(self, kind: str, key: object, api: str, site: Site | None,
                releaser: str | None = None) -> Resource | None:
        """Close the entry; report a double release or an unknown one."""
        res = self._held.pop((kind, key), None)
        now = self._clock()
        if res is None:
            old = self._released.get((kind, key))
            problem = "double-release" if old else "never-acquired"
            self._trace.emit(ResourceProblem(now, problem, kind,
                                             old.name if old else str(key),
                                             releaser or "", site,
                                             old.rid if old else None))
            return None
        in_order = not any(r.owner == res.owner and r.acquired_ts >= res.acquired_ts
                           and r.rid > res.rid for r in self._held.values())
        res.released_ts = now
        res.released_by = api
        res.released_site = site
        self._released[(kind, key)] = res
        self._trace.emit(ResourceReleased(now, res.rid, kind, res.name, res.owner,
                                          site, api, in_order))
        return res

    def held_by(self, owner: str) -> list[Resource]:
        return [r for r in self._held.values() if r.owner == owner]

    def report_leaks(self, owner: str) -> list[Resource]:
        """Leftovers after a failed init or an rmmod: emit one problem each."""
        leaks = sorted(self.held_by(owner), key=lambda r: r.rid)
        now = self._clock()
        for r in leaks:
            self._trace.emit(ResourceProblem(now, "leak", r.kind, r.name, r.owner,
                                             r.site, r.rid))
        return leaks
