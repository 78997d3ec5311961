"""Static keys (kernel/jump_label.c), as Debian's 6.1 runs them.

A key is a `struct static_key` in the module's memory whose first word,
`enabled`, counts: 0 off, 1 on, n after n static_key_slow_inc().  The real
functions patch every static_branch_*() site of the key when the count
leaves or reaches 0 (jump_label_update()); the simulator's branches read
the count, so only the count changes here.  Misuse warns as the real
functions do (WARN_ON_ONCE: the first time per site and boot) and leaves
the count as they leave it.
"""
from __future__ import annotations

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import registry, s32, warn, where
from kmodgui.kernel.services import KCall


def _warn_once(k: KCall, site: str) -> None:
    """WARN_ON_ONCE(): the first hit of the source line per boot reports."""
    line = where(k, site)[0]
    done = registry(k, "warned_once")
    if line not in done:
        done[line] = True
        warn(k, site)


def _count(k: KCall, key: int) -> int:
    return s32(k.mem.read_int(key, 4))


def _set(k: KCall, key: int, v: int) -> None:
    k.mem.write_int(key, 4, v)


@kapi("static_key_count", gpl=True)
def static_key_count(k: KCall, key: int) -> int:
    """-1 (a first inc in progress) reads as 1."""
    n = _count(k, key)
    return n if n >= 0 else 1


@kapi("static_key_enable", gpl=True)
def static_key_enable(k: KCall, key: int, site: str = "static_key_enable") -> int:
    """static_key_enable_cpuslocked(): an enabled key stays as it is, with
    WARN_ON_ONCE(count != 1) for one enabled by static_key_slow_inc()."""
    n = _count(k, key)
    if n > 0:
        if n != 1:
            _warn_once(k, site)
        return 0
    if n == 0:
        _set(k, key, 1)
    return 0


@kapi("static_key_enable_cpuslocked", gpl=True)
def static_key_enable_cpuslocked(k: KCall, key: int) -> int:
    return static_key_enable(k, key, "static_key_enable_cpuslocked")


@kapi("static_key_disable", gpl=True)
def static_key_disable(k: KCall, key: int, site: str = "static_key_disable") -> int:
    """static_key_disable_cpuslocked(): only a count of 1 goes to 0; any
    other count than 0 is WARN_ON_ONCE(count != 0) and stays."""
    n = _count(k, key)
    if n != 1:
        if n != 0:
            _warn_once(k, site)
        return 0
    _set(k, key, 0)
    return 0


@kapi("static_key_disable_cpuslocked", gpl=True)
def static_key_disable_cpuslocked(k: KCall, key: int) -> int:
    return static_key_disable(k, key, "static_key_disable_cpuslocked")


@kapi("static_key_slow_inc", gpl=True)
def static_key_slow_inc(k: KCall, key: int) -> int:
    """static_key_slow_inc_cpuslocked(): one more user; false only when the
    count would overflow."""
    n = _count(k, key)
    if n + 1 > 0x7FFFFFFF:
        return 0
    _set(k, key, n + 1 if n >= 0 else 1)
    return 1


@kapi("static_key_slow_inc_cpuslocked", gpl=True)
def static_key_slow_inc_cpuslocked(k: KCall, key: int) -> int:
    return static_key_slow_inc(k, key)


@kapi("static_key_fast_inc_not_disabled", gpl=True)
def static_key_fast_inc_not_disabled(k: KCall, key: int) -> int:
    """Increments only a key that is already enabled."""
    n = _count(k, key)
    if n <= 0 or n + 1 > 0x7FFFFFFF:
        return 0
    _set(k, key, n + 1)
    return 1


@kapi("static_key_slow_dec", gpl=True)
def static_key_slow_dec(k: KCall, key: int, site: str = "static_key_slow_dec") -> int:
    """__static_key_slow_dec_cpuslocked(): one user fewer.  A key already
    at 0 is an underflow: static_key_dec_not_one()'s WARN_ON_ONCE(v == 0),
    and the count stays 0 (Debian's 6.1.192 has that check)."""
    n = _count(k, key)
    if n <= 0:
        _warn_once(k, site)
        return 0
    _set(k, key, n - 1)
    return 0


@kapi("static_key_slow_dec_cpuslocked", gpl=True)
def static_key_slow_dec_cpuslocked(k: KCall, key: int) -> int:
    return static_key_slow_dec(k, key, "static_key_slow_dec_cpuslocked")
