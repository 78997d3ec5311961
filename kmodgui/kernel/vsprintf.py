"""The kernel's vsnprintf (lib/vsprintf.c), for printk, sprintf and friends.

`format(src, fmt, args)` turns a C format string and the promoted C
arguments (Python ints; pointers are addresses) into the bytes the real
kernel would produce.  `src` is a KCall, or a Memory (then the 6.1 dialect
is used).  Strings behind `%s` are read from simulated memory, so a bad
pointer faults exactly where the real kernel would.

Kernel behaviour kept on purpose where it differs from C's printf:
  * `%#x` of 0 is "0x0" and `%#o` of 0 is "00" (number() always adds the
    prefix); `%.0d` of 0 still prints "0"; the '0' flag is not cancelled by
    a precision ("%08.3d" of 5 is "00000005").
  * `%s` of NULL prints "(null)"; a pointer into the first page or an
    ERR_PTR prints "(efault)" (6.1 check_pointer()).  2.6.30 printed
    "<NULL>" for any pointer below PAGE_SIZE.
  * `%p` prints a hashed value in 6.1 (ptr_to_id(): 32 bits of a keyed
    hash, zero-padded to 16 hex digits); NULL and ERR_PTRs print raw.
    2.6.30 prints the raw address.  Every letter or digit right after
    `%p` is an extension name and is swallowed, as vsnprintf() does.
  * `%n` stores the count of bytes so far in 2.6.30; later kernels treat
    it as unknown.
  * An unknown conversion (`%q`, `%n`, `%jd`, ...) ends the output there:
    vsnprintf() marks it FORMAT_TYPE_INVALID and stops.  6.1's
    format_decode() warns the first time (WARN_ONCE: "Please remove
    unsupported %n in format string", with its WARNING block, taint W)
    when the caller is kernel code run by a module.
  * Missing arguments read as 0 (the real kernel reads stack garbage).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterator, Sequence

PAGE_SIZE = 4096
MAX_ERRNO = 4095

# printf_spec flags (lib/vsprintf.c)
ZEROPAD, SIGN, PLUS, SPACE, LEFT, SMALL, SPECIAL = 1, 2, 4, 8, 16, 32, 64

_FLAG_CHARS = {ord("-"): LEFT, ord("+"): PLUS, ord(" "): SPACE,
               ord("#"): SPECIAL, ord("0"): ZEROPAD}
# length qualifier -> (bits of the promoted argument)
_QUAL_BITS = {"": 32, "hh": 8, "h": 16, "l": 64, "ll": 64, "L": 64,
              "z": 64, "Z": 64, "t": 64}
_HASH_KEY = b"kmodsim ptr_key"   # fixed siphash key stand-in: stable output

ERRNO_NAMES = {
    1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO",
    7: "E2BIG", 8: "ENOEXEC", 9: "EBADF", 10: "ECHILD", 11: "EAGAIN",
    12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 15: "ENOTBLK", 16: "EBUSY",
    17: "EEXIST", 18: "EXDEV", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR",
    22: "EINVAL", 23: "ENFILE", 24: "EMFILE", 25: "ENOTTY", 26: "ETXTBSY",
    27: "EFBIG", 28: "ENOSPC", 29: "ESPIPE", 30: "EROFS", 31: "EMLINK",
    32: "EPIPE", 33: "EDOM", 34: "ERANGE", 38: "ENOSYS", 95: "EOPNOTSUPP",
    110: "ETIMEDOUT", 512: "ERESTARTSYS", 524: "ENOTSUPP",
}


@dataclass
class Spec:
    flags: int = 0
    width: int = -1
    precision: int = -1
    qualifier: str = ""
    #: bytes of this conversion that can still land in the buffer: padding
    #: past them is dropped (vsnprintf() counts it without storing it)
    room: int = 1 << 62


class _Source:
    """What formatting needs from the caller: memory and the dialect."""

    def __init__(self, src: object, via: Sequence[str] = ()) -> None:
        self.src = src
        self.via = via       # the kernel frames that called vsnprintf, for a WARN
        self.mem = getattr(src, "mem", src)
        kernel = getattr(src, "kernel", None)
        profile = getattr(kernel, "profile", None)
        # lib/vsprintf.c check_pointer() ("(null)", "(efault)") or the older raw reads
        self.old = profile is not None and not profile.kernel["switches"]["vsprintf_check_pointer"]
        #: %n still writes the count (removed in 3.x, a WARN_ONCE in 6.1)
        self.stores_count = profile is not None and \
            profile.kernel["switches"].get("vsprintf_percent_n_stores", False)

    def invalid(self, conv: str) -> None:
        """format_decode()'s default case: WARN_ONCE(1, "Please remove
        unsupported %%%c in format string\n", *fmt) (one flag per boot)."""
        src = self.src
        kernel = getattr(src, "kernel", None)
        profile = getattr(kernel, "profile", None)
        task = getattr(src, "task", None)
        if profile is None or task is None or \
                not profile.kernel["switches"].get("vsprintf_warn_invalid", False):
            return
        done = kernel.names.setdefault("warned_once", {})
        if "format_decode" in done:
            return
        done["format_decode"] = True
        site, func = profile.kernel["where"]["format_decode"]
        off, size = profile.kernel["where_offsets"]["format_decode"]
        module = getattr(src, "module", None)
        from kmodgui.kernel import panic     # panic reports print with vsprintf too
        panic.warn(kernel, task, site, func, getattr(module, "name", None),
                   f"Please remove unsupported %{conv} in format string", off=off, size=size,
                   callers=tuple(self.via))

    def read_string(self, addr: int, limit: int) -> bytes:
        """Bytes of a C string (at most `limit` if limit >= 0)."""
        if limit < 0:
            return self.mem.read_cstring(addr)
        out = bytearray()
        while len(out) < limit:
            c = self.mem.read_int(addr + len(out), 1)
            if c == 0:
                break
            out.append(c)
        return bytes(out)

    def symbol(self, addr: int) -> tuple[str, int, str | None] | None:
        """(name, size, module name) of a function address, if known."""
        desc = getattr(self.mem, "functions", {}).get(addr)
        if desc is None:
            return None
        fn = getattr(desc, "fn", None)            # a module function (FuncRef)
        if fn is not None:
            size = max((getattr(fn, "code_size", 16) + 15) // 16 * 16, 0x10)
            return fn.name, size, getattr(desc.inst, "name", None)
        name = getattr(desc, "name", None)        # a kernel function (KapiFunc)
        if not isinstance(name, str):
            return None
        return name, 0x40, None


#: vsnprintf() called by printk(), as the 6.1 WARN trace shows it
VIA_PRINTK = ("vsnprintf+0x6d/0x550", "vprintk_store+0x1c1/0x520",
              "vprintk_emit+0xec/0x290", "_printk+0x68/0x83")


def format(src: object, fmt: bytes, args: Sequence[int],
           via: Sequence[str] = ("vsnprintf+0x6d/0x550",), limit: int | None = None) -> bytes:
    """vsnprintf(): the formatted bytes, all of them, or with `limit` (the
    buffer's size) at least the first `limit` bytes, the same ones: a field
    width or precision pads only as far as the buffer reaches, as
    vsnprintf()'s `if (buf < end)` stores no more (it still decodes every
    conversion, so warnings and %n happen as without the limit).
    via: the kernel frames from vsnprintf up to the module's call."""
    ctx = _Source(src, via)
    it: Iterator[int] = iter(args)
    out = bytearray()
    i, n = 0, len(fmt)
    room = (1 << 62) if limit is None else limit
    while i < n:
        pct = fmt.find(b"%", i)
        if pct < 0:
            out += fmt[i:]
            break
        out += fmt[i:pct]
        i, ok = _conversion(ctx, fmt, pct + 1, it, out, max(room - len(out), 0))
        if not ok:
            break
    return bytes(out)


def _next(it: Iterator[int]) -> int:
    return int(next(it, 0))


def _conversion(ctx: _Source, fmt: bytes, i: int, it: Iterator[int],
                out: bytearray, room: int = 1 << 62) -> tuple[int, bool]:
    """format_decode() + the output of one conversion; (next index, ok)."""
    spec = Spec(room=room)
    n = len(fmt)
    while i < n and fmt[i] in _FLAG_CHARS:
        spec.flags |= _FLAG_CHARS[fmt[i]]
        i += 1
    i = _width(fmt, i, it, spec)
    i = _precision(fmt, i, it, spec)
    i = _qualifier(fmt, i, spec)
    if i >= n:
        return i, False
    conv = chr(fmt[i])
    i += 1
    if conv == "%":
        out += b"%"
    elif conv == "c":
        out += _widen(bytes([_next(it) & 0xFF]), spec)
    elif conv == "s":
        out += _string(ctx, _next(it) & (2**64 - 1), spec)
    elif conv == "p":
        ext_start = i
        while i < n and chr(fmt[i]).isalnum():
            i += 1
        out += _pointer(ctx, fmt[ext_start:i].decode("latin-1"),
                        _next(it) & (2**64 - 1), spec)
    elif conv in "diuxXo":
        out += _integer(conv, _next(it), spec)
    elif conv == "n" and ctx.stores_count:
        # 2.6.30 FORMAT_TYPE_NRCHARS: the bytes so far, stored through the
        # pointer as a long (l), size_t (z, Z) or int
        size = 8 if spec.qualifier in ("l", "z", "Z") else 4
        ctx.mem.write_int(_next(it) & (2**64 - 1), size, len(out))
    else:
        ctx.invalid(conv)
        return i, False          # FORMAT_TYPE_INVALID: vsnprintf stops
    return i, True


#: struct printf_spec keeps the width in 24 signed bits and the precision in
#: 16: set_field_width()/set_precision() clamp larger values (after a
#: WARN_ONCE on a real kernel, which the simulator does not print)
FIELD_WIDTH_MAX = (1 << 23) - 1
PRECISION_MAX = (1 << 15) - 1


def _width(fmt: bytes, i: int, it: Iterator[int], spec: Spec) -> int:
    if i < len(fmt) and fmt[i] == ord("*"):
        w = _signed(_next(it), 32)
        if w < 0:
            spec.flags |= LEFT
            w = -w
        spec.width = min(w, FIELD_WIDTH_MAX)
        return i + 1
    j = i
    while j < len(fmt) and chr(fmt[j]).isdigit():
        j += 1
    if j > i:
        spec.width = min(_skip_atoi(fmt[i:j]), FIELD_WIDTH_MAX)
    return j


def _skip_atoi(digits: bytes) -> int:
    """skip_atoi() accumulates in an int: a very long digit string wraps."""
    value = 0
    for d in digits:
        value = (value * 10 + d - 48) & 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def _precision(fmt: bytes, i: int, it: Iterator[int], spec: Spec) -> int:
    if i >= len(fmt) or fmt[i] != ord("."):
        return i
    i += 1
    if i < len(fmt) and fmt[i] == ord("*"):
        spec.precision = min(max(0, _signed(_next(it), 32)), PRECISION_MAX)
        return i + 1
    j = i
    while j < len(fmt) and chr(fmt[j]).isdigit():
        j += 1
    if j > i:
        spec.precision = min(max(0, _skip_atoi(fmt[i:j])), PRECISION_MAX)
    return j


def _qualifier(fmt: bytes, i: int, spec: Spec) -> int:
    if i < len(fmt) and chr(fmt[i]) in "hlLzZt":
        q = chr(fmt[i])
        i += 1
        if q in "hl" and i < len(fmt) and chr(fmt[i]) == q:
            q += q
            i += 1
        spec.qualifier = q
    return i


def _signed(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _integer(conv: str, value: int, spec: Spec) -> bytes:
    bits = _QUAL_BITS[spec.qualifier]
    base = {"o": 8, "x": 16, "X": 16}.get(conv, 10)
    if conv == "x":
        spec.flags |= SMALL
    if conv in "di":
        spec.flags |= SIGN
        value = _signed(value, bits)
    else:
        value &= (1 << bits) - 1
    return number(value, base, spec)


def number(num: int, base: int, spec: Spec) -> bytes:
    """lib/vsprintf.c number(): sign, prefix, padding, precision."""
    flags = spec.flags
    if flags & LEFT:
        flags &= ~ZEROPAD
    width = spec.width
    sign = ""
    if flags & SIGN:
        if num < 0:
            sign, num = "-", -num
        elif flags & PLUS:
            sign = "+"
        elif flags & SPACE:
            sign = " "
    if sign:
        width -= 1
    need_pfx = bool(flags & SPECIAL) and base != 10
    if need_pfx:
        width -= 2 if base == 16 else 1
    digits = _digits(num, base, bool(flags & SMALL))
    precision = max(spec.precision, len(digits))
    width -= precision
    room = spec.room
    parts = []
    if not flags & (ZEROPAD | LEFT):
        parts.append(" " * min(max(width, 0), room))
        width = 0
    parts.append(sign)
    if need_pfx:
        parts.append("0" + ("x" if flags & SMALL else "X") if base == 16 else "0")
    if not flags & LEFT:
        parts.append(("0" if flags & ZEROPAD else " ") * min(max(width, 0), room))
        width = 0
    parts.append("0" * (precision - len(digits)) + digits)
    parts.append(" " * min(max(width, 0), room))
    return "".join(parts).encode("ascii")


def _digits(num: int, base: int, small: bool) -> str:
    s = {8: "%o", 10: "%d", 16: "%X"}[base] % num
    return s.lower() if small else s


def _widen(body: bytes, spec: Spec) -> bytes:
    """widen_string(): pad with spaces to the field width."""
    pad = min(spec.width - len(body), spec.room)
    if pad <= 0:
        return body
    return body + b" " * pad if spec.flags & LEFT else b" " * pad + body


def _is_err(addr: int) -> bool:
    return addr >= 2**64 - MAX_ERRNO


def _string(ctx: _Source, addr: int, spec: Spec) -> bytes:
    """string(): check_pointer() then copy at most `precision` bytes."""
    if addr < PAGE_SIZE or (_is_err(addr) and not ctx.old):
        # error_string(): the message itself obeys the precision.
        # 2.6.30 string() only knew "< PAGE_SIZE -> <NULL>" (recalled, not
        # verified against a 2.6.30 tree); ERR_PTRs were dereferenced.
        if ctx.old:
            text = b"<NULL>"
        else:
            text = b"(null)" if addr == 0 else b"(efault)"
        return _widen(text[:spec.precision] if spec.precision >= 0 else text, spec)
    return _widen(ctx.read_string(addr, spec.precision), spec)


def _pointer(ctx: _Source, ext: str, addr: int, spec: Spec) -> bytes:
    """pointer(): %p and its extensions."""
    kind = ext[:1]
    # %pF/%pf (function descriptors) were folded into %pS/%ps in 5.x
    if kind in ("S", "s", "B") or (ctx.old and kind in ("F", "f")):
        return _widen(_symbol(ctx, addr, kind not in ("s", "f")), spec)
    if kind == "x":
        return _raw_pointer(addr, spec)
    if kind == "e" and not ctx.old and _is_err(addr):
        return _widen(_error_name(addr), spec)
    if kind == "h" and not ctx.old:
        return _hex_string(ctx, ext, addr, spec)
    if kind == "a" and addr >= PAGE_SIZE:
        value = ctx.mem.read_int(addr, 8)
        return number(value, 16, Spec(SPECIAL | SMALL | ZEROPAD, 18, -1))
    if ctx.old:
        if addr == 0:
            return _widen(b"(null)", spec)
        return _raw_pointer(addr, spec)
    if addr == 0 or _is_err(addr):
        return _raw_pointer(addr, spec)
    return _raw_pointer(ptr_hash(addr), spec)


def _hex_string(ctx: _Source, ext: str, addr: int, spec: Spec) -> bytes:
    """hex_string() in lib/vsprintf.c: %*ph prints `width` bytes (1 without
    a width, at most 64) as lowercase hex, separated by ' ', or ':' (C), '-'
    (D), nothing (N); a bad pointer is check_pointer()'s "(null)"."""
    if spec.width == 0:
        return b""
    if addr < PAGE_SIZE or _is_err(addr):
        return _widen(b"(null)" if addr == 0 else b"(efault)", spec)
    sep = {"C": ":", "D": "-", "N": ""}.get(ext[1:2], " ")
    count = min(spec.width, 64) if spec.width > 0 else 1
    return sep.join(f"{b:02x}" for b in ctx.mem.read_bytes(addr, count)).encode()


def _raw_pointer(addr: int, spec: Spec) -> bytes:
    """pointer_string(): lowercase hex, 16 digits zero-padded by default."""
    spec.flags |= SMALL
    if spec.width == -1:
        spec.width = 16
        spec.flags |= ZEROPAD
    return number(addr, 16, spec)


def ptr_hash(addr: int) -> int:
    """ptr_to_id(): what a 6.1 kernel shows for %p (32 bits of a keyed hash)."""
    digest = hashlib.blake2b(addr.to_bytes(8, "little"), key=_HASH_KEY,
                             digest_size=4).digest()
    return int.from_bytes(digest, "little")


def _symbol(ctx: _Source, addr: int, offset: bool) -> bytes:
    """sprint_symbol(): "func+0x0/0x40 [mod]", or the raw "0x..." address."""
    sym = ctx.symbol(addr)
    if sym is None:
        return f"{addr:#x}".encode()
    name, size, mod = sym
    text = f"{name}+0x0/{size:#x}" if offset else name
    if mod:
        text += f" [{mod}]"
    return text.encode()


def _error_name(addr: int) -> bytes:
    """%pe of an ERR_PTR: "-ENOMEM", or the decimal errno if it has no name."""
    err = _signed(addr, 64)
    if -MAX_ERRNO <= err < 0 and -err in ERRNO_NAMES:
        return f"-{ERRNO_NAMES[-err]}".encode()
    return str(err).encode()
