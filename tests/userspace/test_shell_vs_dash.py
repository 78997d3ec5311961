"""The simulated shell against the real one: each command line runs in
/bin/dash (as `sh`, in the C locale, in a folder of test files) and in
kmodsim over the same folder; stdout, stderr and $? must be equal."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kmodgui.session import Session

DASH = shutil.which("dash")
pytestmark = pytest.mark.skipif(DASH is None, reason="no /bin/dash on this machine")

FILES = {
    "fruits.txt": "apple\nBanana\ncherry\napple pie\n\ndate\n",
    "log.txt": "".join(f"line {i}: {'error' if i % 3 == 0 else 'ok'}\n" for i in range(1, 16)),
    "words": "one two  three\nfour\tfive\n",
    "nonl": "no newline at the end",
}

LINES = [
    "echo hello world",
    "echo 'single  quoted'   \"double  $?\"  un\\ quoted",
    # (dash's echo expands backslash escapes, kmodsim's is coreutils' echo)
    "printf '%s|%s|%s\\n' a\\\\b 'c\"d' \"e'f\"",
    "echo -n no newline; echo",
    "false; echo $?",
    "true && echo yes || echo no",
    "false && echo yes || echo no",
    "false || false || echo third $?",
    "echo one; echo two # a comment",
    "printf '%s=%d\\n' a 1 b 2 c",
    "printf '%5s|%-5s|%03d\\n' ab cd 7",
    "printf 'x%%y\\t%s\\n' tab",
    "printf '%x %o %c\\n' 255 8 zebra",
    "cat fruits.txt",
    "cat fruits.txt nonl words",
    "cat missing; echo $?",
    "cat -n fruits.txt",
    "cat < fruits.txt | head -n 2",
    "cat < missing",
    "head -n 3 log.txt",
    "head -3 log.txt",
    "head -n -12 log.txt",
    "head -c 7 fruits.txt; echo",
    "head -n 2 fruits.txt words",
    "head missing",
    "head -n x fruits.txt",
    "tail -n 2 log.txt",
    "tail -n +14 log.txt",
    "tail -2 fruits.txt",
    "tail -n 1 nonl; echo",
    "tail -n 1 fruits.txt missing",
    "grep apple fruits.txt",
    "grep -i banana fruits.txt",
    "grep -v a fruits.txt",
    "grep -c error log.txt",
    "grep -n error log.txt",
    "grep -w apple fruits.txt",
    "grep -x apple fruits.txt",
    "grep -E 'ch|da' fruits.txt",
    "grep 'line 1[0-9]' log.txt",
    "grep -q cherry fruits.txt && echo found",
    "grep zzz fruits.txt; echo $?",
    "grep apple fruits.txt missing; echo $?",
    "grep -s apple missing; echo $?",
    "grep error log.txt fruits.txt",
    "grep -h error log.txt fruits.txt",
    "grep -l apple fruits.txt log.txt",
    "grep -o 'line [0-9]*' log.txt | head -n 2",
    "grep -e ok -e date log.txt fruits.txt | wc -l",
    "wc fruits.txt",
    "wc -l log.txt",
    "wc -w words",
    "wc -c nonl",
    "wc fruits.txt words nonl",
    "wc missing fruits.txt; echo $?",
    "cat fruits.txt | wc",
    "cat log.txt | wc -l",
    "cat log.txt | grep error | wc -l",
    "grep error log.txt | tail -n 1 | cat -n",
    "echo piped | cat - fruits.txt | head -n 2",
    "cat missing 2>&1 | wc -l",
    "cat missing 2>/dev/null; echo $?",
    "cat fruits.txt > /dev/null && echo quiet",
    "cat missing > /dev/null 2>&1 || echo failed $?",
    "cat missing 2>&1 >/dev/null",
    "grep apple < fruits.txt",
    "echo $NOPE empty \"$NOPE\" end",
    "echo ${?}",
    "nosuchcommand; echo $?",
    "echo 'unterminated",
    "echo a && && echo b",
    "echo a | | cat",
    "echo >",
]


def _make_folder(path: Path) -> None:
    from kmodgui import SAMPLES_DIR
    for name, text in FILES.items():
        (path / name).write_text(text)
    shutil.copy(SAMPLES_DIR / "hi.c", path / "hi.c")


def _dash(folder: Path, line: str) -> tuple[str, str, int]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "HOME": "/root"}
    p = subprocess.run([DASH or "dash", "-c", line, "sh"], cwd=folder, env=env,
                       capture_output=True, text=True, timeout=30)
    return p.stdout, p.stderr, p.returncode


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shell")
    _make_folder(path)
    return path


@pytest.mark.parametrize("line", LINES)
def test_kmodsim_prints_what_dash_prints(folder: Path, line: str) -> None:
    expected = _dash(folder, line)
    r = Session("6.1", cwd=folder).run(line)
    assert (r.stdout, r.stderr, r.status) == expected


def _padding(line: str) -> list[int]:
    """The blanks wc put before each number, beyond the one separator:
    '   1    3   23 name' -> [3, 3, 2]; unpadded '1 7 42 name' -> [0, 0, 0]."""
    import re
    body = line.rsplit(" ", 1)[0]
    toks = re.findall(r" *\d+", body)
    return [len(t) - len(t.lstrip(" ")) - (1 if i else 0) for i, t in enumerate(toks)]


def _width(line: str) -> set[int]:
    import re
    body = line.rsplit(" ", 1)[0]
    toks = re.findall(r" *\d+", body)
    return {len(t) - (1 if i else 0) for i, t in enumerate(toks)}


def test_wc_pads_kernel_files_as_coreutils_does(folder: Path) -> None:
    """wc pads to the digits of st_size: 0 for procfs, a page for sysfs; the
    real wc on this machine's /proc and /sys files shows the rule."""
    real_sys = next((p for p in ("/sys/kernel/mm/transparent_hugepage/enabled",
                                 "/sys/kernel/profiling", "/sys/power/state")
                     if os.access(p, os.R_OK)), None)
    if not os.access("/proc/version", os.R_OK) or real_sys is None:
        pytest.skip("no readable /proc and /sys files here")
    real = {p: subprocess.run(["wc", p], capture_output=True, text=True,
                              env={"LC_ALL": "C"}).stdout for p in ("/proc/version", real_sys)}
    s = Session("6.1", cwd=folder)
    s.run("insmod hi.ko")
    ours_proc = s.run("wc /proc/modules").stdout
    ours_sys = s.run("wc /sys/module/hi/refcnt").stdout
    assert set(_padding(real["/proc/version"])) == {0} == set(_padding(ours_proc))
    assert len(_width(real[real_sys])) == 1 and _width(ours_sys) == _width(real[real_sys])
