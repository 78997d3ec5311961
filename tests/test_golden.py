"""Transcripts: the real 6.1 kernel's (tests/reference) and our golden ones.

test_reference_* replays every fresh-boot-*.txt recorded on a real Debian 12
kernel (see tests/reference/README.md for the format) on a fresh Session and
compares stdout, stderr, exit codes, `dmesg -r -c` (timestamps normalised),
lsmod and /proc/modules (sizes and addresses normalised) and the taint mask.

test_golden_* runs tests/golden/<name>.sh with kmodsim --echo and compares
the whole terminal output with tests/golden/<name>.txt (stderr lines are
marked "2| ").  A golden is kept only where no real kernel can record the
session (2.6.30, kmodsim's own commands, fault injection); its .txt is
written from the kernel and tool sources its .sh header cites, never from
the simulator's output (tests/reference/real holds the recordings).
"""
from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kmodgui import SAMPLES_DIR
from kmodgui.cli import _config, run_lines
from kmodgui.realkernel import normalise
from kmodgui.session import Session

HERE = Path(__file__).parent
REFERENCE = HERE / "reference"
GOLDEN = HERE / "golden"


# -- the recorded transcript format ------------------------------------------
@dataclass
class Step:
    cmd: str | None                  # None: the state right after boot
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    exit: int | None = None
    checks: list[tuple[str, list[str]]] = field(default_factory=list)


_CHECKS = {"### [dmesg -r -c]": "dmesg -r -c", "### [lsmod]": "lsmod",
           "### [cat /proc/modules]": "cat /proc/modules"}
_TAINTED = "### [cat /proc/sys/kernel/tainted] "


def parse_transcript(text: str) -> tuple[str, list[Step]]:
    """(uname -r, steps); the first step is the fresh boot's state."""
    steps, uname, block = [Step(None)], "", None
    for line in text.splitlines():
        if line.startswith("### [uname -r] "):
            uname = line.split("] ", 1)[1]
        elif line.startswith("### ORACLE-END"):
            break
        elif line.startswith("### $ "):
            steps.append(Step(line[6:]))
            block = None
        elif line.startswith("### exit="):
            steps[-1].exit = int(line[9:])
        elif line.startswith(_TAINTED):
            steps[-1].checks.append(("cat /proc/sys/kernel/tainted", [line[len(_TAINTED):]]))
            block = None
        elif any(line.startswith(k) for k in _CHECKS):
            cmd = next(v for k, v in _CHECKS.items() if line.startswith(k))
            block = []
            steps[-1].checks.append((cmd, block))
        elif line.startswith("###") or line.startswith("====="):
            block = None
        elif line.startswith("1| ") or line.startswith("2| "):
            (steps[-1].out if line[0] == "1" else steps[-1].err).append(line[3:])
        elif block is not None and line:
            block.append(line)
    return uname, steps


# -- normalisation allowed by tests/reference/README.md: the one normaliser ---------
_norm_dmesg = normalise.dmesg_line
_norm_lsmod = normalise.lsmod_line
_norm_proc = normalise.proc_modules_line


_NORM = {"dmesg -r -c": _norm_dmesg, "lsmod": _norm_lsmod,
         "cat /proc/modules": _norm_proc}


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _workdir(tmp: Path) -> Path:
    """The recorder's /mods: our copies of the module sources, plus the three
    files that are not modules."""
    for src in (REFERENCE / "src").glob("*.c"):
        shutil.copy(src, tmp / src.name)
    (tmp / "notelf.ko").write_bytes(b"this is not an ELF object, just text bytes\n\n")
    (tmp / "notelf_long.ko").write_bytes(b"not an ELF object either, " * 4)
    (tmp / "empty.ko").write_bytes(b"")
    return tmp


_without_dump_body = normalise.without_dump_body
_dump_shape = normalise.dump_shape


def _check(session: Session, where: str, cmd: str, expected: list[str],
           deviations: list[str], also: Callable[[str], str] = lambda s: s) -> None:
    """Compare a state check; a stack dump whose body alone differs is noted
    in `deviations` (the test then xfails) instead of failing at once.
    `also` is a further normalisation a caller's recordings allow."""
    norm = _NORM.get(cmd, lambda s: s)
    got = [also(norm(line)) for line in _lines(session.run(cmd).stdout)]
    want = [also(norm(line)) for line in expected]
    if got != want and _without_dump_body(got) == _without_dump_body(want):
        # allowed: addresses, register values and '? ' frames of a dump
        assert _dump_shape(got) == _dump_shape(want), f"{where}: dump shape"
        return
    assert got == want, f"{where}: {cmd}"


REFERENCES = sorted(p.name for p in REFERENCE.glob("fresh-boot-*.txt"))


@pytest.mark.parametrize("name", REFERENCES)
def test_reference_transcript(name: str, tmp_path: Path) -> None:
    uname, steps = parse_transcript((REFERENCE / name).read_text())
    session = Session("6.1", cwd=_workdir(tmp_path))
    assert session.run("uname -r").stdout == uname + "\n"
    deviations: list[str] = []
    for i, step in enumerate(steps):
        where = f"{name} step {i}: {step.cmd or '(boot)'}"
        if step.cmd is not None:
            r = session.run(step.cmd)
            norm = _norm_dmesg if step.cmd.startswith("dmesg") else (lambda s: s)
            assert ([norm(x) for x in _lines(r.stdout)], _lines(r.stderr), r.status) == \
                ([norm(x) for x in step.out], step.err, step.exit), where
        for cmd, expected in step.checks:
            _check(session, where, cmd, expected, deviations)
    if deviations:
        pytest.xfail("; ".join(deviations))


def test_transcript_parser_reads_every_step() -> None:
    _, steps = parse_transcript((REFERENCE / "fresh-boot-d.txt").read_text())
    assert [s.cmd for s in steps] == [
        None, "insmod hi_noexit.ko",
        "cat /sys/module/hi_noexit/initstate /sys/module/hi_noexit/refcnt",
        "rmmod hi_noexit", "rmmod -f hi_noexit", "rmmod hi_noexit"]
    assert steps[3].err[0].startswith("rmmod: ERROR: ../libkmod/libkmod-module.c:856 ")
    assert steps[3].exit == 1
    assert ("cat /proc/sys/kernel/tainted", ["12296"]) in steps[4].checks
    assert steps[1].checks[0] == ("dmesg -r -c", [
        "<4>[    4.827454] hi_noexit: loading out-of-tree module taints kernel.",
        "<5>[    4.828194] hi_noexit: module verification failed: signature and/or "
        "required key missing - tainting kernel",
        "<6>[    4.834156] hi_noexit module being loaded (no exit routine)."])


# -- golden transcripts of the lesson's scenarios ------------------------------------
def _header(script: str) -> tuple[str, list[str]]:
    """First line: "#! kmodsim --profile P [--config SYM=y|n]..."."""
    words = script.splitlines()[0].split()
    assert words[:2] == ["#!", "kmodsim"], "golden script must start with '#! kmodsim'"
    profile = words[words.index("--profile") + 1] if "--profile" in words else "6.1"
    configs = [words[i + 1] for i, w in enumerate(words) if w == "--config"]
    return profile, configs


class _Marked(io.StringIO):
    """stderr written into the same stream as stdout, each line marked."""

    def __init__(self, shared: io.StringIO) -> None:
        super().__init__()
        self.shared = shared

    def write(self, text: str) -> int:
        self.shared.write("".join(f"2| {line}" for line in text.splitlines(True)))
        return len(text)


def run_golden(script_path: Path) -> str:
    script = script_path.read_text()
    profile, configs = _header(script)
    session = Session(profile, _config(profile, configs), SAMPLES_DIR)
    out = io.StringIO()
    status = run_lines(session, script.splitlines()[1:], True, out, _Marked(out))
    text = out.getvalue().replace(str(SAMPLES_DIR), "$SAMPLES")
    return text + f"[kmodsim exit={status}]\n"


GOLDENS = sorted(p.stem for p in GOLDEN.glob("*.sh"))


@pytest.mark.parametrize("name", GOLDENS)
def test_golden_transcript(name: str) -> None:
    got = run_golden(GOLDEN / f"{name}.sh")
    assert got == (GOLDEN / f"{name}.txt").read_text()


@pytest.mark.parametrize("name", GOLDENS)
def test_golden_cites_its_sources(name: str) -> None:
    """Each golden's header says where its expected text comes from."""
    header = [line for line in (GOLDEN / f"{name}.sh").read_text().splitlines()[1:]
              if line.startswith("#")]
    text = " ".join(header)
    assert len(header) >= 4 and re.search(r"\w+\.c\b", text), name
