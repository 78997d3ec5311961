"""The Resources pane: what each module holds right now, from the
simulator's resource ledger (kernel/ledger.py): kind, name or handle, the
kernel function that acquired it and where in the module's source.

Anything still held by a module that is no longer loaded is a leak -- the
kernel keeps the registration, with pointers into freed module memory --
and is listed under the gone module with a LEAK tag.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QTreeWidgetItem, QVBoxLayout, QWidget

from kmodgui.gui.panels.common import HintTree
from kmodgui.gui.panels.dmesg_format import timestamp
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import ui_font

COLUMNS = ("Resource", "Kind", "Acquired by", "At")


class ResourcesPanel(QWidget):
    #: (file, line): the user activated a resource; show where it was acquired.
    siteActivated = Signal(str, int)
    #: the tree was rebuilt from the ledger (the debugger re-adds fading rows).
    refreshed = Signal()

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resourcesPanel")
        self.bridge = bridge
        self.theme: Theme = LIGHT
        self.tree = HintTree("Nothing held: resources a module registers or allocates appear here.", self)
        self.tree.setObjectName("resourcesTree")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._activated)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree)
        bridge.stateChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        loaded = {m.name for m in self.bridge.modules()}
        by_owner: dict[str, list[Any]] = defaultdict(list)
        for res in self.bridge.held_resources():
            by_owner[res.owner].append(res)
        self.tree.clear()
        for owner in sorted(by_owner, key=lambda o: (o not in loaded, o)):
            self._add_owner(owner, sorted(by_owner[owner], key=lambda r: r.rid), owner in loaded)
        self.tree.expandAll()
        for col in range(len(COLUMNS)):
            self.tree.resizeColumnToContents(col)
        self.refreshed.emit()

    def _add_owner(self, owner: str, held: list[Any], loaded: bool) -> None:
        label = f"{owner}  ({len(held)} held)" if loaded else f"{owner}  LEAK: module gone, {len(held)} still held"
        top = QTreeWidgetItem([label])
        bold = QFont(self.tree.font())
        bold.setBold(True)
        top.setFont(0, bold)
        top.setFirstColumnSpanned(True)
        if not loaded:
            top.setForeground(0, QColor(self.theme.leak))
        self.tree.addTopLevelItem(top)
        for res in held:
            site = str(res.site) if res.site else "?"
            child = QTreeWidgetItem([res.name, res.kind, res.api + "()", site])
            if res.site:
                child.setData(0, Qt.UserRole, (res.site.file, res.site.line))
            tip = (f"{res.kind} '{res.name}' acquired by {res.api}() at {site}, "
                   f"{timestamp(res.acquired_ts)}")
            for col in range(len(COLUMNS)):
                child.setToolTip(col, tip)
            if not loaded:
                child.setForeground(0, QColor(self.theme.leak))
            top.addChild(child)

    def _activated(self, item: QTreeWidgetItem, _col: int) -> None:
        where = item.data(0, Qt.UserRole)
        if where:
            self.siteActivated.emit(*where)

    def rows(self) -> list[list[str]]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out.append([top.text(0)])
            out += [[top.child(j).text(c) for c in range(len(COLUMNS))]
                    for j in range(top.childCount())]
        return out

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.refresh()

    def set_zoom(self, factor: float) -> None:
        self.tree.setFont(ui_font(factor))
        self.tree.header().setFont(ui_font(factor))
        self.refresh()
        self.tree.fit_minimum()
