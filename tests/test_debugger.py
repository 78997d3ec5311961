"""The debugger engine (no Qt): stepping, breakpoints, faults, stepping back."""
from __future__ import annotations

import pytest

from kmodgui.debugger import Debugger
from kmodgui.kernel.events import ResourceReleased
from kmodgui.session import Session


def line_of(s: Session, stop) -> str:
    ko = next(iter(s.kernel.modules.values())).ko if s.kernel.modules else None
    src = ko.source_text[stop.site.file] if ko else ""
    return src.splitlines()[stop.site.line - 1].strip()


@pytest.fixture
def dbg():
    s = Session()
    d = Debugger(s)
    return s, d


def test_debug_insmod_pauses_before_the_first_statement_of_init(dbg):
    s, d = dbg
    st = d.start("insmod skull.ko")
    assert not st.finished and st.index == 1
    assert st.site.func == "my_init" and line_of(s, st) == 'pr_info("registering this\\n");'
    assert s.kernel.modules["skull"].state == "COMING"


def test_next_step_finish_and_locals(dbg):
    s, d = dbg
    d.start("insmod skull.ko")
    d.next()
    st = d.next()
    assert line_of(s, st) == "if (err)"
    assert d.locals()["err"] == "0"
    assert d.evaluate("err + 40") == "40"
    assert [f.func for f in d.frames()] == ["my_init"]


def test_breakpoint_by_line_and_continue_to_the_end(dbg):
    s, d = dbg
    d.start("insmod skull.ko")
    d.breaks.lines.add(("skull.c", 46))
    st = d.cont()
    assert st.reason == "breakpoint" and st.site.line == 46
    st = d.cont()
    assert st.finished and st.result.status == 0
    assert s.kernel.modules["skull"].state == "LIVE"


@pytest.mark.parametrize("func, unwound", [
    ("register_this", []),
    ("register_that", ["unregister_this"]),
    ("register_those", ["unregister_that", "unregister_this"]),
])
def test_fail_each_registration_and_watch_the_unwind(dbg, func, unwound):
    s, d = dbg
    d.start("insmod skull.ko")
    d.fail(func, 12)
    st = d.cont()
    assert st.finished and st.result.status == 1
    assert st.result.stderr == ("insmod: ERROR: could not insert module skull.ko: "
                                "Cannot allocate memory\n")
    rel = [e.api for e in s.trace.events if isinstance(e, ResourceReleased)]
    assert rel == unwound
    assert "skull" not in s.kernel.modules


def test_step_back_across_a_goto_restores_the_exact_state(dbg):
    s, d = dbg
    d.start("insmod skull.ko")
    d.fail("register_those", 12)
    while True:
        st = d.next()
        if line_of(s, st).startswith("goto fail_those"):
            break
    st = d.next()                                   # the jump
    assert line_of(s, st).startswith('pr_info("unwinding')
    d.next()
    st = d.next()                                   # unregister_that ran
    before = [e.api for e in s.trace.events if isinstance(e, ResourceReleased)]
    assert before == ["unregister_that"]
    back = d.back()
    assert back.index == st.index - 1
    assert [e.api for e in s.trace.events if isinstance(e, ResourceReleased)] == []
    back = d.back()
    back = d.back()
    assert line_of(s, back).startswith("goto fail_those")
    # forward again: the injected fault is replayed too
    st = d.cont()
    assert st.finished and st.result.status == 1


def test_step_back_over_a_call(tmp_path):
    (tmp_path / "calls.c").write_text("""#include <linux/module.h>
MODULE_LICENSE("GPL");
static int helper(int x)
{
	int y = x * 2;
	return y + 1;
}
static int __init calls_init(void)
{
	int a = 1;
	a = helper(a);
	a = a + 1;
	return 0;
}
module_init(calls_init);
""")
    s = Session(cwd=tmp_path)
    d = Debugger(s)
    d.start("insmod calls.ko")
    d.next()
    st = d.next()
    assert st.site.line == 12
    assert d.evaluate("a") == "3"
    st = d.back()
    assert st.site.func == "helper" and st.site.line == 6
    st = d.next()                                   # returns from helper
    assert st.site.line == 12
    st = d.back_over()
    assert st.site.func == "calls_init" and st.site.line == 11
    st = d.step()
    assert st.site.func == "helper"
    st = d.finish()
    assert st.site.func == "calls_init"


def test_function_breakpoint_and_quit(tmp_path):
    (tmp_path / "calls.c").write_text("""#include <linux/module.h>
MODULE_LICENSE("GPL");
static int helper(int x)
{
	return x + 1;
}
static int __init calls_init(void)
{
	int a = helper(1);
	a = helper(a);
	return a - 3;
}
module_init(calls_init);
""")
    s = Session(cwd=tmp_path)
    d = Debugger(s)
    d.start("insmod calls.ko")
    d.breaks.funcs.add("helper")
    st = d.cont()
    assert st.reason == "breakpoint" and st.site.func == "helper"
    assert d.evaluate("x") == "1"
    st = d.cont()
    assert st.site.func == "helper" and d.evaluate("x") == "2"
    d.quit()
    assert d.stop.finished and d.stop.result.status == 0
    assert s.kernel.modules["calls"].state == "LIVE"


def test_debug_rmmod_steps_through_exit_releases_in_reverse_order(dbg):
    s, d = dbg
    assert s.run("insmod skull.ko").status == 0
    st = d.start("rmmod skull")
    assert st.site.func == "my_exit" and s.kernel.modules["skull"].state == "GOING"
    released = []
    while not st.finished:
        st = d.next()
        released = [e.api for e in s.trace.events if isinstance(e, ResourceReleased)]
    assert released == ["unregister_those", "unregister_that", "unregister_this"]
    assert st.result.status == 0 and "skull" not in s.kernel.modules


def test_run_to_line_and_evaluate_struct_and_array(tmp_path):
    (tmp_path / "data.c").write_text("""#include <linux/module.h>
MODULE_LICENSE("GPL");
struct item { int id; char name[8]; };
static struct item items[2] = { { 1, "one" }, { 2, "two" } };
static int __init data_init(void)
{
	struct item *it = &items[1];
	int sum = items[0].id + it->id;
	return sum - 3;
}
module_init(data_init);
""")
    s = Session(cwd=tmp_path)
    d = Debugger(s)
    d.start("insmod data.ko")
    st = d.run_to("data.c", 9)
    assert st.site.line == 9
    assert d.evaluate("sum") == "3"
    assert d.evaluate("it->name") == '"two"'
    assert d.evaluate("items[0]") == '{id = 1, name = {...}}'
    with pytest.raises(ValueError):
        d.evaluate("data_init()")


# -- a step back re-runs each earlier command on what it ran on ----------------------------

FAILING_HI = """#include <linux/module.h>
MODULE_LICENSE("GPL");
static int __init hi_init(void)
{
	return -1;
}
module_init(hi_init);
"""


def _failed_insmod_in(folder) -> Session:
    """insmod hi.ko in `folder`, whose hi.c's init returns -1.  do_init_module()
    (kernel/module/main.c) frees a module whose init returned an error: it is
    not in the module list, and insmod exits with status 1 (kmod's insmod.c)."""
    (folder / "hi.c").write_text(FAILING_HI)
    s = Session(cwd=folder)
    assert s.run("insmod hi.ko").status == 1
    assert "hi" not in s.kernel.modules
    return s


def test_step_back_replays_an_earlier_insmod_in_its_own_folder(tmp_path):
    from kmodgui import SAMPLES_DIR
    s = _failed_insmod_in(tmp_path)
    s.cwd = SAMPLES_DIR                      # File -> Samples -> skull.c: hi.c returns 0 here
    d = Debugger(s)
    d.start("insmod skull.ko")
    d.next()
    here = d.next()
    back = d.back()
    assert not d.refusal and back.index == here.index - 1
    assert "hi" not in s.kernel.modules              # still the failed module, not a live one
    assert s.kernel.modules["skull"].state == "COMING"
    assert [c.status for c in s.history] == [1]
    assert s.cwd == SAMPLES_DIR                      # the shell stays where the user is


def test_step_back_takes_the_object_built_then_not_the_edited_source(tmp_path):
    s = _failed_insmod_in(tmp_path)
    (tmp_path / "hi.c").write_text(FAILING_HI.replace("return -1;", "return 0;"))
    (tmp_path / "two.c").write_text(FAILING_HI.replace("hi_init", "two_init")
                                    .replace("return -1;", "int a = 1;\n\ta++;\n\treturn 0;"))
    d = Debugger(s)
    d.start("insmod two.ko")
    d.next()
    d.back()
    assert not d.refusal
    assert "hi" not in s.kernel.modules and "two" in s.kernel.modules


def test_a_replay_that_cannot_do_the_same_is_refused_and_changes_nothing(tmp_path):
    from kmodgui import SAMPLES_DIR
    folder = tmp_path / "a"
    folder.mkdir()
    s = _failed_insmod_in(folder)
    for p in folder.iterdir():                       # the folder went away
        p.unlink()
    folder.rmdir()
    s.cwd = SAMPLES_DIR
    d = s.debugger = Debugger(s)
    d.start("insmod skull.ko")
    here = d.next()
    events = list(s.trace.events)
    kernel = s.kernel
    back = d.back()
    assert "insmod hi.ko" in d.refusal
    assert back is here and s.kernel is kernel and s.trace.events == events
    st = d.next()                                    # the paused command goes on
    assert st.index == here.index + 1 and d.active
    assert "cannot step back: `insmod hi.ko`" in s.run("back").stderr


def test_after_a_later_command_or_a_reboot_step_back_says_why_not(dbg):
    s, d = dbg
    s.debugger = d
    d.start("insmod hi.ko")
    st = d.cont()
    assert st.finished and d.why_no_back() == ""
    assert d.back().index == st.index - 1           # into the ended command: fine
    d.cont()
    s.run("lsmod")
    assert d.why_no_back() == "`lsmod` ran after `insmod hi.ko`: going back would undo it"
    res = s.run("back")
    assert res.status == 1 and res.stderr.startswith("cannot step back: `lsmod` ran after")
    s.reboot()
    assert d.why_no_back() == "the kernel rebooted after `insmod hi.ko`"


def test_step_back_after_a_reconfiguring_command_and_tmp_files(dbg):
    """A command that rebooted the machine (kconfig SYM=n reboots, as a new
    kernel would) is the boot the replay starts from, not a command to run
    again; /tmp and $? are as they were when that boot happened."""
    s, d = dbg
    for line in ("echo a >> /tmp/log", "kconfig MODULE_FORCE_UNLOAD=n", "echo b >> /tmp/log",
                 "false"):
        s.run(line)
    log = s.run("cat /tmp/log").stdout
    d.start("insmod skull.ko")
    d.next()
    d.back()
    assert d.refusal == "" and d.active
    assert [c.text for c in s.history] == ["echo b >> /tmp/log", "false", "cat /tmp/log"]
    assert s.run("cat /tmp/log").stdout == log


def test_a_command_killed_midway_cannot_be_replayed_and_step_back_says_so():
    """A command killed in the middle of init (the GUI's Interrupt: SIGKILL)
    left the machine in a state no replay reaches again: step back is off."""
    from kmodgui import SAMPLES_DIR
    s = Session(cwd=SAMPLES_DIR / "broken")
    job = s.start("insmod spin.ko")
    assert not job.advance(500)                     # init loops forever
    job.cancel()
    assert job.result.status == 137
    s.cwd = SAMPLES_DIR
    d = s.debugger = Debugger(s)
    d.start("insmod hi.ko")
    here = d.step()
    assert d.why_no_back() == ("`insmod spin.ko` was stopped before it finished: "
                               "a replay cannot redo that")
    assert d.back() is here and "cannot step back: `insmod spin.ko`" in s.run("back").stderr


def test_a_command_typed_while_paused_does_not_block_a_later_step_back(dbg):
    """lsmod while init is paused lists the module as Loading; the replay
    runs it before that insmod (one command after the other), so only its
    exit status is held to what it did."""
    s, d = dbg
    d.start("insmod hi.ko")
    during = s.run("lsmod")
    assert "hi" in during.stdout
    d.cont()
    assert [(c.text, c.interleaved) for c in s.history] == [("lsmod", True),
                                                            ("insmod hi.ko", False)]
    d.start("insmod skull.ko")
    d.next()
    d.back()
    assert d.refusal == "" and "hi" in s.kernel.modules


def test_the_debugged_command_resumed_by_continue_is_not_interleaved(dbg):
    s, d = dbg
    s.debugger = d
    s.run("debug insmod hi.ko")
    s.run("continue")                               # the debugged insmod ends inside it
    assert [(c.text, c.interleaved) for c in s.history] == [("insmod hi.ko", False)]


def test_step_back_after_the_trace_dropped_its_oldest_events(monkeypatch):
    # a long session: the boot and the first cycles are no longer in the
    # trace, yet the history replays them and positions stay absolute
    from kmodgui.kernel import events
    monkeypatch.setattr(events, "TRACE_KEPT", 64)
    s = Session()
    d = Debugger(s)
    for _ in range(20):
        s.run("insmod leak.ko")
        s.run("rmmod leak")
    assert s.trace.events.first > s.boot_event
    mark = len(s.trace.events)
    d.start("insmod skull.ko")
    d.next()
    st = d.next()
    back = d.back()
    assert back.index == st.index - 1 and len(s.trace.events) > mark
    assert len(s.kernel.ledger.held_by("leak")) == 20     # the replay leaked them again
    assert d.cont().finished and s.kernel.modules["skull"].state == "LIVE"
