"""Lessons: the bundled lesson files pass against the samples, a student's
module that misses the point fails at the right step, and malformed lesson
files give messages that name the file and the step."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from kmodgui import LESSONS_DIR, SAMPLES_DIR
from kmodgui.lessons import (KINDS, LessonError, check_step, commands_since, do_step,
                             lesson_main, load_lesson, load_lessons, mark, new_session,
                             prepare_folder, run_lesson)

LESSON_FILES = sorted(LESSONS_DIR.glob("*.toml"))
TOPICS = {"load-unload", "init-failure", "errno", "goto-unwind", "cleanup-function",
          "init-exit-sections", "kconfig", "positive-return", "permanent"}


def _samples_digest() -> str:
    h = hashlib.sha256()
    for p in sorted(SAMPLES_DIR.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(SAMPLES_DIR)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _lesson(name: str):
    return load_lesson(LESSONS_DIR / name)


@pytest.fixture(autouse=True)
def _own_modules_dir(tmp_path: Path, monkeypatch) -> Path:
    """The student's lesson folders per test, never ~/kmodgui-modules."""
    folder = tmp_path / "kmodgui-modules"
    monkeypatch.setenv("KMODGUI_MODULES_DIR", str(folder))
    return folder


# -- the student's folder ----------------------------------------------------------------
def test_a_headless_run_keeps_the_files_and_progress_in_the_students_folder(tmp_path):
    """As the app does: lessons/<lesson> in KMODGUI_MODULES_DIR, the lesson's
    edit made in the student's copy, the passed steps saved as done."""
    from kmodgui.lessons import student_folder
    from kmodgui.lessons.progress import Progress
    lesson = _lesson("02-init-failure.toml")
    folder = student_folder(lesson)
    assert folder == tmp_path / "kmodgui-modules" / "lessons" / "02-init-failure"
    before = _samples_digest()
    report = run_lesson(lesson)
    assert report.passed and report.folder == folder
    assert "return -1;" in (folder / lesson.source).read_text()     # step 1's edit, kept
    assert Progress.load(folder, len(lesson.steps)).done == set(range(len(lesson.steps)))
    assert str(folder / lesson.source) in report.text()
    assert _samples_digest() == before


def test_a_second_run_resumes_on_the_students_own_files(tmp_path):
    """The student's own change stays (their file is not replaced by the
    sample), an edit already made is not made again, and it passes again."""
    from kmodgui.lessons import student_folder
    lesson = _lesson("02-init-failure.toml")
    folder = student_folder(lesson)
    folder.mkdir(parents=True)
    mine = (SAMPLES_DIR / lesson.source).read_text().replace(
        "return 0;", "return -1;  /* my change */")
    (folder / lesson.source).write_text(mine)
    assert run_lesson(lesson).passed
    assert (folder / lesson.source).read_text() == mine
    assert run_lesson(lesson).passed
    assert (folder / lesson.source).read_text() == mine


def test_grading_a_given_file_leaves_the_students_folder_alone(tmp_path):
    from kmodgui.lessons import student_folder
    lesson = _lesson("02-init-failure.toml")
    student = tmp_path / "graded.c"
    student.write_text((SAMPLES_DIR / lesson.source).read_text().replace("return 0;",
                                                                         "return -1;"))
    run_lesson(lesson, module_override=student)
    assert not student_folder(lesson).exists()


# -- the bundled lessons ---------------------------------------------------------------
def test_one_lesson_per_topic_of_the_classic_lesson() -> None:
    lessons = load_lessons()
    assert {l.topic for l in lessons} == TOPICS
    assert len(lessons) == len(LESSON_FILES) == len(TOPICS)


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_lesson_passes_against_the_samples(path: Path) -> None:
    report = run_lesson(load_lesson(path))
    assert report.passed, report.text(verbose=True)
    assert all(s.checks for s in report.steps)
    assert report.text().rstrip().endswith("expectations")


def test_running_lessons_never_writes_into_the_samples() -> None:
    before = _samples_digest()
    for lesson in load_lessons():
        run_lesson(lesson)
    assert _samples_digest() == before


def test_every_expectation_kind_is_used_by_some_lesson() -> None:
    used = {e.kind for l in load_lessons() for s in l.steps for e in s.expect}
    assert used == set(KINDS)


# -- grading a student's module ------------------------------------------------------
def _student(tmp_path: Path, name: str, find: str, replace: str) -> Path:
    text = (SAMPLES_DIR / "hi.c").read_text()
    path = tmp_path / name
    path.write_text(text.replace(find, replace))
    return path


def test_student_module_that_still_returns_0_fails_at_step_1(tmp_path: Path) -> None:
    student = _student(tmp_path, "my_hi.c", "return 0;", "return 0;")
    report = run_lesson(_lesson("02-init-failure.toml"), module_override=student)
    assert not report.passed
    first = report.first_failure
    assert first is not None and first.step.number == 1
    failed = [c for c in first.checks if not c.passed]
    assert any("insmod fails with 'Operation not permitted'" == c.expected and
               "succeeded (exit 0)" in c.seen for c in failed)
    text = report.text()
    assert "step 1/3 (Make init return -1): FAILED" in text
    assert text.rstrip().endswith("FAILED at step 1 (Make init return -1): 1 of 3 steps passed")
    assert f"module: {student} as hi.c" in text


def test_student_module_is_taken_as_is(tmp_path: Path) -> None:
    # the lesson's edit (return 0 -> return -1) is not applied: the student did it
    student = _student(tmp_path, "hi.c", "return 0;", "return -1;")
    report = run_lesson(_lesson("02-init-failure.toml"), module_override=student)
    assert report.passed, report.text(verbose=True)
    assert student.read_text().count("return -1;") == 1      # untouched


def test_missing_student_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LessonError, match="no such file"):
        run_lesson(_lesson("02-init-failure.toml"), module_override=tmp_path / "nope.c")


def test_lesson_cli_exit_statuses(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    lesson = str(LESSONS_DIR / "02-init-failure.toml")
    assert lesson_main([lesson], out, err) == 0
    assert "PASSED: 3 of 3 steps" in out.getvalue()
    student = _student(tmp_path, "hi.c", "return 0;", "return 0;")
    out = io.StringIO()
    assert lesson_main([lesson, "--module", str(student)], out, err) == 1
    assert "FAILED at step 1" in out.getvalue()
    bad = tmp_path / "bad.toml"
    bad.write_text("title = \n")
    assert lesson_main([str(bad)], out, err) == 2
    assert err.getvalue().startswith(f"kmodsim lesson: {bad}: not valid TOML")


# -- the GUI's API ---------------------------------------------------------------------
def test_check_step_ticks_only_after_the_users_own_action(tmp_path: Path) -> None:
    lesson = _lesson("09-permanent.toml")
    session = new_session(lesson, prepare_folder(lesson, tmp_path, None))
    first = lesson.steps[0]
    since = mark(session)
    assert not check_step(first, session, [], since).passed
    results = [session.run("insmod hi_permanent.ko"), session.run("lsmod")]
    assert check_step(first, session, results, since).passed


def test_check_step_reads_the_users_commands_from_the_trace(tmp_path: Path) -> None:
    # the user typed one `;` list in the shell: the trace has each command
    lesson = _lesson("07-kconfig.toml")
    session = new_session(lesson, prepare_folder(lesson, tmp_path, None))
    for step in lesson.steps[:2]:
        do_step(step, session)
    third = lesson.steps[2]
    since = mark(session)
    session.run("insmod hi.ko; rmmod hi; rmmod -f hi")
    assert [r.argv for r in commands_since(session, since)] == [
        ("insmod", "hi.ko"), ("rmmod", "hi"), ("rmmod", "-f", "hi")]
    result = check_step(third, session, None, since)
    assert result.passed, [(c.expected, c.seen) for c in result.checks if not c.passed]


def test_dmesg_checks_count_only_lines_since_the_mark(tmp_path: Path) -> None:
    lesson = _lesson("01-load-unload.toml")
    session = new_session(lesson, prepare_folder(lesson, tmp_path, None))
    load, unload = lesson.steps[0], lesson.steps[3]
    results = do_step(load, session)
    assert check_step(load, session, results, 0).passed
    # the load line is in the log, but not since the next step began
    assert not check_step(load, session, results, mark(session)).passed
    since = mark(session)
    assert check_step(unload, session, do_step(unload, session), since).passed


def test_do_step_applies_edits_in_the_sessions_folder(tmp_path: Path) -> None:
    lesson = _lesson("08-positive-return.toml")
    session = new_session(lesson, prepare_folder(lesson, tmp_path, None))
    step = lesson.steps[0]
    since = mark(session)
    assert check_step(step, session, do_step(step, session), since).passed
    assert "return 42;" in (tmp_path / "hi.c").read_text()


def test_do_step_refuses_to_edit_the_bundled_samples() -> None:
    lesson = _lesson("02-init-failure.toml")
    session = new_session(lesson, SAMPLES_DIR)
    before = _samples_digest()
    with pytest.raises(LessonError, match="refusing to edit the bundled samples"):
        do_step(lesson.steps[0], session)
    assert _samples_digest() == before


def test_an_edit_that_does_not_apply_fails_its_step(tmp_path: Path) -> None:
    path = tmp_path / "edit.toml"
    path.write_text(LESSON_HEAD + STEP.replace(
        'commands = ["insmod hi.ko"]',
        'edit = { find = "return 7;", replace = "return 0;" }\ncommands = ["insmod hi.ko"]'))
    report = run_lesson(load_lesson(path))
    assert not report.passed
    assert report.steps[0].error == "step 1 (Load): edit: 'return 7;' not found in hi.c"
    assert "error: step 1 (Load): edit: 'return 7;' not found in hi.c" in report.text()


# -- malformed lesson files --------------------------------------------------------------
LESSON_HEAD = 'title = "T"\ntopic = "t"\nmodule = "hi"\nexplain = "E"\n'
STEP = '\n[[steps]]\ntitle = "Load"\nexplain = "x"\ncommands = ["insmod hi.ko"]\n' \
       'expect = [ { status = 0 } ]\n'
STEP2 = '\n[[steps]]\ntitle = "Second"\nexplain = "x"\ncommands = ["lsmod"]\n'

MALFORMED = [
    ("title = \n", "bad.toml: not valid TOML: "),
    ('topic = "t"\nmodule = "hi"\nexplain = "E"\n' + STEP, "bad.toml: missing 'title'"),
    (LESSON_HEAD + 'colour = "red"\n' + STEP, "bad.toml: unknown key 'colour'"),
    (LESSON_HEAD.replace('"hi"', '"nosuch"'), "module 'nosuch' is not a sample"),
    (LESSON_HEAD + 'profile = "5.0"\n' + STEP, "unknown profile '5.0'"),
    (LESSON_HEAD, "a lesson needs [[steps]]"),
    (LESSON_HEAD + STEP + STEP2 + "expect = [ { lsmod_list = \"hi\" } ]\n",
     "step 2 (Second): expectation 1: an expectation needs exactly one kind "
     "(found none, only lsmod_list)"),
    (LESSON_HEAD + STEP + STEP2 + "expect = [ { status = 0, stdout = \"x\" } ]\n",
     "step 2 (Second): expectation 1: an expectation needs exactly one kind "
     "(found status, stdout)"),
    (LESSON_HEAD + STEP + STEP2 + "expect = [ { status = \"0\" } ]\n",
     "step 2 (Second): expectation 1: status: expected a number, got '0'"),
    (LESSON_HEAD + STEP + STEP2 + "expect = [ { proc_modules = \"hi\" } ]\n",
     "expectation 1: 'proc_modules' needs exactly one of shows"),
    (LESSON_HEAD + STEP + STEP2 + "expect = [ { dmesg = \"x\", level = \"loud\" } ]\n",
     "expectation 1: level: unknown printk level 'loud'"),
    (LESSON_HEAD + STEP + STEP2 + "expect = [ { dmesg = \"x\", lvl = 6 } ]\n",
     "expectation 1: unknown key 'lvl' (it takes level)"),
    (LESSON_HEAD + STEP + STEP2 + "expect = [ { tainted = \"r\" } ]\n",
     "tainted: taint letters are capitals"),
    (LESSON_HEAD + STEP + STEP2 + "expect = [ { status = 0, of = \"insmdo\" } ]\n",
     "of: 'insmdo' does not start with a command"),
    (LESSON_HEAD + STEP + STEP2 + "expect = []\n",
     "step 2 (Second): 'expect' must list at least one expectation"),
    (LESSON_HEAD + STEP + STEP2.replace('["lsmod"]', '["insmod hi.ko; lsmod"]')
     + "expect = [ { status = 0 } ]\n", "step 2 (Second): command 'insmod hi.ko; lsmod': "
     "write one command per entry"),
    (LESSON_HEAD + STEP + STEP2.replace('["lsmod"]', '["modprobe hi"]')
     + "expect = [ { status = 0 } ]\n", "command 'modprobe hi': unknown command 'modprobe'"),
    (LESSON_HEAD + STEP + STEP2 + 'config = { MODULE_UNLOADING = false }\n'
     "expect = [ { status = 0 } ]\n", "step 2 (Second): config: unknown config symbol"),
    (LESSON_HEAD + STEP + STEP2 + 'edit = { find = "a", replace = "b", file = "../x.c" }\n'
     "expect = [ { status = 0 } ]\n", "step 2 (Second): edit: 'file' must be a file of the "
     "module's folder"),
    (LESSON_HEAD + STEP + STEP2 + 'edit = { find = "a" }\nexpect = [ { status = 0 } ]\n',
     "step 2 (Second): edit: 'replace' must be a text"),
    (LESSON_HEAD + STEP + '\n[[steps]]\nexplain = "x"\nexpect = [ { status = 0 } ]\n',
     "bad.toml: step 2: missing 'title'"),
]


@pytest.mark.parametrize("text,message", MALFORMED)
def test_malformed_lesson_files_name_file_and_step(tmp_path: Path, text: str,
                                                   message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    assert message in str(info.value)
    assert str(info.value).startswith(str(path))


def test_the_minimal_lesson_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(LESSON_HEAD + STEP)
    lesson = load_lesson(path)
    assert lesson.profile == "6.1" and lesson.source == "hi.c"
    assert run_lesson(lesson).passed


def test_config_accepts_y_n_and_config_prefix(tmp_path: Path) -> None:
    path = tmp_path / "cfg.toml"
    path.write_text(LESSON_HEAD + 'config = { CONFIG_MODULE_UNLOAD = "n" }\n' +
                    STEP.replace("{ status = 0 }", '{ status = 0 }, '
                                 '{ proc_modules = "hi", shows = " - - Live" }'))
    lesson = load_lesson(path)
    assert lesson.config == (("MODULE_UNLOAD", False),)
    assert run_lesson(lesson).passed


def test_copy_keeps_the_makefile_for_multi_file_modules(tmp_path: Path) -> None:
    lesson = _lesson("01-load-unload.toml")
    folder = prepare_folder(lesson, tmp_path, None)
    assert (folder / "Makefile").is_file() and (folder / "start.c").is_file()
    assert not (folder / "broken").exists()
    session = new_session(lesson, folder)
    assert session.run("insmod startstop.ko").status == 0
