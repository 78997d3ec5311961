"""The kernel's vsnprintf: C conversions, kernel quirks, pointers, strings."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kmodgui.kernel import memory, vsprintf
from kmodgui.kernel.memory import Memory, MemoryFault
from kmodgui.realkernel.compare import compare_file, render
from tests.kernel.kapi_fake import FakeKernel, FakeModule


def fmt(f: str, *args: int, src: object = None) -> str:
    return vsprintf.format(src or Memory(), f.encode(), list(args)).decode("latin-1")


def string_at(mem: Memory, text: bytes) -> int:
    reg = mem.map(len(text) + 1, memory.RODATA, "hi")
    reg.data[:len(text)] = text
    return reg.base


# -- plain integer conversions, checked against Python where C agrees --------
@pytest.mark.parametrize("spec", ["%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%i",
                                  "%8.3d", "%-8.3d|", "%+08d", "%.3d"])
@pytest.mark.parametrize("value", [0, 1, -1, 42, -42, 123456, -2147483648, 2147483647])
def test_signed_int_matches_c(spec: str, value: int) -> None:
    assert fmt(spec, value) == spec.replace("%i", "%d") % value


@given(st.integers(min_value=-(2**31), max_value=2**31 - 1),
       st.sampled_from(["%d", "%u", "%x", "%X", "%o", "%10d", "%-10x|", "%08X", "%#x",
                        "%#o", "%.5u"]))
def test_int_against_python(value: int, spec: str) -> None:
    """%u/%x/%o of an int reinterpret it as unsigned 32-bit."""
    unsigned = value & 0xFFFFFFFF
    py = spec.replace("%u", "%d").replace("%.5u", "%.5d")
    expected = py % (value if "d" in spec else unsigned)
    if spec == "%#o":
        expected = "0" + format(unsigned, "o")          # Python says 0o...
    if spec in ("%u", "%.5u"):
        expected = py % unsigned
    assert fmt(spec, value) == expected


@given(st.integers(min_value=-(2**63), max_value=2**64 - 1))
def test_long_conversions(value: int) -> None:
    as_unsigned = value & (2**64 - 1)
    as_signed = as_unsigned - 2**64 if as_unsigned >> 63 else as_unsigned
    assert fmt("%ld", value) == str(as_signed)
    assert fmt("%lld", value) == str(as_signed)
    assert fmt("%lu", value) == str(as_unsigned)
    assert fmt("%llx", value) == format(as_unsigned, "x")
    assert fmt("%zu", value) == str(as_unsigned)
    assert fmt("%zd", value) == str(as_signed)


def test_short_and_char_qualifiers_truncate() -> None:
    assert fmt("%hd", 70000) == "4464"
    assert fmt("%hd", 40000) == "-25536"
    assert fmt("%hu", -1) == "65535"
    assert fmt("%hhd", 200) == "-56"
    assert fmt("%hhu", -1) == "255"
    assert fmt("%hhx", 0x1234) == "34"


def test_u_of_negative_int_is_32_bit() -> None:
    assert fmt("%u", -1) == "4294967295"
    assert fmt("%x", -1) == "ffffffff"
    assert fmt("%lx", -1) == "ffffffffffffffff"


# -- where the kernel's number() is not C's printf -------------------------
def test_kernel_quirks_of_number() -> None:
    assert fmt("%#x", 0) == "0x0"            # C prints "0"
    assert fmt("%#o", 0) == "00"             # C prints "0"
    assert fmt("%.0d", 0) == "0"             # C prints ""
    assert fmt("%08.3d", 5) == "00000005"    # C prints "     005"
    assert fmt("%#08x", 255) == "0x0000ff"
    assert fmt("%#X", 255) == "0XFF"


def test_star_width_and_precision() -> None:
    assert fmt("%*d|", 6, 42) == "    42|"
    assert fmt("%*d|", -6, 42) == "42    |"     # negative width: left-justify
    assert fmt("%.*d", 4, 7) == "0007"
    assert fmt("%.*d", -3, 7) == "7"            # negative precision clamps to 0


def test_percent_char_and_missing_args() -> None:
    assert fmt("100%%") == "100%"
    assert fmt("%d and %d", 1) == "1 and 0"


@pytest.mark.parametrize("bad", ["%q", "%n", "%jd", "%w"])
def test_invalid_conversion_stops_output(bad: str) -> None:
    assert fmt(f"ab{bad}cd %d", 5) == "ab"


# -- characters and strings ---------------------------------------------------
def test_char_padding() -> None:
    assert fmt("[%c]", ord("x")) == "[x]"
    assert fmt("[%3c]", ord("x")) == "[  x]"
    assert fmt("[%-3c]", ord("x")) == "[x  ]"
    assert fmt("[%03c]", ord("x")) == "[  x]"   # no zero padding for %c


def test_strings_from_memory() -> None:
    mem = Memory()
    s = string_at(mem, b"skull")
    assert fmt("<%s>", s, src=mem) == "<skull>"
    assert fmt("<%8s>", s, src=mem) == "<   skull>"
    assert fmt("<%-8s>", s, src=mem) == "<skull   >"
    assert fmt("<%.3s>", s, src=mem) == "<sku>"
    assert fmt("<%08s>", s, src=mem) == "<   skull>"


def test_precision_stops_reading_before_the_end() -> None:
    """%.Ns may point at bytes with no terminator: only N are read."""
    mem = Memory()
    reg = mem.map(4, memory.SLAB, "hi")
    reg.data[:] = b"abcd"
    assert fmt("%.4s", reg.base, src=mem) == "abcd"
    with pytest.raises(MemoryFault):
        fmt("%s", reg.base, src=mem)


def test_null_and_bad_string_pointers() -> None:
    assert fmt("%s", 0) == "(null)"
    assert fmt("%.2s", 0) == "(n"
    assert fmt("%s", 16) == "(efault)"
    assert fmt("%s", 2**64 - 12) == "(efault)"
    with pytest.raises(MemoryFault) as e:
        fmt("%s", 0xFFFF888000900000)
    assert e.value.kind == "page-fault"


def test_2630_null_string() -> None:
    old = FakeKernel("2.6.30").kcall()
    assert fmt("%s", 0, src=old) == "<NULL>"


def test_freed_string_is_a_use_after_free() -> None:
    mem = Memory()
    reg = mem.map(4, memory.SLAB, "hi")
    reg.freed = True
    with pytest.raises(MemoryFault) as e:
        fmt("%s", reg.base, src=mem)
    assert e.value.kind == "slab-use-after-free"


# -- pointers ------------------------------------------------------------------
def test_hashed_pointer_is_stable_and_hides_the_address() -> None:
    addr = 0xFFFF888000001000
    out = fmt("%p", addr)
    assert out == fmt("%p", addr)
    assert len(out) == 16 and out.startswith("00000000")
    assert out != f"{addr:016x}"
    assert fmt("%p", addr + 16) != out


def test_null_and_err_pointers_print_raw() -> None:
    assert fmt("%p", 0) == "0000000000000000"
    assert fmt("%p", 2**64 - 12) == "fffffffffffffff4"


def test_px_raw_and_extensions_are_swallowed() -> None:
    assert fmt("%px", 0xFFFF888000001000) == "ffff888000001000"
    assert fmt("%px|", 0x10) == "0000000000000010|"
    assert fmt("[%pZZ9]", 0).startswith("[0000")       # Z, Z, 9 eaten
    assert fmt("%pe", 2**64 - 12) == "-ENOMEM"
    assert fmt("%pe", 2**64 - 4000) == "-4000"


def test_2630_pointer_is_raw() -> None:
    old = FakeKernel("2.6.30").kcall()
    assert fmt("%p", 0xFFFF888000001000, src=old) == "ffff888000001000"
    assert fmt("%p", 0, src=old) == "(null)"


def test_symbol_pointers() -> None:
    kernel = FakeKernel()
    hi = FakeModule("hi")
    fn = kernel.define(lambda k: 0, "hi_show", hi)
    k = kernel.kcall()
    assert fmt("%ps", fn, src=k) == "hi_show [hi]"
    assert fmt("%pS", fn, src=k) == "hi_show+0x0/0x40 [hi]"
    assert fmt("%pS", 0xFFFF888000001234, src=k) == "0xffff888000001234"


def test_hex_string_as_recorded(tmp_path: Path) -> None:
    """%ph, %*ph, %*phC/D/N, a zero width, more than 64 bytes and a NULL
    buffer: tests/kernel/data/real-hexph.txt, `kmodsim record --real` of
    `insmod hexph.ko; rmmod hexph` on Debian's 6.1 (hex_string() in
    lib/vsprintf.c)."""
    data = Path(__file__).parent / "data"
    shutil.copy(data / "hexph.c", tmp_path / "hexph.c")
    c = compare_file(data / "real-hexph.txt", folder=tmp_path)
    assert c.ok, render(c)


# -- a buffer's limit: padding only as far as the buffer reaches --------------
@given(st.sampled_from(["%8388607d|", "%-8388607d|", "%08388607d|", "%+0200x|", "%-300s|",
                        "%300s|", "%#0500o|", "%.200d|", "%c%-900c|", "%5d %-2000d %3s|"]),
       st.integers(-(2**31), 2**31 - 1), st.integers(0, 1100))
def test_limit_keeps_the_same_first_bytes(spec: str, value: int, limit: int) -> None:
    """vsnprintf(buf, size, ...) stores the first size bytes of what an
    unbounded buffer would hold (lib/vsprintf.c: every store is `if (buf <
    end)`); with the limit kmodsim builds no padding past it."""
    mem = Memory()
    at = string_at(mem, b"str")
    args = [at if c == "s" else value for c in re.findall(r"%[-+#0 ]*\d*(?:\.\d+)?(\w)", spec)]
    full = vsprintf.format(mem, spec.encode(), args)
    cut = vsprintf.format(mem, spec.encode(), args, limit=limit)
    assert cut[:limit] == full[:limit]
    assert len(cut) <= max(len(full), 0) and (len(cut) >= limit or cut == full)


def test_limit_builds_no_field_wider_than_the_buffer() -> None:
    """%8388607d (FIELD_WIDTH_MAX) into a 992-byte buffer: spaces up to the
    end (number(): the field is right-justified with spaces), no 8 MiB."""
    out = vsprintf.format(Memory(), b"%8388607d%8388607d|", [1, 2], limit=992)
    assert out[:992] == b" " * 992
    assert len(out) < 4 * 992
