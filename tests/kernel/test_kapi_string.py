"""lib/string.c, snprintf and kstrto* on simulated memory."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kmodgui.kernel.kapi import kstrtox, slab, string
from kmodgui.kernel.kapi import REGISTRY
from kmodgui.kernel.memory import MemoryFault
from tests.kernel.kapi_fake import setup

EINVAL, ERANGE, E2BIG = 22, 34, 7


def test_strlen_strnlen_and_unterminated_source() -> None:
    kernel, k = setup()
    assert string.strlen(k, kernel.cstring("skull")) == 5
    assert string.strnlen(k, kernel.cstring("skull"), 3) == 3
    p = slab.kmalloc(k, 4, 0xCC0)
    kernel.mem.write_bytes(p, b"abcd")            # no terminator
    assert string.strnlen(k, p, 4) == 4
    with pytest.raises(MemoryFault) as e:
        string.strlen(k, p)
    assert e.value.kind == "slab-out-of-bounds"


def test_strcpy_overflow_faults_and_fits_otherwise() -> None:
    kernel, k = setup()
    dst = slab.kmalloc(k, 6, 0xCC0)
    assert string.strcpy(k, dst, kernel.cstring("skull")) == dst
    assert k.cstr(dst) == "skull"
    with pytest.raises(MemoryFault):
        string.strcpy(k, dst, kernel.cstring("skulls"))


def test_strncpy_pads_and_may_not_terminate() -> None:
    kernel, k = setup()
    dst = kernel.buf(8)
    kernel.mem.fill(dst, 0x41, 8)
    string.strncpy(k, dst, kernel.cstring("ab"), 5)
    assert kernel.mem.read_bytes(dst, 8) == b"ab\0\0\0AAA"
    string.strncpy(k, dst, kernel.cstring("abcdefgh"), 3)
    assert kernel.mem.read_bytes(dst, 4) == b"abc\0"


def test_strscpy_and_strlcpy_truncation() -> None:
    kernel, k = setup()
    dst = kernel.buf(8)
    assert string.strscpy(k, dst, kernel.cstring("abc"), 8) == 3
    assert string.strscpy(k, dst, kernel.cstring("abcdefghij"), 4) == -E2BIG
    assert k.cstr(dst) == "abc"
    assert string.strscpy(k, dst, kernel.cstring("x"), 0) == -E2BIG
    assert string.strlcpy(k, dst, kernel.cstring("abcdefghij"), 4) == 10
    assert k.cstr(dst) == "abc"


def test_strcat_family() -> None:
    kernel, k = setup()
    dst = kernel.buf(16)
    string.strcpy(k, dst, kernel.cstring("ab"))
    string.strcat(k, dst, kernel.cstring("cd"))
    string.strncat(k, dst, kernel.cstring("efgh"), 2)
    assert k.cstr(dst) == "abcdef"
    assert string.strlcat(k, dst, kernel.cstring("0123456789"), 10) == 16
    assert k.cstr(dst) == "abcdef012"


@given(st.binary(max_size=6).filter(lambda b: b"\0" not in b),
       st.binary(max_size=6).filter(lambda b: b"\0" not in b))
def test_strcmp_sign_matches_bytes_order(a: bytes, b: bytes) -> None:
    kernel, k = setup()
    got = string.strcmp(k, kernel.cstring(a), kernel.cstring(b))
    assert got == (a > b) - (a < b)


def test_strncmp_memcmp_and_searches() -> None:
    kernel, k = setup()
    s = kernel.cstring("hello world")
    assert string.strncmp(k, s, kernel.cstring("help"), 3) == 0
    assert string.strncmp(k, s, kernel.cstring("help"), 4) == -1
    assert string.memcmp(k, s, kernel.cstring("hellp"), 5) == ord("o") - ord("p")
    assert string.strchr(k, s, ord("o")) == s + 4
    assert string.strrchr(k, s, ord("o")) == s + 7
    assert string.strchr(k, s, ord("z")) == 0
    assert string.strchr(k, s, 0) == s + 11
    assert string.strstr(k, s, kernel.cstring("wor")) == s + 6
    assert string.strstr(k, s, kernel.cstring("")) == s


def test_memset_memcpy_memmove() -> None:
    kernel, k = setup()
    a = kernel.buf(8)
    string.memset(k, a, 0x1FF, 8)                      # only the low byte counts
    assert kernel.mem.read_bytes(a, 8) == b"\xff" * 8
    b = kernel.buf(8)
    string.memcpy(k, b, kernel.cstring("abcdefg"), 8)
    string.memmove(k, b + 2, b, 4)
    assert kernel.mem.read_bytes(b, 8) == b"ababcdg\0"


def test_snprintf_truncates_and_reports_full_length() -> None:
    kernel, k = setup()
    buf = kernel.buf(8)
    fmt = kernel.cstring("%s-%d")
    arg = kernel.cstring("skull")
    assert string.snprintf(k, buf, 8, fmt, arg, 42) == 8
    assert k.cstr(buf) == "skull-4"
    assert string.scnprintf(k, buf, 8, fmt, arg, 42) == 7
    assert string.scnprintf(k, buf, 0, fmt, arg, 42) == 0
    assert string.sprintf(k, buf, kernel.cstring("%03d"), 7) == 3 and k.cstr(buf) == "007"


def test_kasprintf_allocates() -> None:
    kernel, k = setup()
    p = string.kasprintf(k, 0xCC0, kernel.cstring("dev%d"), 3)
    assert k.cstr(p) == "dev3" and kernel.ledger.find("memory", p).api == "kasprintf"


@pytest.mark.parametrize("text,base,value", [
    ("42", 10, 42), ("42\n", 10, 42), ("+7", 10, 7), ("0x1f", 16, 31), ("1f", 16, 31),
    ("0x1f", 0, 31), ("017", 0, 15), ("0", 0, 0), ("-5", 10, -5),
    ("2147483647", 10, 2147483647), ("-2147483648", 10, -2147483648)])
def test_kstrtoint_accepts(text: str, base: int, value: int) -> None:
    kernel, k = setup()
    res = kernel.buf(4)
    assert kstrtox.kstrtoint(k, kernel.cstring(text), base, res) == 0
    assert kernel.mem.read_int(res, 4, signed=True) == value


@pytest.mark.parametrize("text,err", [
    ("", -EINVAL), ("abc", -EINVAL), ("12abc", -EINVAL), ("42\n\n", -EINVAL),
    (" 42", -EINVAL), ("0x", -EINVAL), ("2147483648", -ERANGE), ("-2147483649", -ERANGE),
    ("99999999999999999999999", -ERANGE)])
def test_kstrtoint_rejects_without_writing(text: str, err: int) -> None:
    kernel, k = setup()
    res = kernel.buf(4)
    kernel.mem.write_int(res, 4, 1234)
    assert kstrtox.kstrtoint(k, kernel.cstring(text), 0, res) == err
    assert kernel.mem.read_int(res, 4) == 1234


def test_kstrtoul_refuses_minus_and_kstrtol_is_64_bit() -> None:
    kernel, k = setup()
    res = kernel.buf(8)
    assert kstrtox.kstrtoul(k, kernel.cstring("-1"), 10, res) == -EINVAL
    assert kstrtox.kstrtoul(k, kernel.cstring("18446744073709551615"), 10, res) == 0
    assert kernel.mem.read_int(res, 8) == 2**64 - 1
    assert kstrtox.kstrtol(k, kernel.cstring("-9223372036854775808"), 10, res) == 0
    assert kernel.mem.read_int(res, 8, signed=True) == -(2**63)
    assert kstrtox.kstrtol(k, kernel.cstring("9223372036854775808"), 10, res) == -ERANGE


def test_narrow_results_check_range_and_write_only_their_width() -> None:
    kernel, k = setup()
    res = kernel.buf(2)
    kstrtou8 = REGISTRY["kstrtou8"].impl
    assert kstrtou8(k, kernel.cstring("255"), 10, res) == 0
    assert kernel.mem.read_bytes(res, 2) == b"\xff\0"
    assert kstrtou8(k, kernel.cstring("256"), 10, res) == -ERANGE
    assert REGISTRY["kstrtos8"].impl(k, kernel.cstring("-128"), 10, res) == 0


def test_simple_strtoul_sets_end_pointer() -> None:
    kernel, k = setup()
    s = kernel.cstring("0x1fz")
    endp = kernel.buf(8)
    assert kstrtox.simple_strtoul(k, s, endp, 0) == 31
    assert kernel.mem.read_int(endp, 8) == s + 4
    assert kstrtox.simple_strtol(k, kernel.cstring("-12"), 0, 10) == 2**64 - 12
