"""The Session: shell state, events, reboots, the build cache, Jobs."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

from kmodgui import SAMPLES_DIR
from kmodgui.kernel import events
from kmodgui.session import Session
from kmodgui.userspace import base


def test_status_lists_and_unknown_commands(session: Session) -> None:
    assert run(session, "false; echo $?") == ("1\n", "", 0)
    assert run(session, "true && echo yes || echo no") == ("yes\n", "", 0)
    assert run(session, "false && echo yes || echo no") == ("no\n", "", 0)
    assert run(session, "frobnicate") == ("", "sh: 1: frobnicate: not found\n", 127)
    assert run(session, "echo 'open") == (
        "", "sh: 1: Syntax error: Unterminated quoted string\n", 2)
    assert run(session, "sudo /sbin/insmod hi.ko; echo $?") == ("0\n", "", 0)


def test_output_keeps_the_order_it_was_written_in(session: Session) -> None:
    r = session.run("echo one; rmmod nope; echo two")
    assert [fd for fd, _ in r.chunks] == [1, 2, 1]
    assert (r.argv, r.status) == (("echo", "two"), 0)


def test_internal_errors_are_reported_not_raised(session: Session,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(ctx: object, argv: list[str]) -> base.ToolResult:
        raise RuntimeError("kaputt")
    monkeypatch.setitem(base.TOOLS, "lsmod", boom)
    assert run(session, "lsmod; echo $?") == (
        "70\n", "kmodsim: internal error: RuntimeError: kaputt\n", 0)


def test_every_command_is_a_trace_event(session: Session) -> None:
    session.run("insmod hi.ko; rmmod nope")
    runs = [e for e in session.trace.events if isinstance(e, events.CommandRun)]
    assert [(e.argv, e.status) for e in runs] == [(("insmod", "hi.ko"), 0), (("rmmod", "nope"), 1)]
    assert runs[1].stderr == "rmmod: ERROR: Module nope is not currently loaded\n"
    assert runs[0].ts < runs[1].ts


def test_reboot_keeps_trace_and_config_but_not_modules(session: Session) -> None:
    session.set_config({"MODULE_FORCE_UNLOAD": False})
    run(session, "insmod hi.ko")
    trace, before = session.trace, len(session.trace.events)
    assert run(session, "reboot") == ("", "", 0)
    assert session.trace is trace and len(trace.events) > before
    assert session.kernel.modules == {} and session.config["MODULE_FORCE_UNLOAD"] is False
    assert sum(isinstance(e, events.Booted) for e in trace.events) == 3


def test_profile_switch(session: Session) -> None:
    assert run(session, "profile") == ("6.1 (6.1.0-56-amd64)\n", "", 0)
    assert run(session, "profile 2.6.30") == ("2.6.30 (2.6.30)\n", "", 0)
    assert "EXPERIMENTAL" in session.config and "MODULE_SIG" not in session.config
    assert run(session, "insmod hi_eperm.ko")[1].startswith("insmod: error inserting")
    assert run(session, "profile 3.0")[2] == 1


def test_builds_are_cached_by_source_content(session: Session, moddir: Path) -> None:
    first = session.build(moddir, "hi")
    assert session.build(moddir, "hi") is first
    (moddir / "hi.c").write_text((moddir / "hi.c").read_text().replace("being loaded", "here"))
    assert session.build(moddir, "hi") is not first
    run(session, "insmod hi.ko")
    assert session.kernel.log[-1].text == "hi module here."
    session.set_config({"MODVERSIONS": False})
    assert not session.is_built(moddir, "hi")     # another vermagic: rebuilt


def test_the_samples_folder_is_never_written(tmp_path: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in SAMPLES_DIR.rglob("*")}
    s = Session()
    assert s.cwd == SAMPLES_DIR
    s.run("make hi.ko; insmod hi.ko; rmmod hi; modinfo hi.ko")
    assert {p: p.stat().st_mtime_ns for p in SAMPLES_DIR.rglob("*")} == before


def test_job_runs_in_slices(session: Session) -> None:
    job = session.start("insmod loop.ko; lsmod")
    slices = 0
    while not job.advance(50):
        slices += 1
        assert job.result is None
        assert session.kernel.modules["loop"].state == "COMING"
    assert slices > 5
    assert job.result is not None and job.result.status == 0
    assert "loop " in job.result.stdout
    assert session.kernel.cpu.stop_at is None
    assert session.kernel.log[-1].text == "loop: sum 44850"


def test_job_cancel_kills_the_command(session: Session) -> None:
    job = session.start("insmod loop.ko")
    assert job.advance(20) is False
    job.cancel()
    assert job.finished and job.result is not None
    assert (job.result.status, job.result.stderr) == (137, "Killed\n")
    assert run(session, "echo $?") == ("137\n", "", 0)


def test_job_cancel_before_start(session: Session) -> None:
    job = session.start("insmod hi.ko")
    job.cancel()
    assert job.result is not None and job.result.status == 137
    assert session.kernel.modules == {}


def test_stuck_and_killed_commands(session: Session, moddir: Path) -> None:
    samples = SAMPLES_DIR / "broken"
    for name in ("spin.c", "nullderef.c"):
        (moddir / name).write_text((samples / name).read_text())
    out, err, status = run(session, "insmod nullderef.ko")
    assert (err, status) == ("Killed\n", 137)
    out, err, status = run(session, "insmod spin.ko")
    assert status == 124 and "is stuck in the kernel and will never return" in err


def test_kbuild_symvers_come_from_the_folders_other_modules() -> None:
    s = Session()
    assert run(s, "insmod expo.ko; insmod user.ko; echo $?") == ("0\n", "", 0)
