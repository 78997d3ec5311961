"""The source view's debugger API: paused line, breakpoints, the goto
animation, the unwind trace, and the fault-injection context menu."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QTextCursor

from kmodgui import SAMPLES_DIR
from kmodgui.gui.source.debugview import EXEC_ARROW
from kmodgui.gui.source.view import SourceView

SKULL = SAMPLES_DIR / "skull.c"


def _view(qtbot, path=SKULL) -> SourceView:
    view = SourceView()
    qtbot.addWidget(view)
    view.load(path, path.read_text())
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.show_first_function()
    return view


def line_of(view: SourceView, needle: str) -> int:
    for n in range(1, view.blockCount() + 1):
        if needle in view.line_text(n):
            return n
    raise AssertionError(needle)


def _colours_in_row(image: QImage, y: int, x0: int = 0, x1: int | None = None) -> set[str]:
    return {QColor(image.pixel(x, y)).name() for x in range(x0, x1 or image.width())}


def _gutter_row(view: SourceView, line: int) -> tuple[QImage, int]:
    image = view.gutter.grab().toImage()
    scale = image.height() / max(1, view.gutter.height())
    y = int((view.line_top(line) + view.line_height() / 2) * scale)
    return image, y


def test_exec_line_is_highlighted_marked_and_scrolled_into_view(qtbot):
    view = _view(qtbot)
    line = line_of(view, "module_exit(my_exit)")
    first, last = view.visible_lines()
    assert not first <= line <= last
    view.set_exec_line(line)
    first, last = view.visible_lines()
    assert first <= line <= last - 3
    [sel] = view.selections("exec")
    assert sel.cursor.blockNumber() + 1 == line
    image, y = _gutter_row(view, line)
    assert QColor(EXEC_ARROW).name() in _colours_in_row(image, y)      # the gutter arrow
    view.set_exec_line(None)
    assert view.selections("exec") == []
    image, y = _gutter_row(view, line)
    assert QColor(EXEC_ARROW).name() not in _colours_in_row(image, y)


def test_exec_line_is_centred_at_projector_zoom(qtbot):
    view = _view(qtbot)
    view.set_zoom(2.0)
    line = line_of(view, "register_that(&that_item")
    view.set_exec_line(line)
    first, _last = view.visible_lines()
    rows = view.visible_rows()
    assert abs((line - first) - rows // 2) <= 1


def test_breakpoints_set_toggle_click_f9_and_signal(qtbot):
    view = _view(qtbot)
    toggled: list[tuple[int, bool]] = []
    view.breakpoint_toggled.connect(lambda line, on: toggled.append((line, on)))
    this = line_of(view, "err = register_this(")
    that = line_of(view, "err = register_that(")
    view.set_breakpoints({this, that})
    assert view.breakpoints() == {this, that} and toggled == []         # no signal
    image, y = _gutter_row(view, this)
    assert QColor(view.theme.error).name() in _colours_in_row(image, y)
    assert "#ffffff" in _colours_in_row(image, y, int(view.gutter.band_width()),
                                        int(view.gutter.band_width() + view.gutter.marker_width()))
    # a click in the margin
    y_click = int(view.line_top(that) + view.line_height() / 2)
    qtbot.mouseClick(view.gutter, Qt.LeftButton, pos=QPoint(int(view.gutter.band_width()) + 3, y_click))
    assert toggled == [(that, False)] and view.breakpoints() == {this}
    # F9 at the cursor's line
    those = line_of(view, "err = register_those(")
    view.setTextCursor(QTextCursor(view.document().findBlockByNumber(those - 1)))
    view.setFocus()
    assert view.toggle_breakpoint_action.shortcut().toString() == "F9"
    view.toggle_breakpoint_action.trigger()
    assert toggled[-1] == (those, True) and view.breakpoints() == {this, those}


def test_breakpoints_move_with_their_text(qtbot):
    view = _view(qtbot)
    this = line_of(view, "err = register_this(")
    view.set_breakpoints({this})
    toggled: list[tuple[int, bool]] = []
    view.breakpoint_toggled.connect(lambda line, on: toggled.append((line, on)))
    view.setTextCursor(QTextCursor(view.document().findBlockByNumber(0)))
    qtbot.keyClick(view, Qt.Key_Return)
    assert view.breakpoints() == {this + 1}
    assert toggled == [(this, False), (this + 1, True)]
    assert "register_this" in view.line_text(this + 1)


def test_jump_animation_runs_and_finishes(qtbot):
    view = _view(qtbot)
    goto = line_of(view, "goto fail_those")
    label = line_of(view, "fail_those:")
    view.set_animation(True, 120)
    with qtbot.waitSignal(view.jump_animation_finished, timeout=5000):
        view.animate_jump(goto, label, "fail_those")
        assert view.jump_running() and view.jump.progress < 1.0
    assert view.jump.progress == 1.0 and not view.jump_running()
    taken = view.taken_goto()
    assert (taken.goto_line, taken.label_line, taken.label) == (goto, label, "fail_those")
    # the taken edge is drawn thick and full colour; the note names the jump
    image, y = _gutter_row(view, (goto + label) // 2)
    lane = _colours_in_row(image, y, int(view.gutter.arrows_x()))
    assert QColor(view.theme.label).name() in lane
    assert view._debug_notes(1, view.blockCount())[label][0][0].startswith("◀ goto fail_those")


def test_jump_without_animation_is_drawn_at_once_and_still_signalled(qtbot):
    view = _view(qtbot)
    view.set_animation(False, 500)
    finished: list[int] = []
    view.jump_animation_finished.connect(lambda: finished.append(1))
    view.animate_jump(line_of(view, "goto fail_this"), line_of(view, "fail_this:"), "fail_this")
    assert view.jump.progress == 1.0 and not view.jump_running()
    assert finished == []                                   # queued, not re-entrant
    qtbot.waitUntil(lambda: finished == [1])


def test_a_newer_jump_ends_the_running_one_and_each_is_signalled(qtbot):
    view = _view(qtbot)
    view.set_animation(True, 10_000)
    finished: list[int] = []
    view.jump_animation_finished.connect(lambda: finished.append(1))
    view.animate_jump(line_of(view, "goto fail_that"), line_of(view, "fail_that:"), "fail_that")
    view.animate_jump(line_of(view, "goto fail_this"), line_of(view, "fail_this:"), "fail_this")
    assert finished == [1] and view.jump.label == "fail_this" and view.jump_running()
    view.set_animation(True, 0)
    view.clear_trace()                                       # ends it too
    assert finished == [1, 1] and view.jump is None


def test_a_jump_missing_from_the_outline_gets_its_own_lane(qtbot):
    view = _view(qtbot)
    lanes = view.arrow_lane_count()
    view.set_animation(False)
    view.animate_jump(10, 20, "elsewhere")
    assert view.taken_goto() is None and view.arrow_lane_count() == lanes + 1
    view.clear_trace()
    assert view.arrow_lane_count() == lanes


def test_trace_marks_the_unwind_lines(qtbot):
    view = _view(qtbot)
    start = line_of(view, "fail_those:")
    end = line_of(view, "return err;")
    view.bring_into_view(start)
    view.set_trace(list(range(start, end + 1)))
    assert [s.cursor.blockNumber() + 1 for s in view.selections("trace")] == list(range(start, end + 1))
    image, y = _gutter_row(view, start + 1)
    strip = _colours_in_row(image, y, image.width() - int(view.gutter.trace_width()))
    assert QColor(view.theme.label).name() in strip                  # the dashed bar
    view.clear_trace()
    assert view.selections("trace") == []
    image, y = _gutter_row(view, start + 1)
    assert QColor(view.theme.label).name() not in _colours_in_row(
        image, y, image.width() - int(view.gutter.trace_width()))


def test_context_menu_makes_an_injectable_call_fail(qtbot):
    view = _view(qtbot)
    line = line_of(view, "err = register_those(")
    menu = view.context_menu_for_line(line)
    texts = [a.text() for a in menu.actions()]
    assert texts[:2] == ["Make this call fail with", "Run to this line"]
    sub = menu.actions()[0].menu()
    errnos = [a.text().split()[0] for a in sub.actions() if a.isEnabled() and a.text()]
    assert errnos[0] == "-EBUSY"                           # register_those's usual errno
    assert {"-ENOMEM", "-EBUSY", "-EINVAL", "-EEXIST", "-EIO", "-ENODEV", "-EFAULT"} <= set(errnos)
    assert len(errnos) == len(set(errnos))
    failed: list[tuple[int, str, int]] = []
    view.fail_requested.connect(lambda *args: failed.append(args))
    next(a for a in sub.actions() if a.text().startswith("-ENOMEM")).trigger()
    assert failed == [(line, "register_those", 12)]
    ran: list[int] = []
    view.run_to_requested.connect(ran.append)
    menu.actions()[1].trigger()
    assert ran == [line]


def test_no_fail_entry_for_printk_or_calls_in_comments(qtbot):
    view = _view(qtbot, SAMPLES_DIR / "hi.c")
    line = line_of(view, "printk(KERN_INFO")
    texts = [a.text() for a in view.context_menu_for_line(line).actions()]
    assert "Run to this line" in texts
    assert not any(t.startswith("Make") for t in texts)
    skull = _view(qtbot)
    comment = line_of(skull, "inject a fault into register_those()")
    assert not any(a.text().startswith("Make")
                   for a in skull.context_menu_for_line(comment).actions())


def test_load_resets_the_debug_state(qtbot):
    view = _view(qtbot)
    view.set_breakpoints({30})
    view.set_exec_line(31)
    view.set_trace([32])
    view.load(SKULL, SKULL.read_text())
    assert view.breakpoints() == set() and view.exec_line is None
    assert view.selections("exec") == view.selections("trace") == []
