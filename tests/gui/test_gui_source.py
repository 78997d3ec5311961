"""The source view: outline scan, goto arrows, diagnostics, discarded code,
and editing (undo, auto-indent, find, diagnostics that follow the text)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from kmodgui.gui.source import indent
from kmodgui.gui.source.marks import Mark, arrow_lanes, marks_for
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


# -- the editor -------------------------------------------------------------------


def _view(qtbot, text: str, name: str = "x.c") -> SourceView:
    view = SourceView()
    qtbot.addWidget(view)
    view.load(Path(name), text)
    view.resize(800, 600)
    return view


def _cursor_to(view: SourceView, line: int, col: int | None = None) -> None:
    block = view.document().findBlockByNumber(line - 1)
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + (len(block.text()) if col is None else col - 1))
    view.setTextCursor(cursor)


def test_typing_is_undoable_and_marks_the_document_modified(qtbot):
    view = _view(qtbot, "int x;\n")
    assert not view.isReadOnly() and not view.document().isModified()
    _cursor_to(view, 1)
    qtbot.keyClicks(view, " /* hi */")
    assert view.toPlainText() == "int x; /* hi */\n"
    assert view.document().isModified()
    view.undo()
    assert view.toPlainText() == "int x;\n"
    view.redo()
    assert view.toPlainText() == "int x; /* hi */\n"


def test_auto_indent_follows_kernel_style(qtbot):
    view = _view(qtbot, "static int f(void)")
    _cursor_to(view, 1)
    for keys in ("{", "int err = g();", "if (err)", "goto out;", "return 0;", "\tout:",
                 "return err;", "}"):
        qtbot.keyClick(view, Qt.Key_Return)
        qtbot.keyClicks(view, keys)
    assert view.toPlainText() == (
        "static int f(void)\n{\n\tint err = g();\n\tif (err)\n\t\tgoto out;\n\treturn 0;\n"
        "out:\n\treturn err;\n}")


def test_enter_between_braces_opens_an_indented_line(qtbot):
    view = _view(qtbot, "\tif (x) {}")
    _cursor_to(view, 1, len("\tif (x) {") + 1)
    qtbot.keyClick(view, Qt.Key_Return)
    qtbot.keyClicks(view, "y();")
    assert view.toPlainText() == "\tif (x) {\n\t\ty();\n\t}"
    view.undo()
    view.undo()
    assert view.toPlainText() == "\tif (x) {}"


def test_tab_and_shift_tab_indent_selected_lines(qtbot):
    view = _view(qtbot, "a;\nb;\n")
    cursor = view.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(4, QTextCursor.KeepAnchor)
    view.setTextCursor(cursor)
    qtbot.keyClick(view, Qt.Key_Tab)
    assert view.toPlainText() == "\ta;\n\tb;\n"
    qtbot.keyClick(view, Qt.Key_Backtab)
    assert view.toPlainText() == "a;\nb;\n"


def test_indent_rules():
    assert indent.newline_indent("\tif (a && (b))", None) == "\t\t"
    assert indent.newline_indent("\tif (a &&", None) == "\t"          # unfinished condition
    assert indent.newline_indent("\t\tfoo();", "\tif (x)") == "\t"     # braceless body done
    assert indent.newline_indent("fail_this:", None) == "\t"
    assert indent.newline_indent("\tswitch (x) {", None) == "\t\t"
    assert indent.closing_indent("\tif (x) {\n\t\ty();\n\t\t") == "\t"
    assert indent.label_outdent("\tfail:") == "fail:"
    assert indent.label_outdent("\tdefault:") is None


def test_find_bar_counts_wraps_and_respects_case(qtbot):
    text = (DATA / "skull.c").read_text()
    view = _view(qtbot, text, "skull.c")
    bar = view.find_bar
    bar.open_bar()
    bar.field.setText("register_those")                  # searches as you type
    total = text.count("register_those")
    assert total >= 2
    assert view.textCursor().selectedText() == "register_those"
    assert bar.status.text() == f"1 of {total}"
    assert len(view.selections("find")) + len(view.selections("find-current")) == total
    first = view.textCursor().selectionStart()
    for _ in range(total):
        bar.find()
    assert view.textCursor().selectionStart() == first   # wrapped around
    bar.find(backward=True)
    assert bar.status.text() == f"{total} of {total}"
    bar.case.setChecked(True)
    bar.field.setText("REGISTER_THOSE")
    assert bar.status.text() == "✖ not found"
    qtbot.keyClick(bar.field, Qt.Key_Escape)
    assert bar.isHidden() and view.selections("find") == []


def test_diagnostics_follow_their_text_and_squiggle_the_token(qtbot):
    view = _view(qtbot, "int a;\nint b = c;\n")
    view.set_marks([Mark(2, 9, "error", "'c' undeclared")])
    [squiggle] = view.selections("squiggle")
    assert squiggle.cursor.selectedText() == "c"
    _cursor_to(view, 1, 1)
    qtbot.keyClick(view, Qt.Key_Return)
    assert [(m.line, m.col) for m in view.marks] == [(3, 9)]
    assert view.selections("squiggle")[0].cursor.blockNumber() == 2
    assert "x.c:3:9: error: 'c' undeclared" in view.describe_line(3)


def test_goto_arrows_follow_a_text_scan_while_editing(qtbot):
    view = _view(qtbot, "static int f(void)\n{\n\tgoto out;\nout:\n\treturn 0;\n}\n")
    assert [(g.goto_line, g.label_line) for g in view.outline.gotos] == [(3, 4)]
    _cursor_to(view, 3, 1)
    qtbot.keyClick(view, Qt.Key_Return)
    qtbot.waitUntil(lambda: [(g.goto_line, g.label_line) for g in view.outline.gotos] == [(4, 5)])
