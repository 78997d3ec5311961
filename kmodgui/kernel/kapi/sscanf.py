"""sscanf() as lib/vsprintf.c vsscanf() reads a string.

The kernel's own rules, not libc's: whitespace in the format matches any
run of whitespace (or none); %s and the integer conversions skip leading
whitespace, %c does not; an integer conversion needs a digit (after an
optional '-' for the signed ones) or the scan stops; numbers are parsed by
simple_strntoull() and truncated to the destination's size without an
overflow check; %n stores the characters consumed and is not counted.
The return value is the number of conversions stored.  %[ is not
supported here (the scan stops as at an invalid conversion).
"""
from __future__ import annotations

from typing import Callable

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import U64
from kmodgui.kernel.kapi.kstrtox import _parse, _radix
from kmodgui.kernel.services import KCall

_SPACE = b" \t\n\v\f\r"
SHRT_MAX, INT_MAX = 0x7FFF, 0x7FFFFFFF
# bytes stored for each conversion qualifier ('H' is "hh", 'L' is "ll")
_SIZE = {"H": 1, "h": 2, "l": 8, "L": 8, "z": 8, "": 4}


def _skip_spaces(s: bytes, i: int) -> int:
    while i < len(s) and s[i] in _SPACE:
        i += 1
    return i


def strntoull(s: bytes, i: int, max_chars: int, base: int) -> tuple[int, int]:
    """simple_strntoull(): (value, index after the digits used)."""
    rest, base = _radix(s[i:], base)
    prefix = len(s) - i - len(rest)
    if prefix >= max_chars:
        return 0, i + max_chars
    value, used, _ = _parse(rest[:max_chars - prefix], base)
    return value, i + prefix + used


def strntoll(s: bytes, i: int, max_chars: int, base: int) -> tuple[int, int]:
    """simple_strntoll(): a '-' counts as one of max_chars."""
    if s[i:i + 1] == b"-" and max_chars > 0:
        v, nxt = strntoull(s, i + 1, max_chars - 1, base)
        return -v & U64, nxt
    return strntoull(s, i, max_chars, base)


def _starts_number(s: bytes, i: int, base: int, signed: bool, width: int) -> bool:
    """vsscanf()'s check that an integer conversion has a digit to read."""
    digit = s[i:i + 1]
    if signed and digit == b"-":
        if width == 1:
            return False
        digit = s[i + 1:i + 2]
    if not digit:
        return False
    if base == 16:
        return digit in b"0123456789abcdefABCDEF"
    return digit.isdigit() and (base != 8 or digit <= b"7")


class _Scan:
    """One vsscanf() run: fmt and str positions, the stored count."""

    def __init__(self, text: bytes, fmt: bytes, store: Callable[[int, bytes], None],
                 args: list[int]) -> None:
        self.s, self.f, self.store, self.args = text, fmt, store, args
        self.si = self.fi = self.num = 0

    def next_arg(self) -> int:
        return self.args.pop(0) if self.args else 0

    def run(self) -> int:
        while self.fi < len(self.f) and self.step():
            pass
        return self.num

    def step(self) -> bool:
        """One format item; False when the scan stops."""
        s, f = self.s, self.f
        if f[self.fi] in _SPACE:
            self.fi = _skip_spaces(f, self.fi + 1)
            self.si = _skip_spaces(s, self.si)
        if self.fi >= len(f):
            return False
        if f[self.fi] != ord("%"):      # literal: must match exactly
            ok = self.si < len(s) and s[self.si] == f[self.fi]
            self.fi += 1
            self.si += 1
            return ok
        self.fi += 1
        if f[self.fi:self.fi + 1] == b"*":
            return self.suppressed()
        return self.conversion()

    def suppressed(self) -> bool:
        """%*...: skip format and input to their next whitespace."""
        if self.si >= len(self.s):
            return False
        while self.fi < len(self.f) and self.f[self.fi] not in _SPACE + b"%":
            if self.f[self.fi] == ord("["):
                return False
            self.fi += 1
        while self.si < len(self.s) and self.s[self.si] not in _SPACE:
            self.si += 1
        return True

    def width_and_qualifier(self) -> tuple[int, str]:
        f, width = self.f, -1
        if f[self.fi:self.fi + 1].isdigit():
            width = 0
            while f[self.fi:self.fi + 1].isdigit():
                width = width * 10 + f[self.fi] - 48
                self.fi += 1
        qual = ""
        c = chr(f[self.fi]) if self.fi < len(f) else ""
        if c in ("h", "l", "L", "z"):
            qual = c
            self.fi += 1
            if self.f[self.fi:self.fi + 1] == c.encode() and c in "hl":
                qual = "H" if c == "h" else "L"
                self.fi += 1
        return width, qual

    def conversion(self) -> bool:
        width, qual = self.width_and_qualifier()
        if width == 0 or self.fi >= len(self.f):
            return False
        conv = chr(self.f[self.fi])
        if conv == "n":                 # not counted in the return value
            self.fi += 1
            self.store(self.next_arg(), (self.si & 0xFFFFFFFF).to_bytes(4, "little"))
            return True
        if self.si >= len(self.s):
            return False
        self.fi += 1
        if conv == "c":
            return self.chars(1 if width < 0 else width)
        if conv == "s":
            return self.string(SHRT_MAX if width < 0 else width)
        if conv == "%":
            ok = self.s[self.si] == ord("%")
            self.si += 1
            return ok
        bases = {"o": (8, False), "x": (16, False), "X": (16, False),
                 "i": (0, True), "d": (10, True), "u": (10, False)}
        if conv not in bases:
            return False
        return self.integer(*bases[conv], width, qual)

    def chars(self, width: int) -> bool:
        start = self.si
        self.si += 1
        while width > 1 and self.si < len(self.s):
            self.si += 1
            width -= 1
        self.store(self.next_arg(), self.s[start:self.si])
        self.num += 1
        return True

    def string(self, width: int) -> bool:
        self.si = start = _skip_spaces(self.s, self.si)
        while self.si < len(self.s) and self.s[self.si] not in _SPACE and width:
            self.si += 1
            width -= 1
        self.store(self.next_arg(), self.s[start:self.si] + b"\0")
        self.num += 1
        return True

    def integer(self, base: int, signed: bool, width: int, qual: str) -> bool:
        self.si = _skip_spaces(self.s, self.si)
        if not _starts_number(self.s, self.si, base, signed, width):
            return False
        limit = width if width >= 0 else INT_MAX
        parse = strntoll if signed else strntoull
        value, self.si = parse(self.s, self.si, limit, base)
        size = _SIZE[qual]
        self.store(self.next_arg(), (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))
        self.num += 1
        return True


def vsscanf(text: bytes, fmt: bytes, args: list[int],
            store: Callable[[int, bytes], None]) -> int:
    """Scan text by fmt, storing each conversion at the next pointer of args."""
    return _Scan(text, fmt, store, list(args)).run()


@kapi("sscanf", variadic=True)
def sscanf(k: KCall, buf: int, fmt: int, *args: int) -> int:
    """sscanf(buf, fmt, ...): the number of conversions stored."""
    return vsscanf(k.mem.read_cstring(buf), k.mem.read_cstring(fmt), list(args),
                   k.mem.write_bytes)
