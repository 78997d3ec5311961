"""sscanf() (lib/vsprintf.c vsscanf()) against the real 6.1 kernel.

tests/kernel/data/sscanf/real-ssc.txt: `make; insmod ssc.ko; dmesg` on
Debian's 6.1.0-56 (`kmodsim --real`); ssc.c prints what sscanf() returned
and stored for a table of inputs (widths, qualifiers, %n, %*d, %%, %c not
skipping whitespace, truncation without overflow checks, early stops).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from kmodgui.kernel.kapi import sscanf as sc
from kmodgui.session import Session

DATA = Path(__file__).parent / "data" / "sscanf"


def _results(text: str) -> list[str]:
    lines = [re.sub(r"^\[[ \d.]+\] ", "", ln) for ln in text.splitlines()]
    return [ln for ln in lines if re.match(r"t\d+ r=", ln)]


def test_the_table_matches_the_real_kernel(tmp_path: Path) -> None:
    shutil.copy(DATA / "ssc.c", tmp_path / "ssc.c")
    (tmp_path / "Makefile").write_text("obj-m += ssc.o\n")
    s = Session("6.1", cwd=tmp_path)
    assert s.run("make").status == 0
    assert s.run("insmod ssc.ko").status == 0
    real = _results((DATA / "real-ssc.txt").read_text())
    assert len(real) == 22
    assert _results(s.run("dmesg").stdout) == real


def _scan(text: bytes, fmt: bytes, n: int) -> tuple[int, list[bytes]]:
    stored: dict[int, bytes] = {}
    r = sc.vsscanf(text, fmt, list(range(n)), lambda a, b: stored.__setitem__(a, b))
    return r, [stored.get(i, b"") for i in range(n)]


def test_field_width_one_with_a_minus_stops_the_scan() -> None:
    # vsscanf(): "if (is_sign && digit == '-') { if (field_width == 1) break;"
    assert _scan(b"-5", b"%1d", 1) == (0, [b""])


def test_a_literal_mismatch_stops_and_n_is_not_counted() -> None:
    assert _scan(b"a:1", b"a;%d", 1) == (0, [b""])
    r, got = _scan(b"ab", b"ab%n", 1)
    assert r == 0 and got == [(2).to_bytes(4, "little")]
