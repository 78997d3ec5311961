"""An init that printks to the console in a loop without ever scheduling
(the fuzz campaign's hangs: `for (i = 0; i < n; i)`, or a loop counter that
starts at a wrapped constant and so runs about 2**31 times).

The real Debian 6.1 kernel, recorded with `kmodsim record --real`
(tests/fuzz/data/printloop-real.txt, the module in data/printloop/):
insmod is still running after the recorder's 30 s, the module is Loading
with Used by 1, dmesg holds only the loop's KERN_ALERT lines (the ring
overwritten), and no watchdog reports anything: the serial console driver
touches the soft-lockup watchdog for every record
(drivers/tty/serial/8250/8250_port.c serial8250_console_write() ->
touch_nmi_watchdog()).  kmodsim gives up waiting instead of printing for
hours."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kmodgui.kernel.printk import LOG_DESCS
from kmodgui.session import Session

DATA = Path(__file__).parent / "data"


def _real() -> dict[str, str]:
    """The recording's sections: '### [dmesg -r -c]' -> its lines."""
    out: dict[str, list[str]] = {}
    key = ""
    for line in (DATA / "printloop-real.txt").read_text().splitlines():
        if line.startswith("### "):
            key = line
            out[key] = []
        else:
            out.setdefault(key, []).append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def _folder(tmp_path: Path, name: str) -> Path:
    work = tmp_path / "printloop"
    shutil.copytree(DATA / "printloop", work)
    if name == "hellop_wrapped_start":
        # hellop.c with `for (i = 9999999999999999999999; i < howmany; i++)`:
        # gcc truncates the constant to int, -1304428544, so the loop runs
        # about 1.3e9 times: over an hour on the real machine
        shutil.copy(DATA / "hellop_wrapped_start.c", work / "printloop.c")
    return work


@pytest.mark.parametrize("name", ["printloop", "hellop_wrapped_start"])
def test_console_loop_is_given_up_on_as_the_real_one_runs_on(tmp_path, name: str) -> None:
    real = _real()
    assert "### exit=running" in real
    s = Session("6.1", cwd=_folder(tmp_path, name))
    r = s.run("insmod printloop.ko")
    assert r.status == 124                      # compare's exit=running
    assert r.stderr.rstrip().endswith("gave up waiting"), r.stderr
    assert "internal error" not in r.stdout + r.stderr
    assert re.search(r"^printloop\s+\d+\s+1$", s.run("lsmod").stdout, re.M)
    assert re.search(r"^printloop\s+16384\s+1$", real["### [lsmod]"], re.M)
    assert " Loading " in s.run("cat /proc/modules").stdout
    assert " Loading " in real["### [cat /proc/modules]"]
    mine = s.run("dmesg -r").stdout.splitlines()
    theirs = real["### [dmesg -r -c]"].splitlines()
    pattern = re.compile(r"^<1>\[ *\d+\.\d+\] \(-?\d+\) Hello, world$")
    assert all(pattern.match(x) for x in theirs)
    assert all(pattern.match(x) for x in mine), [x for x in mine if not pattern.match(x)][:3]
    # the ring is full of the loop's lines on both (the real one held 3744
    # of them when it was read; kmodsim's holds as many as its 128 KiB and
    # 4096 record descriptors take)
    assert 3000 < len(theirs) <= LOG_DESCS and 3000 < len(mine) <= LOG_DESCS


def test_a_long_loop_of_quiet_lines_is_not_given_up_on(tmp_path) -> None:
    """KERN_INFO lines are not console lines (console_loglevel 4): a loop of
    20,000 of them in init finishes and loads the module."""
    work = _folder(tmp_path, "printloop")
    src = (work / "printloop.c").read_text()
    src = src.replace("i < 10; i)", "i < 20000; i++)").replace("KERN_ALERT", "KERN_INFO")
    (work / "printloop.c").write_text(src)
    s = Session("6.1", cwd=work)
    r = s.run("insmod printloop.ko")
    assert r.status == 0, r.stderr
    assert s.run("dmesg | tail -1").stdout.rstrip().endswith("(19999) Hello, world")
