"""The resource ledger: who acquired what, where, when, and its release.

The real kernel keeps no such book; it is the simulator's way of showing the
lesson's rule "exit undoes all that init did, in reverse order".  Each
acquisition (kmalloc, register_chrdev, class_create, register_this, ...)
opens an entry keyed by (kind, key) -- the key is what the release call
names (an address, a major number, a name).  A release closes it and is
judged: in reverse order or not, double, or of something never acquired.

The book keeps every entry still held, for as long as it is held: a module
that leaks keeps its memory allocated as the real kernel does, so that is
the simulated RAM's limit, and each entry costs the host a few hundred
bytes.  Of the released entries only the most recent RELEASED_KEPT stay
(a release of an older one is judged "never-acquired"), as KASAN knows a
double kfree() only while the object sits in its quarantine.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from kmodgui.kernel.events import (ResourceAcquired, ResourceProblem,
                                   ResourceReleased, Site, Trace)

#: released entries kept for judging double releases (and for views)
RELEASED_KEPT = 4096
#: distinct names and sites the book shares between its entries
SHARED_VALUES = 4096
_T = TypeVar("_T")

Key = tuple[str, object]


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
    left_behind: bool = False        # its owner was unloaded (or failed) holding it

    @property
    def held(self) -> bool:
        return self.released_ts is None


class Ledger:
    def __init__(self, trace: Trace, clock: Callable[[], int],
                 current_pid: Callable[[], int] = lambda: 0,
                 current_context: Callable[[], int] = lambda: 0) -> None:
        self._trace = trace
        self._clock = clock          # -> ns
        self._pid = current_pid      # -> pid of the running task
        self._context = current_context   # -> its execution context, 0: none
        self._next = 1
        self._held: dict[Key, Resource] = {}
        #: held entries by owner name: the loaded module's and those that
        #: earlier modules of that name left behind
        self._by_owner: dict[str, dict[int, Resource]] = {}
        #: held entries of the module of that name loaded now (or loading)
        self._live: dict[str, dict[int, Resource]] = {}
        self._released: OrderedDict[Key, Resource] = OrderedDict()
        self._shared: dict[object, object] = {}     # see _share

    def acquire(self, kind: str, key: object, name: str, owner: str,
                site: Site | None, api: str, pid: int = 0) -> Resource:
        name, site = self._share(name), self._share(site)
        res = Resource(self._next, kind, key, name, owner, site, api, self._clock(),
                       pid=pid or self._pid())
        self._next += 1
        shadowed = self._held.pop((kind, key), None)
        if shadowed is not None:
            self._unindex(shadowed)
        self._held[(kind, key)] = res
        self._by_owner.setdefault(owner, {})[res.rid] = res
        self._live.setdefault(owner, {})[res.rid] = res
        self._released.pop((kind, key), None)
        self._trace.emit(ResourceAcquired(res.acquired_ts, res.rid, kind, name,
                                          owner, site, api, self._context()))
        return res

    def _share(self, value: _T) -> _T:
        """One object for equal names and sites (a thousand leaks of the
        same kmalloc share one "kmalloc(128)" and one leak.c:28)."""
        if len(self._shared) >= SHARED_VALUES:
            self._shared.clear()
        return cast(_T, self._shared.setdefault(value, value))

    def _unindex(self, res: Resource) -> None:
        for index in (self._by_owner, self._live):
            mine = index.get(res.owner)
            if mine is not None:
                mine.pop(res.rid, None)
                if not mine:
                    del index[res.owner]

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
        self._unindex(res)
        # in reverse order: nothing its owner acquired later is still held
        later = self._live.get(res.owner, {})
        in_order = not any(r.acquired_ts >= res.acquired_ts and r.rid > res.rid
                           for r in later.values())
        res.released_ts = now
        res.released_by = api
        res.released_site = site
        self._released[(kind, key)] = res
        if len(self._released) > RELEASED_KEPT:
            self._released.popitem(last=False)
        self._trace.emit(ResourceReleased(now, res.rid, kind, res.name, res.owner,
                                          site, api, in_order))
        return res

    # -- views -------------------------------------------------------------------
    def held(self) -> list[Resource]:
        """Every entry still held, whoever owns it, oldest first."""
        return sorted(self._held.values(), key=lambda r: r.rid)

    def held_by(self, owner: str) -> list[Resource]:
        """What `owner` holds, including what earlier modules of that name
        left behind."""
        return list(self._by_owner.get(owner, {}).values())

    def left_behind(self) -> list[Resource]:
        """Held entries whose owner is gone (kmemleak's candidates)."""
        return [r for r in self.held() if r.left_behind]

    @property
    def entries(self) -> list[Resource]:
        """The book: every held entry and the most recent released ones."""
        return sorted([*self._held.values(), *self._released.values()],
                      key=lambda r: r.rid)

    # -- the owner goes away ---------------------------------------------------------
    def report_leaks(self, owner: str) -> list[Resource]:
        """Leftovers of the module being freed (a failed init or an rmmod):
        one problem each, once; from now on they are left behind."""
        mine = self._live.pop(owner, {})
        leaks = sorted(mine.values(), key=lambda r: r.rid)
        now = self._clock()
        for r in leaks:
            r.left_behind = True
            self._trace.emit(ResourceProblem(now, "leak", r.kind, r.name, r.owner,
                                             r.site, r.rid))
        return leaks
