"""ERR_PTR and friends (include/linux/err.h).

The headers usually define these inline; the functions exist so a header
that declares them instead still links.  Pointers are unsigned 64-bit.
"""
from __future__ import annotations

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import U64, err_ptr, is_err, s64
from kmodgui.kernel.services import KCall


@kapi("ERR_PTR")
def ERR_PTR(k: KCall, error: int) -> int:
    return err_ptr(error)


@kapi("PTR_ERR")
def PTR_ERR(k: KCall, ptr: int) -> int:
    return s64(ptr)


@kapi("IS_ERR")
def IS_ERR(k: KCall, ptr: int) -> int:
    return 1 if is_err(ptr) else 0


@kapi("IS_ERR_OR_NULL")
def IS_ERR_OR_NULL(k: KCall, ptr: int) -> int:
    return 1 if (ptr & U64) == 0 or is_err(ptr) else 0


@kapi("ERR_CAST")
def ERR_CAST(k: KCall, ptr: int) -> int:
    return ptr & U64


@kapi("PTR_ERR_OR_ZERO")
def PTR_ERR_OR_ZERO(k: KCall, ptr: int) -> int:
    return s64(ptr) if is_err(ptr) else 0
