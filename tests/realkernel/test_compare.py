"""kmodsim compare: a real recording against the simulator, step by step.

The recording is the truth; these tests take a real one
(tests/reference/real/hi.txt, recorded on Debian's 6.1.0-56 kernel),
change what the real machine said, and check that compare reports that
step -- and only that step -- as differing.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from kmodgui import SAMPLES_DIR
from kmodgui.realkernel import normalise, transcript
from kmodgui.realkernel.cli import compare_main
from kmodgui.realkernel.compare import (Comparison, StepResult, TranscriptError,
                                        compare_file, compare_transcript, render)

REAL = Path(__file__).resolve().parents[1] / "reference" / "real"
HI = (REAL / "hi.txt").read_text()


def _edit(old: str, new: str, text: str = HI) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _sub(pattern: str, new: str, text: str = HI) -> str:
    edited = re.sub(pattern, new, text, count=1)
    assert edited != text, pattern
    return edited


def test_a_real_recording_matches_step_by_step() -> None:
    c = compare_file(REAL / "hi.txt")
    assert [s.command for s in c.steps] == ["insmod hi.ko", "lsmod", "rmmod hi"]
    assert c.ok and c.matched == 3
    assert c.kernel == "6.1.0-56-amd64"
    first = c.steps[0]
    # the lines are the transcript's, normalised: the real timestamp is gone
    assert "<6>[TIME] hi module being loaded." in first.real
    assert "### exit=0" in first.real and "### [cat /proc/sys/kernel/tainted] 12288" in first.real
    assert "hi SIZE 0 - Live 0xADDR (OE)" in first.real


def test_an_edited_step_is_reported_as_differing() -> None:
    text = _edit("] hi module being unloaded.", "] hi module being removed.")
    c = compare_transcript(text, folder=SAMPLES_DIR, source="edited")
    assert [s.matches for s in c.steps] == [True, True, False]
    assert not c.ok and c.matched == 2
    last = c.steps[2]
    # the recording stays the truth: its line is on the real side
    assert "<6>[TIME] hi module being removed." in last.real
    assert "<6>[TIME] hi module being unloaded." in last.sim
    out = render(c)
    assert "-<6>[TIME] hi module being removed." in out
    assert "+<6>[TIME] hi module being unloaded." in out
    assert out.rstrip().endswith("2 of 3 steps match")


def test_an_edited_exit_status_or_taint_differs() -> None:
    c = compare_transcript(_edit("### exit=0", "### exit=1"), folder=SAMPLES_DIR)
    assert [s.matches for s in c.steps] == [False, True, True]
    c = compare_transcript(_edit("[cat /proc/sys/kernel/tainted] 12288",
                                 "[cat /proc/sys/kernel/tainted] 4096"), folder=SAMPLES_DIR)
    assert [s.matches for s in c.steps] == [False, True, True]


def test_what_may_differ_does_not_count() -> None:
    """Timestamps, sizes and addresses differ from boot to boot."""
    text = _sub(r"\[ *\d+\.\d+\] hi module being loaded", "[  311.000001] hi module being loaded")
    text = re.sub(r"0xffffffffc0[0-9a-f]{6}", "0xffffffffc0123000", text.replace("16384", "20480"))
    assert compare_transcript(text, folder=SAMPLES_DIR).ok


def test_a_step_the_real_machine_did_not_run_is_not_a_match() -> None:
    text = ("### [uname -r] 6.1.0-56-amd64\n### $ inject kmalloc\n"
            "### not run: fault injection is not available\n" + HI.split("\n", 1)[1])
    c = compare_transcript(text, folder=SAMPLES_DIR)
    assert not c.steps[0].matches
    assert "fault injection is not available" in c.steps[0].note
    assert "fault injection is not available" in render(c)


def test_the_normaliser_keeps_behaviour() -> None:
    assert normalise.dmesg_line("<4>[    4.827454] hi: x") == "<4>[TIME] hi: x"
    assert normalise.lsmod_line("hi                     16384  0") == \
        "hi                      SIZE  0"
    assert normalise.pid("watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:109]") \
        == "watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:N]"
    # modinfo's path: the folder is the machine's; the module's file name stays
    modinfo = normalise.for_command("modinfo hellop.ko")
    assert modinfo("filename:       /m/hellop.ko") == modinfo(
        "filename:       /home/a/kmodgui/modules/hellop.ko") == "filename:       DIR/hellop.ko"
    assert modinfo("filename:       /m/hi.ko") != modinfo("filename:       /m/hellop.ko")
    assert normalise.for_command("modinfo -n hi.ko")("/m/hi.ko") == "DIR/hi.ko"
    assert modinfo("parm:           whom:who to greet (charp)") == \
        "parm:           whom:who to greet (charp)"
    dump = ["<4>[ 1.000000] Call Trace:", "<4>[ 1.000000]  <TASK>",
            "<4>[ 1.000000]  ? show_regs+0x5/0x10", "<4>[ 1.000000]  do_one_initcall+0x41/0x200",
            "<4>[ 1.000000]  </TASK>"]
    assert normalise.dmesg(dump) == ["<4>[TIME] Call Trace:", "  <TASK>",
                                     "  do_one_initcall", "<4>[TIME]  </TASK>"]


def test_transcript_round_trip() -> None:
    session = transcript.parse(HI)
    assert transcript.render(session) == HI


def test_not_a_transcript() -> None:
    with pytest.raises(TranscriptError):
        compare_transcript("hello\n", folder=SAMPLES_DIR)
    with pytest.raises(TranscriptError):
        compare_transcript(HI.replace("6.1.0-56-amd64", "9.9.9"), folder=SAMPLES_DIR)


def test_dataclasses() -> None:
    a = StepResult("lsmod", ("x",), ("x",), True)
    b = StepResult("rmmod hi", ("y",), ("z",), False, "why")
    c = Comparison("s", (a, b))
    assert (c.matched, c.ok) == (1, False)
    assert Comparison("s", (a,)).ok


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return compare_main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_cli_exit_status(tmp_path: Path) -> None:
    status, out, _ = _cli(str(REAL / "hi.txt"))
    assert status == 0 and out.rstrip().endswith("3 of 3 steps match")
    edited = tmp_path / "edited.txt"
    edited.write_text(_edit("### exit=0", "### exit=1"))
    status, out, _ = _cli(str(edited), "-C", str(SAMPLES_DIR))
    assert status == 1 and "2 of 3 steps match" in out
    status, out, err = _cli(str(tmp_path / "missing.txt"))
    assert status == 2 and out == "" and "No such file" in err
    (tmp_path / "junk.txt").write_text("junk\n")
    assert _cli(str(tmp_path / "junk.txt"))[0] == 2
    assert _cli(str(edited), "-C", str(tmp_path / "nope"))[0] == 2
