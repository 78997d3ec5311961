"""The session as the real machine plays it: steps it cannot run, reboots,
edited sources (a lesson), and their place in the transcript.  Nothing
here boots QEMU: machine.run_stages is replaced by a recorder of calls."""
from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

from kmodgui import LESSONS_DIR
from kmodgui.lessons.loader import load_lesson
from kmodgui.realkernel import machine, plan, transcript


def test_fault_injection_is_not_run_on_the_real_machine() -> None:
    why = plan.not_run("inject kmalloc nth 2")
    assert "fault injection is not available" in why and "CONFIG_FAULT_INJECTION" in why
    assert plan.not_run("insmod hi.ko") == "" and plan.not_run("cat /proc/modules") == ""
    assert plan.not_run("kconfig MODULE_UNLOAD=n")
    assert "/boot/config-" in plan.not_run("kconfig")


def test_what_reboots() -> None:
    assert plan.reboots("kconfig MODULE_UNLOAD=n") and plan.reboots("reboot")
    assert not plan.reboots("kconfig") and not plan.reboots("profile")
    assert not plan.reboots("insmod hi.ko")


def _fake_machine(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[Path, list[str]]]]:
    calls: list[list[tuple[Path, list[str]]]] = []

    def run_stages(stages, version, record_state=False, progress=None):
        calls.append(stages)
        steps = [machine.Step(c, ["out of " + c], status=0) for _f, cmds in stages for c in cmds]
        return machine.Session(version, "", 0, steps)
    monkeypatch.setattr(machine, "run_stages", run_stages)
    return calls


def test_not_run_steps_keep_their_place_and_a_reboot_boots_afresh(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls = _fake_machine(monkeypatch)
    items = [plan.Item(c, tmp_path) for c in
             ["insmod hi.ko", "inject kmalloc", "lsmod", "kconfig MODULE_UNLOAD=n", "rmmod hi"]]
    session = plan.record(items, "6.1.0-56-amd64")
    assert calls == [[(tmp_path, ["insmod hi.ko", "lsmod"])], [(tmp_path, ["rmmod hi"])]]
    assert [s.command for s in session.steps] == [i.command for i in items]
    assert [bool(s.not_run) for s in session.steps] == [False, True, False, True, False]
    assert session.steps[2].stdout == ["out of lsmod"]


def test_a_runaway_ends_the_recording(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def run_stages(stages, version, record_state=False, progress=None):
        return machine.Session(version, "", 0, [machine.Step("insmod spin.ko")], "stopped")
    monkeypatch.setattr(machine, "run_stages", run_stages)
    items = [plan.Item(c, tmp_path) for c in ["insmod spin.ko", "lsmod", "reboot", "lsmod"]]
    session = plan.record(items, "6.1.0-56-amd64")
    assert [s.command for s in session.steps] == ["insmod spin.ko"]
    assert session.note == "stopped"


def test_a_lesson_is_played_on_edited_copies(tmp_path: Path) -> None:
    lesson = load_lesson(LESSONS_DIR / "02-init-failure.toml")
    items = plan.lesson_items(lesson, tmp_path)
    assert [i.command for i in items] == ["insmod hi.ko", "insmod hi_eperm.ko",
                                          "insmod hi.ko", "cat /proc/modules"]
    assert items[0].edits == (("hi.c", "return 0;", "return -1;"),)
    assert all(not i.edits for i in items[1:])
    assert "return -1;" in (items[0].folder / "hi.c").read_text()
    assert {i.folder for i in items} == {items[0].folder}


def test_lesson_config_becomes_the_kconfig_command(tmp_path: Path) -> None:
    lesson = load_lesson(LESSONS_DIR / "09-permanent.toml")
    commands = [i.command for i in plan.lesson_items(lesson, tmp_path)]
    assert "kconfig MODULE_FORCE_UNLOAD=n" in commands
    assert commands.index("kconfig MODULE_FORCE_UNLOAD=n") == len(commands) - 3


def test_transcript_keeps_edits_not_run_steps_and_kbuild_errors() -> None:
    steps = [machine.Step("insmod hi.ko", [], ["insmod: ERROR: x"], 1,
                          edits=[("hi.c", "return 0;", 'return -1; /* "x" */')]),
             machine.Step("inject kmalloc", not_run=plan.not_run("inject kmalloc"))]
    build = ("/tmp/k/build0/skull.c:6:10: fatal error: linux/skull.h: No such file or "
             "directory\nmake[2]: *** [x] Error 1\n")
    session = machine.Session("6.1.0-56-amd64", build, 2, steps)
    text = transcript.render(session, lesson="02-init-failure")
    assert "### kbuild: skull.c:6:10: fatal error: linux/skull.h: No such file or directory" \
        in text
    assert transcript.lesson_of(text) == "02-init-failure"
    back = transcript.parse(text)
    assert back.steps[0].edits == steps[0].edits
    assert back.steps[1].not_run == steps[1].not_run and back.steps[1].status is None
    assert back.build_status == 1
    assert transcript.render(back, lesson="02-init-failure") == text


def test_stages_run_in_their_own_folders() -> None:
    script = machine.init_script(["insmod hi.ko", "rmmod hi", "insmod hi.ko"], True,
                                 ["s0", "s0", "s1"])
    lines = script.splitlines()
    first, second = lines.index("mkdir -p /m/s0; cd /m/s0"), lines.index("mkdir -p /m/s1; cd /m/s1")
    assert first < second and lines[second + 1].startswith("step 'insmod hi.ko'")
    assert script.count("cd /m/s0") == 1


@pytest.mark.skipif(shutil.which("cpio") is None, reason="needs the cpio tool to list it")
def test_initramfs_puts_each_stage_in_its_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    kos = [tmp_path / "a" / "hi.ko", tmp_path / "b" / "hi.ko"]
    for ko in kos:
        ko.write_bytes(b"\x7fELF fake")
    data = gzip.decompress(machine.initramfs(kos, "#!/bin/busybox sh\n", ["s0", "s1"]))
    names = subprocess.run(["cpio", "-t"], input=data, capture_output=True).stdout.decode().split()
    assert "m/s0/hi.ko" in names and "m/s1/hi.ko" in names


def test_a_boot_that_ends_before_init_begins_is_tried_again(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    consoles = ["[    1.0] some early boot line\n",
                "### BEGIN\n### $ lsmod\n1| Module                  Size  Used by\n"
                "### exit=0\n### [dmesg -r]\n### END\n"]
    boots: list[int] = []

    def boot(version, initrd, seconds, on_line=None):
        boots.append(1)
        return consoles[len(boots) - 1], ""
    monkeypatch.setattr(machine, "boot", boot)
    monkeypatch.setattr(machine, "initramfs", lambda kos, script, into=None: b"")
    session = machine.run(tmp_path, ["lsmod"], "6.1.0-56-amd64")
    assert len(boots) == 2
    assert [s.stdout for s in session.steps] == [["Module                  Size  Used by"]]
    assert session.note == ""


def test_only_the_wanted_modules_sources_are_checked(tmp_path: Path) -> None:
    (tmp_path / "hi.c").write_text("#include <linux/module.h>\n")
    (tmp_path / "evil.c").write_text('#include "/etc/passwd"\n')
    (tmp_path / "own.h").write_text("#define X 1\n")
    (tmp_path / "a.c").write_text("")
    (tmp_path / "b.c").write_text("")
    names = [p.name for p in machine._compiled(tmp_path, ["hi"], "")]
    assert names == ["hi.c", "own.h"]
    names = [p.name for p in machine._compiled(tmp_path, ["ab"], "ab-objs := a.o b.o\n")]
    assert names == ["a.c", "b.c", "own.h"]


def test_a_line_with_an_inject_is_split_for_the_real_machine() -> None:
    from kmodgui.realkernel.cli import _commands
    assert _commands("inject kmalloc; insmod hi.ko") == ["inject kmalloc", "insmod hi.ko"]
    assert _commands("cd /sys/module/hi; cat refcnt") == ["cd /sys/module/hi; cat refcnt"]


def test_the_vm_is_not_waited_for_after_init_said_end() -> None:
    """A spinning init keeps `poweroff -f` from finishing: once /init
    printed its END mark, the VM gets a few seconds, then is stopped."""
    import threading
    import time

    class Stuck:
        def wait(self, timeout=None):
            time.sleep(min(timeout or 0, 0.01))
            raise subprocess.TimeoutExpired("qemu", timeout)

        def poll(self):
            return None
    said = threading.Event()
    said.set()
    start = time.monotonic()
    assert machine._wait(Stuck(), said, 600) == ""
    assert time.monotonic() - start < 5
    assert "did not finish within 1 s" in machine._wait(Stuck(), threading.Event(), 1)
