"""Lessons: the classic init/exit lesson as guided, checked steps.

A lesson is a TOML file under resources/lessons/ (format: docs/lessons.md).
Headless:
    report = run_lesson(load_lesson(path), module_override=None)
    print(report.text()); report.passed
For the GUI's Lessons panel:
    lesson.steps; since = mark(session); results = do_step(step, session)
    check_step(step, session, results, since).passed
    check_step(step, session, None, since)   # the user's own commands, from the trace
"""
from kmodgui.lessons.cli import lesson_main
from kmodgui.lessons.expect import KINDS, CheckResult, describe
from kmodgui.lessons.loader import load_lesson, load_lessons, parse_lesson
from kmodgui.lessons.model import Edit, Expectation, Lesson, LessonError, Step
from kmodgui.lessons.runner import (LessonReport, StepResult, apply_edits, check_step,
                                    commands_since, do_step, mark, new_session,
                                    prepare_folder, run_lesson, student_folder)

__all__ = ["KINDS", "CheckResult", "Edit", "Expectation", "Lesson", "LessonError",
           "LessonReport", "Step", "StepResult", "apply_edits", "check_step",
           "commands_since", "describe", "do_step", "lesson_main", "load_lesson",
           "load_lessons", "mark", "new_session", "parse_lesson", "prepare_folder",
           "run_lesson", "student_folder"]
