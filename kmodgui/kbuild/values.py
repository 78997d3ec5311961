"""Compile-time helpers for values: wrapping, loads, stores, literals.

The compiled code keeps every C scalar as a Python int already wrapped to
its type's width (two's complement for signed types), so a comparison or a
printk("%d") sees exactly what x86_64 code would.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from kmodgui.kbuild.ctype import (CType, IntType, PointerType, INT, UINT, LONG,
                                  ULONG, LLONG, ULLONG, CHAR, INT128)

Fn = Callable[[object], int]


@dataclass
class E:
    """A compiled expression: closure, C type, and its value if constant."""
    fn: Fn
    ctype: CType
    const: int | None = None


def wrap_fn(t: CType) -> Callable[[int], int]:
    if isinstance(t, IntType):
        if t.is_bool:
            return lambda v: 1 if v else 0
        bits = 8 * t.size
        mask = (1 << bits) - 1
        if t.signed:
            half = 1 << (bits - 1)
            return lambda v: ((v + half) & mask) - half
        return lambda v: v & mask
    if isinstance(t, PointerType):
        return lambda v: v & 0xFFFFFFFFFFFFFFFF
    return lambda v: v


def wrap_const(t: CType, v: int) -> int:
    return wrap_fn(t)(v)


def const(v: int, t: CType) -> E:
    v = wrap_const(t, v)
    return E(lambda fr: v, t, v)


def load_fn(addr: Fn, t: CType) -> Fn:
    """Read an object of type t at the address computed by addr."""
    if isinstance(t, IntType):
        size, signed = t.size, t.signed
        if t.is_bool:
            return lambda fr: 1 if fr.m.read_int(addr(fr), 1, False) else 0
        return lambda fr: fr.m.read_int(addr(fr), size, signed)
    if isinstance(t, PointerType):
        return lambda fr: fr.m.read_int(addr(fr), 8, False)
    return addr  # arrays, structs, functions: the value is the address


def store_fn(addr: Fn, t: CType) -> Callable[[object, int], None]:
    size = t.size
    if isinstance(t, IntType) and t.is_bool:
        return lambda fr, v: fr.m.write_int(addr(fr), 1, 1 if v else 0)
    return lambda fr, v: fr.m.write_int(addr(fr), size, v)


#: cpp evaluates integer constants in intmax_t's 64 bits (libcpp/expr.cc,
#: cpp_interpret_integer()); a decimal constant wider than that wraps and is
#: "too large for its type"
_CPP_BITS = 64


def int_literal(text: str) -> tuple[int, CType]:
    """C integer constant with its type (C11 6.4.4.1)."""
    v, t, _ = int_literal_checked(text)
    return v, t


def int_literal_checked(text: str) -> tuple[int, CType, bool]:
    """The constant, its type, and whether it overflowed cpp's 64 bits."""
    s = text.lower()
    suffix = ""
    while s and s[-1] in "ul":
        suffix = s[-1] + suffix
        s = s[:-1]
    over = False
    if s.startswith("0x"):
        v, decimal = int(s, 16), False
    elif s.startswith("0b"):
        v, decimal = int(s[2:], 2), False
    elif len(s) > 1 and s.startswith("0"):
        v, decimal = int(s, 8), False
    else:
        (v, over), decimal = _decimal(s), True
    if v >> _CPP_BITS:
        over, v = True, v & ((1 << _CPP_BITS) - 1)
    unsigned = "u" in suffix
    nl = suffix.count("l")
    order = [INT, UINT, LONG, ULONG, LLONG, ULLONG]
    if nl == 1:
        order = [LONG, ULONG, LLONG, ULLONG]
    elif nl >= 2:
        order = [LLONG, ULLONG]
    for t in order:
        if unsigned and t.signed:
            continue
        if decimal and not unsigned and not t.signed:
            continue
        if v < (1 << (8 * t.size - (1 if t.signed else 0))):
            return v, t, over
    # c-lex.cc, interpret_integer(): what fits no type of the list takes
    # the widest integer type
    return v, INT128 if over else ULLONG, over


def _decimal(digits: str) -> tuple[int, bool]:
    """A decimal constant of any length read as cpp reads it: wrapped to 64
    bits, with whether it overflowed (no digit-count limit applies)."""
    mask = (1 << _CPP_BITS) - 1
    v, over = 0, False
    for i in range(0, len(digits), 18):
        chunk = digits[i:i + 18]
        v = v * 10 ** len(chunk) + int(chunk)
        over = over or v > mask
        v &= mask
    return v, over


_ESC = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34, "a": 7,
        "b": 8, "f": 12, "v": 11, "e": 27, "?": 63}


def unescape(body: str) -> bytes:
    """Decode the inside of a C string or char literal to bytes."""
    if "\\" not in body:
        return body.encode("utf-8", "surrogateescape")
    out = bytearray()
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8", "surrogateescape")
            i += 1
            continue
        i += 1
        c = body[i] if i < n else "\\"
        if c in "01234567":
            j = i
            while j < n and j < i + 3 and body[j] in "01234567":
                j += 1
            out.append(int(body[i:j], 8) & 0xFF)
            i = j
        elif c == "x":
            j = i + 1
            while j < n and body[j] in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 1:
                raise BadEscape("\\x used with no following hex digits", body[i - 1:])
            out.append(int(body[i + 1:j], 16) & 0xFF)
            i = j
        else:
            out.append(_ESC.get(c, ord(c)))
            i += 1
    return bytes(out)


class BadEscape(ValueError):
    """An escape cpp refuses (libcpp/charset.cc, convert_hex()); `rest` is
    the literal's text from the escape to its end."""

    def __init__(self, message: str, rest: str) -> None:
        super().__init__(message)
        self.rest = rest


def string_literal(text: str) -> bytes:
    """pycparser joins adjacent literals into one token: "a" "b" -> "ab".
    A u8"..." literal is a plain char array (C11 6.4.5)."""
    if text.startswith("u8"):
        text = text[2:]
    if not text.startswith('"'):
        raise ValueError(f"wide string literal {text[:1]}\"...\"")
    return unescape(text[1:-1]) + b"\0"


def char_literal(text: str) -> int:
    b = unescape(text[1:-1])
    return CHAR.wrap(b[0]) if b else 0



# a string or char literal, or a comment (skipped): escapes are fixed in strings only
_LITERAL = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/"""
                      r"""|[A-Za-z_]\w*|\.?[0-9](?:[eEpP][+-]|[\w.])*""", re.S)
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)", re.S)


_LONG_NUMBER = re.compile(r"(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)")
_SHORT = 64      # digits: anything longer is shortened before the parser sees it


def short_number(token: str) -> str:
    """An integer constant of more than 64 characters as a short one with the
    same value, type and overflow (pycparser's lexer takes seconds and GBs
    on a million digits): past 64 bits, the wrapped value plus 2**64."""
    m = _LONG_NUMBER.fullmatch(token)
    if m is None or len(token) <= _SHORT:
        return token
    digits, suffix = m.groups()
    try:
        v, _, over = int_literal_checked(token)
    except ValueError:             # 0999: an octal constant with a bad digit
        return token[:_SHORT]      # still refused by the parser, where it stands
    if over:
        v += 1 << _CPP_BITS
    if digits[:2].lower() == "0x":
        return f"0x{v:x}{suffix}"
    if digits.startswith("0"):
        return f"0{v:o}{suffix}"
    return f"{v}{suffix}"


def normalize_escapes(text: str) -> str:
    """Rewrite escapes in string literals to 3-digit octal, and integer
    constants of more than 64 characters to short ones (short_number).

    pycparser joins adjacent literals by plain concatenation, so "\\1" "2"
    would become "\\12"; with every escape at full width the join is safe.
    """
    def fix_escape(m: "re.Match[str]") -> str:
        s = m.group(1)
        if not (s[0] == "x" or s[0] in "01234567") or s == "x":
            return m.group(0)      # \x with no digit: the compiler refuses it
        v = int(s[1:], 16) if s[0] == "x" else int(s, 8)
        return "\\%03o" % (v & 0xFF)

    def fix(m: "re.Match[str]") -> str:
        lit = m.group(0)
        if lit[:1].isdigit():
            return short_number(lit)
        return _ESCAPE.sub(fix_escape, lit) if lit.startswith('"') else lit
    return _LITERAL.sub(fix, text)
