"""Parsing numbers from strings (lib/kstrtox.c, lib/vsprintf.c simple_strto*).

kstrto*(): the whole string must be a number (one trailing newline is
allowed); base 0 detects 0x (hex) and 0 (octal); "+" is accepted; "-"
only by the signed variants.  -EINVAL for junk, -ERANGE for overflow;
the result is written only on success.
"""
from __future__ import annotations

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import EINVAL, ERANGE, U64
from kmodgui.kernel.services import KCall


def _radix(s: bytes, base: int) -> tuple[bytes, int]:
    """_parse_integer_fixup_radix()."""
    if base == 0:
        if s[:1] == b"0":
            base = 16 if s[1:2].lower() == b"x" and _digit(s[2:3], 16) else 8
        else:
            base = 10
    if base == 16 and s[:1] == b"0" and s[1:2].lower() == b"x":
        s = s[2:]
    return s, base


def _digit(c: bytes, base: int) -> bool:
    return bool(c) and c.decode("latin-1").lower() in "0123456789abcdef"[:base]


def _parse(s: bytes, base: int) -> tuple[int, int, bool]:
    """_parse_integer(): (value, chars used, overflowed)."""
    value, used, over = 0, 0, False
    while used < len(s) and _digit(s[used:used + 1], base):
        value = value * base + int(chr(s[used]), 16)
        if value > U64:
            over = True
        used += 1
    return value & U64, used, over


def parse_ull(s: bytes, base: int) -> int | tuple[int]:
    """_kstrtoull(): the value, or (-errno,)."""
    if s[:1] == b"+":
        s = s[1:]
    s, base = _radix(s, base)
    value, used, over = _parse(s, base)
    if over:
        return (-ERANGE,)
    if used == 0:
        return (-EINVAL,)
    rest = s[used:]
    if rest[:1] == b"\n":
        rest = rest[1:]
    return (-EINVAL,) if rest else value


def parse_ll(s: bytes, base: int) -> int | tuple[int]:
    """kstrtoll(): a leading '-' is allowed."""
    if s[:1] == b"-":
        v = parse_ull(s[1:], base)
        if isinstance(v, tuple):
            return v
        return (-ERANGE,) if v > 1 << 63 else -v
    v = parse_ull(s, base)
    if isinstance(v, tuple):
        return v
    return (-ERANGE,) if v >= 1 << 63 else v


# (bits, signed) of each kstrto* result
_KINDS = {
    "kstrtoull": (64, False), "kstrtoul": (64, False), "kstrtouint": (32, False),
    "kstrtou16": (16, False), "kstrtou8": (8, False),
    "kstrtoll": (64, True), "kstrtol": (64, True), "kstrtoint": (32, True),
    "kstrtos16": (16, True), "kstrtos8": (8, True),
}


def kstrto(k: KCall, s: int, base: int, res: int, bits: int, signed: bool) -> int:
    text = k.mem.read_cstring(s)
    v = parse_ll(text, base) if signed else parse_ull(text, base)
    if isinstance(v, tuple):
        return v[0]
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if not lo <= v <= hi:
        return -ERANGE
    k.mem.write_int(res, bits // 8, v)
    return 0


def _make(name: str, bits: int, signed: bool) -> None:
    def impl(k: KCall, s: int, base: int, res: int) -> int:
        return kstrto(k, s, base, res, bits, signed)
    impl.__name__ = name
    impl.__doc__ = f"{name}(s, base, res): 0 or -EINVAL/-ERANGE."
    globals()[name] = kapi(name)(impl)      # kstrtox.kstrtoint etc. for Python callers


for _name, (_bits, _signed) in _KINDS.items():
    _make(_name, _bits, _signed)


@kapi("kstrtobool")
def kstrtobool(k: KCall, s: int, res: int) -> int:
    """y/Y/1/on -> true, n/N/0/off -> false (first characters decide)."""
    text = k.mem.read_cstring(s) if s else b""
    c0, c1 = text[:1].lower(), text[1:2].lower()
    value = {b"y": 1, b"1": 1, b"n": 0, b"0": 0}.get(c0)
    if c0 == b"o":
        value = {b"n": 1, b"f": 0}.get(c1)
    if value is None:
        return -EINVAL
    k.mem.write_int(res, 1, value)
    return 0


def _simple(k: KCall, cp: int, endp: int, base: int) -> int:
    """simple_strtoull(): parse what parses, set *endp, never fail."""
    text = k.mem.read_cstring(cp)
    rest, base = _radix(text, base)
    value, used, _ = _parse(rest, base)
    if endp:
        k.mem.write_int(endp, 8, cp + (len(text) - len(rest)) + used)
    return value


@kapi("simple_strtoul")
def simple_strtoul(k: KCall, cp: int, endp: int, base: int) -> int:
    return _simple(k, cp, endp, base)


@kapi("simple_strtoull")
def simple_strtoull(k: KCall, cp: int, endp: int, base: int) -> int:
    return _simple(k, cp, endp, base)


@kapi("simple_strtol")
def simple_strtol(k: KCall, cp: int, endp: int, base: int) -> int:
    if k.mem.read_int(cp, 1) == ord("-"):
        return -_simple(k, cp + 1, endp, base) & U64
    return _simple(k, cp, endp, base)
