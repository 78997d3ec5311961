"""The panels as dock widgets, and the layouts computed from their DockSpecs.

Wide window, default layout:

    +-----------+--------------------------+-------------+
    | Modules   |                          |   dmesg     |
    | Resources |   Source (central)       |             |
    | Kconfig   +--------------------------+-------------+
    |           |   Timeline               |   Shell     |
    +-----------+--------------------------+-------------+

A side column folds into the bottom row when the source would be left
narrower than it needs (80 columns in presentation mode, a readable part
of the window otherwise), so on 1024x768 the source keeps the width:

    +-----------+--------------------------------------+
    | Modules   |   Source                             |
    | Resources |                                      |
    | Kconfig   |                                      |
    +-----------+------------+------------+------------+
    | (left)    | dmesg      | Shell      | Timeline   |
    +-----------+------------+------------+------------+

In presentation mode on 1024x768 the folded column keeps its stack, so
the row has two slots, not three narrow ones:

    +--------------------------------------------------+
    |   Source (80 columns)                            |
    +-----------------+--------------------------------+
    | Modules         | dmesg                          |
    | Shell           |                                |
    +-----------------+--------------------------------+

The source is the central widget: it takes what the docks leave, and the
docks are sized so that it stays the largest pane.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QApplication, QDockWidget, QScrollBar, QWidget

from kmodgui.gui.workbench import DockSpec

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow


class _Gutter(Protocol):
    def total_width(self) -> int: ...


class SourceLike(Protocol):
    """What the layouts measure of the source view (a QPlainTextEdit with
    a gutter of line numbers and arrows on its left)."""
    gutter: _Gutter

    def fontMetrics(self) -> QFontMetrics: ...
    def document(self) -> QTextDocument: ...
    def frameWidth(self) -> int: ...
    def verticalScrollBar(self) -> QScrollBar: ...
    def cursorWidth(self) -> int: ...
    def viewport(self) -> QWidget: ...
    def line_height(self) -> float: ...

LEFT, RIGHT, BOTTOM = Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea, Qt.BottomDockWidgetArea

#: the window's own docks, fronts before the docks tabbed behind them; the
#: names are stable: saved layouts use them.  Features' DockSpecs follow.
WINDOW_DOCKS: tuple[DockSpec, ...] = (
    DockSpec("dockModules", "Modules", LEFT, essential=True, width_chars=48, share=0.34),
    DockSpec("dockResources", "Resources", LEFT, width_chars=40, share=0.28),
    DockSpec("dockKconfig", "Kconfig", LEFT, width_chars=40, share=0.38),
    DockSpec("dockDmesg", "dmesg", RIGHT, essential=True, width_chars=60, share=0.55,
             presentation_area=BOTTOM),
    DockSpec("dockShell", "Shell", RIGHT, essential=True, width_chars=38, share=0.45,
             presentation_area=LEFT),
    DockSpec("dockTimeline", "Timeline", BOTTOM, essential=True, width_chars=60,
             presentation_area=BOTTOM, presentation_tab_with="dockDmesg"),
    DockSpec("dockCallStack", "Call stack", LEFT, tab_with="dockKconfig"),      # gui/debug
    DockSpec("dockPaths", "Paths", BOTTOM, tab_with="dockTimeline"),            # gui/debug
    DockSpec("dockAudit", "Audit", BOTTOM, tab_with="dockTimeline"),            # gui/audit
    DockSpec("dockLessons", "Lessons", RIGHT, tab_with="dockDmesg"),            # gui/lessons
)

#: the source's width in columns (tabs of 8): presentation mode shows a
#: whole 80-column line; the default layout at least this many, and the
#: larger part of the window when it can
PRESENTATION_COLUMNS = 80
DEFAULT_COLUMNS = 64
DEFAULT_SOURCE_SHARE = 0.45
#: the dock separators beside the central widget take a few pixels of it
SEPARATOR_SLACK = 12
#: the least a side column may take of the window's width, and the most
SIDE_SHARE = {LEFT: (0.17, 0.34), RIGHT: (0.2, 0.30)}
PRESENTATION_SIDE_SHARE = (0.2, 0.30)
#: a bottom row too narrow for this part of its panes' widths tabs its last
#: pane behind the widest one (not in presentation mode: each pane there is
#: essential, so they share the row)
ROW_FILL = 0.8
#: the bottom row's height, as a share of the window's
BOTTOM_SHARE = {False: 0.30, True: 0.34}
#: the source keeps at least this many lines whatever the zoom or caption
MIN_SOURCE_LINES = 12
PRESENTATION_SOURCE_LINES = 18


def specs(win: "MainWindow") -> list[DockSpec]:
    """Every dock: the window's own, then those features declared."""
    return list(WINDOW_DOCKS) + list(win.bench.registry.docks)


def make_docks(win: "MainWindow", panels: dict[str, QWidget]) -> dict[str, QDockWidget]:
    for spec in win.bench.registry.docks:
        if spec.factory is not None:
            panels[spec.object_name] = spec.factory(win.bridge)
    docks = {}
    for spec in specs(win):
        name = spec.object_name
        win.bench.set_widget(name, panels[name])
        dock = QDockWidget(spec.title, win)
        dock.setObjectName(name)
        dock.setWidget(panels[name])
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable
                         | QDockWidget.DockWidgetFloatable)
        docks[name] = dock
    return docks


# -- the plan: pure arithmetic over the specs --------------------------------------
@dataclass
class Group:
    """Docks tabbed together; the first is the one shown."""
    names: list[str]
    area: Qt.DockWidgetArea
    width_chars: int
    share: float
    min_px: int = 0         # what its pane says it needs (a table's columns)

    def want(self, char_px: float) -> int:
        return int(max(self.width_chars * char_px, self.min_px, 1.0))


@dataclass
class Plan:
    columns: dict[Qt.DockWidgetArea, list[Group]]       # LEFT, RIGHT: stacked groups
    row: list[Group]                                     # BOTTOM: side by side
    widths: dict[Qt.DockWidgetArea, int] = field(default_factory=dict)
    row_widths: list[int] = field(default_factory=list)
    row_height: int = 0
    folded: list[Qt.DockWidgetArea] = field(default_factory=list)
    #: a row group's front -> the groups stacked under it in its slot
    stacks: dict[str, list[Group]] = field(default_factory=dict)


def groups(all_specs: list[DockSpec], presenting: bool) -> list[Group]:
    """The tab groups of a layout, in spec order (presentation: essential only)."""
    shown = [s for s in all_specs if s.essential or not presenting]
    out: dict[str, Group] = {}
    member_of: dict[str, str] = {}
    for spec in shown:
        area, front = spec.placement(presenting)
        if front is not None and front in member_of:
            out[member_of[front]].names.append(spec.object_name)
            member_of[spec.object_name] = member_of[front]
            continue
        out[spec.object_name] = Group([spec.object_name], area, spec.width_chars, spec.share)
        member_of[spec.object_name] = spec.object_name
    return list(out.values())


def plan(all_groups: list[Group], width: int, height: int, char_px: float,
         source_need: int, presenting: bool, stack: bool = True) -> Plan:
    """Where each group goes and how big: side columns as wide as their
    widest pane within their share of the window; a column that would leave
    the source less than `source_need` pixels folds into the bottom row
    (the right one first, it is the wider).  In presentation mode a folded
    column whose panes do not fit side by side keeps them stacked in one
    slot (`stack`: the window tries that first, see _fit_presentation_zoom)."""
    columns = {LEFT: [g for g in all_groups if g.area == LEFT],
               RIGHT: [g for g in all_groups if g.area == RIGHT]}
    row = [g for g in all_groups if g.area not in (LEFT, RIGHT)]
    p = Plan(columns, row)
    for area in (LEFT, RIGHT):
        p.widths[area] = _column_width(columns[area], width, char_px, area, presenting)
    for area in (RIGHT, LEFT):
        if width - p.widths[LEFT] - p.widths[RIGHT] >= source_need or not columns[area]:
            continue
        p.folded.append(area)
        span = width - p.widths[LEFT] - p.widths[RIGHT] + p.widths[area]
        if presenting and stack and sum(g.want(char_px) for g in columns[area] + p.row) > span:
            p.row = [_stack(p, columns[area])] + p.row
        else:
            p.row = columns[area] + p.row   # the folded panes first, as they read
        columns[area] = []
        p.widths[area] = 0
    row_span = width - p.widths[LEFT] - p.widths[RIGHT]
    while not presenting and len(p.row) > 2 and \
            sum(g.want(char_px) for g in p.row) * ROW_FILL > row_span:
        last = p.row.pop()
        widest = max(p.row, key=lambda g: g.width_chars)
        widest.names.extend(last.names)
    p.row_widths = _row_widths(p.row, row_span, char_px)
    p.row_height = int(height * BOTTOM_SHARE[presenting])
    return p


def _stack(p: Plan, column: list[Group]) -> Group:
    """Presentation mode: a folded column keeps its panes one above the
    other in one slot of the row, as wide as its widest pane, so the row
    holds two slots (the column, the log) instead of three narrow ones."""
    head, *under = column
    slot = Group(list(head.names), head.area, max(g.width_chars for g in column),
                 head.share, max(g.min_px for g in column))
    p.stacks[slot.names[0]] = under
    return slot


def _row_widths(row: list[Group], span: int, char_px: float) -> list[int]:
    """Each pane of the row its own width.  Room over goes to the widest
    pane (the log); room short is taken from the panes in proportion,
    except from a table that must show its columns whole (`min_px`)."""
    wants = [g.want(char_px) for g in row]
    if not wants:
        return []
    rest = span - sum(wants)
    if rest >= 0:
        widest = max(range(len(row)), key=lambda i: row[i].width_chars)
        wants[widest] += rest
        return wants
    fixed = {i for i, g in enumerate(row) if g.min_px and g.min_px >= wants[i]}
    flexible = sum(w for i, w in enumerate(wants) if i not in fixed) or 1
    left = span - sum(wants[i] for i in fixed)
    if left < flexible // 2:                # not even half: everyone gives way
        fixed, left, flexible = set(), span, sum(wants)
    return [w if i in fixed else int(left * w / flexible) for i, w in enumerate(wants)]


def _column_width(column: list[Group], width: int, char_px: float,
                  area: Qt.DockWidgetArea, presenting: bool) -> int:
    if not column:
        return 0
    low, high = PRESENTATION_SIDE_SHARE if presenting else SIDE_SHARE[area]
    wanted = max(g.want(char_px) for g in column)
    return int(max(width * low, min(width * high, wanted)))


# -- measuring the source ----------------------------------------------------------------
def source_width_for(view: SourceLike, columns: int) -> int:
    """Pixels the source view needs to show `columns` columns of text
    (gutter, frame, margins and the vertical scroll bar included)."""
    fm = view.fontMetrics()
    doc_margin = view.document().documentMargin()
    return int(fm.horizontalAdvance(" ") * columns + view.gutter.total_width()
               + 2 * view.frameWidth() + 2 * doc_margin
               + view.verticalScrollBar().sizeHint().width() + view.cursorWidth()
               + SEPARATOR_SLACK)


def source_capacity(view: SourceLike) -> tuple[int, int]:
    """(whole lines, whole columns) the source view shows now."""
    fm = view.fontMetrics()
    vp = view.viewport()
    doc_margin = view.document().documentMargin()
    lines = int((vp.height() - doc_margin) // max(1.0, view.line_height()))
    columns = int((vp.width() - 2 * doc_margin - view.cursorWidth())
                  // max(1, fm.horizontalAdvance(" ")))
    return lines, columns


def source_need(win: "MainWindow", presenting: bool) -> int:
    if presenting:
        return source_width_for(win.source, PRESENTATION_COLUMNS)
    return max(source_width_for(win.source, DEFAULT_COLUMNS),
               int(win.width() * DEFAULT_SOURCE_SHARE))


def char_px(win: "MainWindow") -> float:
    return float(win.fontMetrics().averageCharWidth())


# -- drawing a plan ------------------------------------------------------------------------
def default_layout(win: "MainWindow") -> None:
    """Every dock where its spec says, visible, sized for this window."""
    arrange(win, presenting=False)


def presentation_layout(win: "MainWindow", reserve_lines: int = 0, stack: bool = True) -> None:
    """For a projector: the essential docks only, the source 80 columns
    wide and PRESENTATION_SOURCE_LINES high, plus `reserve_lines` for what
    may show under it (the step caption); leaving restores the saved state."""
    arrange(win, presenting=True, stack=stack)
    win.bench.presentationChanged.emit(True)   # features adjust (e.g. gui/lessons)
    keep_source_lines(win, PRESENTATION_SOURCE_LINES + reserve_lines)
    tidy_tab_bars(win)


def arrange(win: "MainWindow", presenting: bool, stack: bool = True) -> Plan:
    width, height = max(win.width(), 640), max(win.height(), 480)
    all_groups = groups(specs(win), presenting)
    for g in all_groups:
        g.min_px = max(_wanted_width(win.panels.get(name)) for name in g.names)
    p = plan(all_groups, width, height, char_px(win), source_need(win, presenting), presenting,
             stack)
    d = win.docks
    for dock in d.values():             # every dock out of its tab group first, or Qt
        win.removeDockWidget(dock)      # leaves the old groups' tab bars on screen
    # a side column that stays runs the window's full height; else the row does
    win.setCorner(Qt.BottomLeftCorner, LEFT if p.columns[LEFT] else BOTTOM)
    win.setCorner(Qt.BottomRightCorner, RIGHT if p.columns[RIGHT] else BOTTOM)
    for area in (LEFT, RIGHT):
        for g in p.columns[area]:
            _place(win, g, area)
    for g in p.row:
        _place(win, g, BOTTOM)
        for under in p.stacks.get(g.names[0], []):
            _place_under(win, g, under)
    for area in (LEFT, RIGHT):
        fronts = [d[g.names[0]] for g in p.columns[area]]
        if fronts:
            win.resizeDocks([fronts[0]], [p.widths[area]], Qt.Horizontal)
            total = sum(g.share for g in p.columns[area]) or 1.0
            win.resizeDocks(fronts, [int(height * g.share / total) for g in p.columns[area]],
                            Qt.Vertical)
    if p.row:
        fronts = [d[g.names[0]] for g in p.row]
        win.resizeDocks(fronts, p.row_widths, Qt.Horizontal)
        plain = [d[g.names[0]] for g in p.row if not p.stacks.get(g.names[0])] or fronts
        win.resizeDocks([plain[0]], [p.row_height], Qt.Vertical)
        for g in p.row:
            _size_stack(win, g, p.stacks.get(g.names[0], []), p.row_height)
    for g in p.columns[LEFT] + p.columns[RIGHT] + p.row:
        d[g.names[0]].raise_()
    keep_source_lines(win, PRESENTATION_SOURCE_LINES if presenting else MIN_SOURCE_LINES)
    tidy_tab_bars(win)
    return p


def _wanted_width(panel: QWidget | None) -> int:
    """The width a pane asks for (a table whose columns must show whole)."""
    wanted = getattr(panel, "wanted_width", None)
    return int(wanted()) if callable(wanted) else 0


def _place(win: "MainWindow", g: Group, area: Qt.DockWidgetArea) -> None:
    d = win.docks
    front = d[g.names[0]]
    front.setFloating(False)
    win.addDockWidget(area, front)
    front.show()
    for name in g.names[1:]:            # a tab at once: side by side, their widths would add up
        d[name].setFloating(False)
        win.tabifyDockWidget(front, d[name])
        d[name].show()


def _place_under(win: "MainWindow", slot: Group, g: Group) -> None:
    """A group below the slot's last pane, in the same slot of the row."""
    d = win.docks
    front = d[g.names[0]]
    front.setFloating(False)
    win.splitDockWidget(d[slot.names[0]], front, Qt.Vertical)
    front.show()
    for name in g.names[1:]:
        d[name].setFloating(False)
        win.tabifyDockWidget(front, d[name])
        d[name].show()


def _size_stack(win: "MainWindow", slot: Group, under: list[Group], height: int) -> None:
    """The panes of a stacked slot share its height by their specs' shares."""
    if not under:
        return
    stack = [slot] + under
    total = sum(g.share for g in stack) or 1.0
    win.resizeDocks([win.docks[g.names[0]] for g in stack],
                    [int(height * g.share / total) for g in stack], Qt.Vertical)


def keep_source_lines(win: "MainWindow", lines: int) -> bool:
    """Shrink the bottom row until the source shows `lines` lines (never
    below the docks' own minimum); True when it does."""
    for _attempt in range(3):
        settle_layout(win)
        have, _cols = source_capacity(win.source)
        if have >= lines:
            return True
        bottom = [dock for dock in win.docks.values() if dock.isVisible()
                  and not dock.isFloating() and not dock.visibleRegion().isEmpty()
                  and win.dockWidgetArea(dock) == BOTTOM]
        if not bottom:
            return False
        deficit = int((lines - have) * win.source.line_height()) + 2
        front = max(bottom, key=lambda dock: dock.height())
        target = max(front.minimumSizeHint().height(), front.height() - deficit)
        if target >= front.height():
            return False
        win.resizeDocks([front], [target], Qt.Vertical)
    settle_layout(win)
    return source_capacity(win.source)[0] >= lines


def settle_layout(win: "MainWindow") -> None:
    """Apply pending geometry now (docks, central widget, viewport margins)."""
    win.layout().invalidate()
    win.layout().activate()
    for widget in (win.centralWidget(), win.source):
        if widget is not None and widget.layout() is not None:
            widget.layout().activate()
    QApplication.sendPostedEvents(None, 0)


def tidy_tab_bars(win: "MainWindow") -> None:
    """Dock tab bars after docks moved: Qt 6 leaves the tab bar of a
    dissolved tab group on screen (over other panes), so hide every bar that
    is not right under the shown dock of a current group with the same
    titles; and new bars take the window's (zoomed) font."""
    from PySide6.QtWidgets import QTabBar
    win.layout().activate()
    shown = []
    for dock in win.docks.values():
        group = [dock] + win.tabifiedDockWidgets(dock)
        if dock.isVisible() and len(group) > 1:
            shown.append((frozenset(w.windowTitle() for w in group if not w.isHidden()),
                          dock.geometry()))
    for bar in win.findChildren(QTabBar, options=Qt.FindDirectChildrenOnly):
        if not bar.isVisible():
            continue
        titles = frozenset(bar.tabText(i) for i in range(bar.count()))
        g = bar.geometry()
        if not any(t == titles and abs(g.top() - r.bottom()) <= g.height() and
                   r.left() - 2 <= g.left() <= r.right() for t, r in shown):
            bar.hide()
        else:
            bar.setFont(win.font())
