"""The source view: outline scan, goto arrows, diagnostics, discarded code."""
from __future__ import annotations

from pathlib import Path

from kmodgui.gui.source.marks import arrow_lanes, marks_for
from kmodgui.gui.source.outline import scan
from kmodgui.gui.source.view import SourceView

DATA = Path(__file__).resolve().parent / "data"


def test_scan_finds_sections_and_the_goto_ladder():
    out = scan((DATA / "skull.c").read_text())
    assert [(f.name, f.section) for f in out.functions] == [("my_init", "init"), ("my_exit", "exit")]
    assert {(g.label, g.goto_line, g.label_line) for g in out.gotos} == {
        ("fail_this", 18, 31), ("fail_that", 21, 29), ("fail_those", 24, 27)}


def test_scan_ignores_gotos_in_comments_and_strings():
    text = "static int f(void)\n{\n\t/* goto out; */\n\tprintk(\"goto out;\");\nout:\n\treturn 0;\n}\n"
    assert scan(text).gotos == []


def test_nested_arrows_get_distinct_lanes():
    lanes = arrow_lanes([(18, 31), (21, 29), (24, 27)])
    assert lanes == [2, 1, 0]
    assert arrow_lanes([(1, 3), (5, 9)]) == [0, 0]        # disjoint: same lane


def test_diagnostics_of_other_files_are_dropped():
    diags = [("skull.c", 5, 3, "error", "boom"), ("linux/module.h", 9, 1, "warning", "x")]
    marks = marks_for(diags, DATA / "skull.c")
    assert [(m.line, m.severity) for m in marks] == [(5, "error")]


def test_view_marks_discarded_sections(qtbot):
    view = SourceView()
    qtbot.addWidget(view)
    view.load(DATA / "skull.c", (DATA / "skull.c").read_text())
    view.set_discarded({"init"})
    hatched = [s for s in view.extraSelections() if s.format.background().style() != 0
               and s.format.background().style().name == "BDiagPattern"]
    assert len(hatched) == 33 - 12 + 1                    # every line of my_init
    assert "freed after init" in view.describe_line(20)
    assert "freed" not in view.describe_line(36)
