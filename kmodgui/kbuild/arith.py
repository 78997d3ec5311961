"""Integer arithmetic as x86_64 does it, specialised for speed.

Values are kept wrapped to their C type; these helpers build the closures
for the hot operators (+, -, comparisons) with the wrap inlined, and the
C rules Python lacks (division truncating toward zero).
"""
from __future__ import annotations

import operator

from kmodgui.kbuild.ctype import CType, IntType, PointerType
from kmodgui.kbuild.values import E

ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul,
          "&": operator.and_, "|": operator.or_, "^": operator.xor}
CMP = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge,
        "==": operator.eq, "!=": operator.ne}


def fits(src: CType, dst: CType) -> bool:
    """Every value of src is a value of dst: no wrapping needed."""
    if isinstance(src, PointerType) and isinstance(dst, PointerType):
        return True
    if not isinstance(src, IntType) or not isinstance(dst, IntType) or dst.is_bool:
        return False
    if src.is_bool:
        return True
    if src.signed == dst.signed:
        return dst.size >= src.size
    return not src.signed and dst.size > src.size


def fast_addsub(op: str, fa, fb, t: IntType):
    bits = 8 * t.size
    mask = (1 << bits) - 1
    if t.signed:
        half = 1 << (bits - 1)
        if op == "+":
            return E(lambda fr: ((fa(fr) + fb(fr) + half) & mask) - half, t)
        return E(lambda fr: ((fa(fr) - fb(fr) + half) & mask) - half, t)
    if op == "+":
        return E(lambda fr: (fa(fr) + fb(fr)) & mask, t)
    return E(lambda fr: (fa(fr) - fb(fr)) & mask, t)


def fast_cmp(op: str, fa, fb, bconst):
    """Comparisons of signed values (already wrapped): no conversion needed."""
    if bconst is not None:
        c = bconst
        return {"<": lambda fr: 1 if fa(fr) < c else 0, ">": lambda fr: 1 if fa(fr) > c else 0,
                "<=": lambda fr: 1 if fa(fr) <= c else 0, ">=": lambda fr: 1 if fa(fr) >= c else 0,
                "==": lambda fr: 1 if fa(fr) == c else 0,
                "!=": lambda fr: 1 if fa(fr) != c else 0}[op]
    return {"<": lambda fr: 1 if fa(fr) < fb(fr) else 0, ">": lambda fr: 1 if fa(fr) > fb(fr) else 0,
            "<=": lambda fr: 1 if fa(fr) <= fb(fr) else 0,
            ">=": lambda fr: 1 if fa(fr) >= fb(fr) else 0,
            "==": lambda fr: 1 if fa(fr) == fb(fr) else 0,
            "!=": lambda fr: 1 if fa(fr) != fb(fr) else 0}[op]


def cdiv(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def cmod(a: int, b: int) -> int:
    return a - b * cdiv(a, b)


def divide(op: str, fa, fb, t: CType, wrap):
    """x86 div/idiv for `/` and `%`.  The CPU raises #DE (the kernel's
    divide error oops) for a zero divisor and for the one quotient that does
    not fit its type: INT_MIN / -1 and LONG_MIN / -1 (and their `%`, the
    same instruction).  Constants are folded as gcc folds them (wrapped,
    with -Woverflow); fr is None then."""
    f = cdiv if op == "/" else cmod
    unsigned = isinstance(t, IntType) and not t.signed
    most_negative = -(1 << (8 * t.size - 1)) if isinstance(t, IntType) and t.signed else None

    def div(fr):
        x, y = fa(fr), fb(fr)
        if unsigned:
            x, y = wrap(x), wrap(y)
        if fr is not None and y == 0:
            fr.cpu.divide_error(fr, "division by zero")
        if fr is not None and y == -1 and x == most_negative:
            fr.cpu.divide_error(fr, f"{x} {op} -1 does not fit the {8 * t.size}-bit result")
        return wrap(f(x, y))
    return div
