"""python -m kmodgui.lessons FILE [--module STUDENT.c] [-v]  (= kmodsim lesson)."""
import sys

from kmodgui.lessons.cli import lesson_main

raise SystemExit(lesson_main(sys.argv[1:]))
