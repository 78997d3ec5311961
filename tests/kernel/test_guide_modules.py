"""Modules of the kind the Linux Kernel Module Programming Guide teaches,
written for these tests (tests/kernel/data/guide/), against the real kernel.

Each real-*.txt there is `kmodsim record --real -C tests/kernel/data/guide`
on Debian's linux-image-6.1.0-56-amd64 in QEMU, replayed here by `kmodsim
compare` (no QEMU):
- real-skey.txt: static keys (skey.c, <linux/jump_label.h>): the counts and
  branches of DEFINE_STATIC_KEY_FALSE/TRUE keys through enable, disable,
  inc and dec, driven from init and from `echo on > /dev/skey`; misuse=1..3
  give the WARN_ON_ONCE reports of kernel/jump_label.c (enable or disable
  of a key counted up by two incs, a dec of a key at 0) and taint W once;
  a write() the module refuses is dash's "echo: I/O error";
- real-clit-cur.txt: compound literals and structs by value (clit.c:
  `(kuid_t){ 0 }` passed to proc_set_user() as procfs3.c does, literals as
  lvalues, at file scope, in a loop, returned from a function), then
  `current` from <asm/current.h>, signal sets, f_flags and
  wait_event_interruptible() as sleep.c uses them (cur.c);
- real-ioc.txt: a cdev with read, write and unlocked_ioctl as ioctl.c
  (ioc.c): __put_user()/__get_user() per byte, __func__ in its messages,
  the node made by device_create().  No shell tool of a Debian machine
  issues ioctl(2) (coreutils, util-linux, dash and busybox have none), so
  the ioctl method is compiled but driven by no recorded command;
- real-pcb.txt: module_param_cb() with the module's own kernel_param_ops
  wrapping param_set_int()/param_get_int() (pcb.c, as hello-6.c): set() at
  insmod and for each write of /sys/module/pcb/parameters/level (its
  -EINVAL refusing "x"), get() for each read, a bad value at insmod.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from kmodgui.realkernel.compare import compare_file
from kmodgui.session import Session

DATA = Path(__file__).parent / "data" / "guide"


def _replay(name: str, tmp_path: Path):
    folder = tmp_path / "guide"
    shutil.copytree(DATA, folder)
    return compare_file(DATA / name, folder=folder)


def test_static_keys_are_the_real_kernels(tmp_path: Path) -> None:
    c = _replay("real-skey.txt", tmp_path)
    assert len(c.steps) == 14
    for i, step in enumerate(c.steps, 1):
        assert step.matches, f"step {i}: {step.command}\n{step.real}\n{step.sim}"


def test_compound_literals_and_current_are_the_real_kernels(tmp_path: Path) -> None:
    c = _replay("real-clit-cur.txt", tmp_path)
    for i, step in enumerate(c.steps, 1):
        if step.command.startswith("dd ") or step.command == "dmesg":
            continue
        assert step.matches, f"step {i}: {step.command}\n{step.real}\n{step.sim}"
    assert c.matched == len(c.steps) - 2


def test_dd_differs_only_in_how_the_shell_opens_and_reports(tmp_path: Path) -> None:
    """Known difference: kmodsim's dd opens the file as `cat` would (comm
    "cat", no O_NONBLOCK for iflag=nonblock) and prints no timing; what the
    module does with the open is the same."""
    c = _replay("real-clit-cur.txt", tmp_path)
    dd = next(s for s in c.steps if s.command.startswith("dd "))

    def module_lines(lines: tuple[str, ...]) -> list[str]:
        return [re.sub(r"open by \w+, nonblock \d", "open by P, nonblock N", ln)
                for ln in lines if "cur:" in ln]
    assert not dd.matches
    assert module_lines(dd.real) == module_lines(dd.sim) != []


def test_put_user_get_user_and_func_are_the_real_kernels(tmp_path: Path) -> None:
    """Every step matches but dd's last line: coreutils' dd prints the time
    taken and the rate ("2 bytes copied, 0.00675236 s, 0.3 kB/s"), which
    kmodsim's dd leaves out (timing is not behaviour)."""
    c = _replay("real-ioc.txt", tmp_path)
    for i, step in enumerate(c.steps, 1):
        if step.command.startswith("dd "):
            assert [re.sub(r", [\d.]+ s, [\d.]+ kB/s$", "", ln) for ln in step.real] == \
                list(step.sim)
            continue
        assert step.matches, f"step {i}: {step.command}\n{step.real}\n{step.sim}"


def test_parameter_operations_are_the_real_kernels(tmp_path: Path) -> None:
    c = _replay("real-pcb.txt", tmp_path)
    assert len(c.steps) == 10
    for i, step in enumerate(c.steps, 1):
        assert step.matches, f"step {i}: {step.command}\n{step.real}\n{step.sim}"


def _session(tmp_path: Path, *names: str) -> Session:
    for n in names:
        shutil.copy(DATA / n, tmp_path)
    return Session("6.1", cwd=tmp_path)


def test_a_compound_literal_is_a_fresh_object_each_time_its_block_runs(tmp_path: Path) -> None:
    """C11 6.5.2.5p16: the literal in a loop body is one object, its
    initialiser run on every pass (clit's loop total)."""
    s = _session(tmp_path, "clit.c")
    assert s.run("insmod clit.ko").status == 0
    assert "clit: loop total 6" in s.run("dmesg").stdout
