"""The Modules pane: what `lsmod` and /proc/modules know, live.

Columns follow /proc/modules (kernel/module/procfs.c m_show): name, size,
use count and users, state ("Loading" for COMING, "Live", "Unloading" for
GOING) and the module_flags() taint letters, with '+' while coming and '-'
while going.  A module with init but no exit is tagged [permanent], as
print_unload_info() writes it (CONFIG_MODULE_UNLOAD only).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QMenu, QTreeWidgetItem, QVBoxLayout, QWidget

from kmodgui.gui.bridge import ModuleRow
from kmodgui.gui.panels.common import HintTree
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import ui_font

STATE_WORDS = {"COMING": "Loading", "LIVE": "Live", "GOING": "Unloading"}
COLUMNS = ("Module", "Size", "Used by", "State", "Taints")


def used_by(row: ModuleRow, unload: bool) -> str:
    """The Used-by text: count, users, [permanent] (or "-" without unloading)."""
    if not unload:
        return "-"
    text = str(row.refcnt)
    if row.holders:
        text += " " + ",".join(row.holders)
    if row.permanent:
        text += " [permanent]"
    return text


def flags(row: ModuleRow) -> str:
    """module_flags(): letters, then '+' coming / '-' going, in parentheses."""
    mark = {"COMING": "+", "GOING": "-"}.get(row.state, "")
    inner = row.taints + mark
    return f"({inner})" if inner else ""


class ModulesPanel(QWidget):
    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modulesPanel")
        self.bridge = bridge
        self.theme: Theme = LIGHT
        self.tree = HintTree("No modules loaded.\nOpen a module and press Ctrl+I (insmod).", self)
        self.tree.setObjectName("modulesTree")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree)
        bridge.stateChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        unload = self.bridge.config().get("MODULE_UNLOAD", True)
        selected = self.selected_module()
        self.tree.clear()
        for row in self.bridge.modules():
            item = QTreeWidgetItem([row.name, str(row.size), used_by(row, unload),
                                    STATE_WORDS.get(row.state, row.state), flags(row)])
            item.setData(0, Qt.UserRole, row.name)
            item.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
            item.setToolTip(0, self._tooltip(row))
            self._style(item, row)
            self.tree.addTopLevelItem(item)
            if row.name == selected:
                item.setSelected(True)
        for col in range(len(COLUMNS)):
            self.tree.resizeColumnToContents(col)

    def _style(self, item: QTreeWidgetItem, row: ModuleRow) -> None:
        bold = QFont(self.tree.font())
        bold.setBold(True)
        item.setFont(0, bold)
        if row.permanent:
            item.setFont(2, bold)
            item.setForeground(2, QColor(self.theme.exit_mark))
        if row.state != "LIVE":
            item.setForeground(3, QColor(self.theme.warning))
            item.setFont(3, bold)

    def _tooltip(self, row: ModuleRow) -> str:
        lines = [f"{row.name}: {STATE_WORDS.get(row.state, row.state)}, "
                 f"{row.size} bytes, refcount {row.refcnt}"]
        if row.permanent:
            lines.append("[permanent]: init without exit -- rmmod says busy; "
                         "only rmmod -f (CONFIG_MODULE_FORCE_UNLOAD) removes it")
        if row.holders:
            lines.append("used by " + ", ".join(row.holders))
        return "\n".join(lines)

    def rows(self) -> list[list[str]]:
        """The table as text (what a screen reader or a test sees)."""
        return [[self.tree.topLevelItem(i).text(c) for c in range(len(COLUMNS))]
                for i in range(self.tree.topLevelItemCount())]

    def wanted_width(self) -> int:
        """Pixels that show every column up to State whole (the layouts
        ask, often before any module is loaded: a long name, a permanent
        module and the longest state count too)."""
        header = self.tree.header()
        state = COLUMNS.index("State")
        bold = QFont(self.tree.font())
        bold.setBold(True)
        typical = (QFontMetrics(bold).horizontalAdvance("hi_permanent"),
                   self.tree.fontMetrics().horizontalAdvance("16384"),
                   QFontMetrics(bold).horizontalAdvance("0 [permanent]"),
                   QFontMetrics(bold).horizontalAdvance("Unloading"))
        pad = self.tree.fontMetrics().averageCharWidth()          # cell margins
        columns = sum(max(header.sectionSizeHint(c), self.tree.sizeHintForColumn(c),
                          typical[c] + pad) for c in range(state + 1))
        return columns + 2 * self.tree.frameWidth() + \
            self.tree.verticalScrollBar().sizeHint().width() + 12

    def selected_module(self) -> str | None:
        items = self.tree.selectedItems()
        return items[0].data(0, Qt.UserRole) if items else None

    def _menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        if item is None:
            return
        menu = self.context_menu(item.data(0, Qt.UserRole))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def context_menu(self, name: str) -> QMenu:
        menu = QMenu(self)
        menu.addAction(f"rmmod {name}", lambda: self.bridge.rmmod(name, origin="modules"))
        menu.addAction(f"rmmod -f {name}", lambda: self.bridge.rmmod(name, True, origin="modules"))
        menu.addSeparator()
        menu.addAction(f"modinfo {name}", lambda: self.bridge.modinfo(name, origin="modules"))
        return menu

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.refresh()

    def set_zoom(self, factor: float) -> None:
        self.tree.setFont(ui_font(factor))
        self.tree.header().setFont(ui_font(factor))
        self.refresh()
        self.tree.fit_minimum()
