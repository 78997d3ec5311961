"""The real-kernel backend's own parts, without booting anything."""
from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

from kmodgui.realkernel import machine, transcript

CONSOLE = """\
[    0.000000] Linux version 6.1.0-56-amd64
### BEGIN
### $ insmod hi.ko
### exit=0
### [dmesg -r]
<4>[    4.76] hi: loading out-of-tree module taints kernel.
<6>[    4.77] hi module being loaded.
### [lsmod]
Module                  Size  Used by
hi                     16384  0
### [cat /proc/modules]
hi 16384 0 - Live 0xffffffffc042c000 (OE)
### [cat /proc/sys/kernel/tainted] 12288
### $ rmmod nope
2| rmmod: ERROR: Module nope is not currently loaded
### exit=1
### [dmesg -r]
### END
"""


def test_console_is_read_back_into_steps() -> None:
    steps, ended = machine.parse(CONSOLE)
    assert ended
    assert [s.command for s in steps] == ["insmod hi.ko", "rmmod nope"]
    assert steps[0].status == 0 and steps[0].tainted == "12288"
    assert steps[0].dmesg == ["<4>[    4.76] hi: loading out-of-tree module taints kernel.",
                              "<6>[    4.77] hi module being loaded."]
    assert steps[0].lsmod[1].startswith("hi ")
    assert steps[1].stderr == ["rmmod: ERROR: Module nope is not currently loaded"]
    assert steps[1].status == 1


def test_a_command_still_running_has_no_status() -> None:
    text = "### BEGIN\n### $ insmod spin.ko\n### exit=running\n### [dmesg -r]\n" \
           "<0>[   26.0] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:101]\n" \
           "### END running\n"
    steps, ended = machine.parse(text)
    assert ended and steps[0].status is None
    assert "soft lockup" in steps[0].dmesg[0]
    assert "### exit=running" in transcript.render(
        machine.Session("6.1.0-56-amd64", "", 0, steps))


def test_kmod_tools_are_called_by_full_path() -> None:
    script = machine.init_script(["insmod hi.ko; lsmod | grep hi", "dmesg"], True)
    assert "step 'insmod hi.ko; lsmod | grep hi' '/sbin/insmod hi.ko; /sbin/lsmod | grep hi'" \
        in script
    assert "step dmesg dmesg" in script
    assert script.rstrip().endswith("poweroff -f")


@pytest.mark.skipif(shutil.which("cpio") is None, reason="needs the cpio tool to list it")
def test_initramfs_is_a_valid_newc_archive(tmp_path: Path) -> None:
    ko = tmp_path / "hi.ko"
    ko.write_bytes(b"\x7fELF fake")
    data = gzip.decompress(machine.initramfs([ko], "#!/bin/busybox sh\n"))
    listing = subprocess.run(["cpio", "-t"], input=data, capture_output=True).stdout.decode()
    names = listing.split()
    for name in ("init", "bin/busybox", "sbin/kmod", "sbin/insmod", "m/hi.ko"):
        assert name in names


def test_missing_packages_are_named(monkeypatch) -> None:
    monkeypatch.setattr(machine.shutil, "which", lambda name: None)
    missing = machine.missing_packages("9.9.9-test")
    assert "qemu-system-x86" in missing and "linux-image-9.9.9-test" in missing
    assert machine.install_hint(missing).startswith("apt-get install ")


@pytest.mark.realkernel
@pytest.mark.skipif(machine.pick_version(None) is None
                    or machine.missing_packages(machine.pick_version(None) or "x"),
                    reason="the real-kernel packages are not installed")
def test_hi_on_the_real_kernel(tmp_path: Path) -> None:
    from kmodgui import SAMPLES_DIR
    shutil.copy(SAMPLES_DIR / "hi.c", tmp_path / "hi.c")
    session = machine.run(tmp_path, ["insmod hi.ko", "rmmod hi"], machine.pick_version(None) or "")
    assert session.build_status == 0, session.build_output
    texts = [line.split("] ", 1)[1] for line in session.steps[0].dmesg]
    assert texts == ["hi: loading out-of-tree module taints kernel.",
                     "hi: module verification failed: signature and/or required key missing "
                     "- tainting kernel",
                     "hi module being loaded."]
    assert [s.status for s in session.steps] == [0, 0]


def test_progress_names_the_command_being_run() -> None:
    said: list[str] = []
    on_line = machine._step_reporter(2, said.append)
    for line in CONSOLE.splitlines():
        on_line(line)
    assert said == ["running command 1 of 2: insmod hi.ko",
                    "running command 2 of 2: rmmod nope"]


def test_sources_that_reach_the_host_are_not_built(tmp_path: Path) -> None:
    """The real build runs this machine's gcc and make: a module may not
    include a host file, embed one, or run a command through a flag line."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "evil.c").write_text('#include <linux/module.h>\n#include "/etc/passwd"\n')
    status, output, kos = machine.build(folder, tmp_path / "work", "6.1.0-56-amd64", ["evil"])
    assert (status, kos) == (2, [])
    assert 'evil.c:2: #include "/etc/passwd"' in output and "passwd:" not in output
    (folder / "evil.c").write_text("#include <linux/module.h>\n")
    (folder / "Makefile").write_text("obj-m += evil.o\nccflags-y := $(shell id)\n")
    status, output, _ = machine.build(folder, tmp_path / "work2", "6.1.0-56-amd64", ["evil"])
    assert status == 2 and "Kbuild:1: a kbuild flag line" in output
    for line in ('#include "../x.h"', "#include <linux/../../x.h>", "#include WHERE",
                 'asm(".incbin \\"/etc/shadow\\"");'):
        assert machine._reaches_host("m.c", line), line
    assert machine._reaches_host("m.c", '#include <linux/init.h>\n#include "own.h"\n') == ""
    # a comment after the name is no part of the path (LKMPG's chardev.c)
    assert machine._reaches_host("m.c", "#include <linux/kernel.h> /* for sprintf() */") == ""
    assert machine._reaches_host("m.c", '#include "../x.h" /* own */')
