"""A dmesg pane narrower than its gutter must not recurse on resize."""
from __future__ import annotations

from kmodgui.gui.panels.dmesg_view import DmesgView


def test_narrow_pane_resizes_without_recursing(qtbot):
    view = DmesgView(1000)
    qtbot.addWidget(view)
    view.show()
    for width in (400, 40, 5, 1, 300, 2):
        view.resize(width, 120)
        qtbot.wait(5)
        assert view.viewportMargins().left() == view.gutter_width()
    assert view.gutter.width() == view.gutter_width()
