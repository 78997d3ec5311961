"""The Kconfig pane: the "Enable loadable module support" menu as
`make menuconfig` shows it (scripts/kconfig/mconf.c): the kernel's own
prompts, options indented under the entry they depend on, help text as a
tooltip (and under the tree for the selected option), and options greyed
out while a dependency is off.  A profile's further screens ("Kernel
hacking") follow as groups, each option under its mconf submenu.

Kconfig is a build-time choice, so a change means a different kernel: the
pane asks, then reboots the simulated kernel (loaded modules are lost).
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (QLabel, QMessageBox, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from kmodgui.gui.panels.common import HintTree
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import ui_font

# What each option being off means for the lesson (our words; the facts are
# kernel/module/main.c and kernel/sys_ni.c).
CONSEQUENCES = {
    "MODULES": "Loadable module support is off: init_module() and delete_module() "
               "are not built (-ENOSYS), so insmod cannot load anything.",
    "MODULE_UNLOAD": "Module unloading is off: delete_module() returns -ENOSYS, rmmod "
                     "cannot remove any module, and __exit code is discarded at load.",
    "MODULE_FORCE_UNLOAD": "Forced unloading is off: rmmod -f cannot remove a busy or "
                           "[permanent] module.",
}


class KconfigPanel(QWidget):
    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kconfigPanel")
        self.bridge = bridge
        self.theme: Theme = LIGHT
        #: asks the user; tests replace it.  Returns True to go ahead.
        self.confirm: Callable[[str], bool] = self._ask
        self.tree = HintTree("", self)
        self.tree.setObjectName("kconfigTree")
        self.tree.setColumnCount(1)
        self.tree.setHeaderHidden(True)
        self.tree.itemChanged.connect(self._changed)
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._show_help(cur))
        self.note = QLabel(self)
        self.note.setObjectName("kconfigNote")
        self.note.setWordWrap(True)
        self.note.setMargin(6)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.note)
        self._items: dict[str, QTreeWidgetItem] = {}
        bridge.booted.connect(lambda _ev: self.refresh())
        bridge.stateChanged.connect(self._refresh_if_empty)
        self.refresh()

    # -- model -> view -------------------------------------------------------
    def refresh(self) -> None:
        config = self.bridge.config()
        self.tree.blockSignals(True)
        self.tree.clear()
        self._items.clear()
        for menu in self._menus():
            root = None if menu == self._menus()[0] else self._group(None, menu, bold=True)
            groups: dict[str, QTreeWidgetItem] = {}
            parents: list[tuple[int, QTreeWidgetItem | None]] = [(0 if root else -1, root)]
            for sym in self._symbols():
                if (getattr(sym, "menu", "") or self._menus()[0]) != menu \
                        or not getattr(sym, "shown", True):
                    continue      # another screen; or 2.6.30's EXPERIMENTAL: not drawn
                sub = getattr(sym, "submenu", "")
                if sub and sub not in groups:
                    groups[sub] = self._group(root, sub)
                    parents = [(0, groups[sub])]
                item = self._item(sym, config)
                while parents[-1][0] >= sym.indent:
                    parents.pop()
                parent = parents[-1][1]
                (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
                parents.append((sym.indent, item))
                self._items[sym.name] = item
        self.tree.expandAll()
        self._scroll_to_changed(config)
        self.tree.resizeColumnToContents(0)
        self.tree.blockSignals(False)
        self._update_note(config)

    def _group(self, parent: QTreeWidgetItem | None, title: str,
               bold: bool = False) -> QTreeWidgetItem:
        """A menu or submenu heading: not an option, nothing to tick."""
        item = QTreeWidgetItem([title])
        item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        font = QFont(self.tree.font())
        font.setBold(bold)
        font.setItalic(not bold)
        item.setFont(0, font)
        (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
        return item

    def _scroll_to_changed(self, config: dict[str, bool]) -> None:
        """Bring the first option set away from the profile's default into
        view (a debug option turned on lies below the module menu)."""
        model = self.bridge.kconfig()
        defaults = model.defaults() if model is not None else {}
        for name, item in self._items.items():
            if name in defaults and config.get(name) != defaults[name]:
                self.tree.scrollToItem(item)
                return

    def _menus(self) -> list[str]:
        model = self.bridge.kconfig()
        return list(getattr(model, "menus", [getattr(model, "menu", "")])) if model else [""]

    def _show_help(self, item: QTreeWidgetItem | None) -> None:
        """The selected option's help under the tree, as mconf's <Help>."""
        name = item.data(0, Qt.UserRole) if item is not None else None
        sym = next((s for s in self._symbols() if s.name == name), None)
        if sym is None:
            self._update_note(self.bridge.config())
            return
        self.note.setText(f"CONFIG_{sym.name}: {' '.join(sym.help.split())}")
        self.note.setStyleSheet(f"color: {self.theme.text};")

    def _refresh_if_empty(self) -> None:
        if not self._items:
            self.refresh()

    def _item(self, sym: Any, config: dict[str, bool]) -> QTreeWidgetItem:
        item = QTreeWidgetItem([sym.prompt])
        item.setData(0, Qt.UserRole, sym.name)
        item.setCheckState(0, Qt.Checked if config.get(sym.name) else Qt.Unchecked)
        deps_ok = all(config.get(d, False) for d in sym.depends)
        flags = Qt.ItemIsUserCheckable | Qt.ItemIsSelectable
        item.setFlags(flags | Qt.ItemIsEnabled if deps_ok else flags)
        tip = f"CONFIG_{sym.name}\n\n{sym.help.strip()}"
        if sym.depends:
            tip += "\n\ndepends on " + " && ".join(sym.depends)
            if not deps_ok:
                off = [d for d in sym.depends if not config.get(d, False)]
                tip += "  (off: " + ", ".join(off) + ")"
        item.setToolTip(0, tip)
        if sym.indent == 0:
            bold = QFont(self.tree.font())
            bold.setBold(True)
            item.setFont(0, bold)
        return item

    def _update_note(self, config: dict[str, bool]) -> None:
        notes = [text for name, text in CONSEQUENCES.items()
                 if name in self._items and not config.get(name, False)
                 and all(config.get(d, False) for d in self._depends(name))]
        profile = self.bridge.profile_name()
        self.note.setText("\n".join(notes) if notes else
                          f"Kernel {self.bridge.release()} (profile {profile}). "
                          "Changing an option reboots the simulated kernel.")
        self.note.setStyleSheet(f"color: {self.theme.warning if notes else self.theme.dim};")

    def _symbols(self) -> list[Any]:
        model = self.bridge.kconfig()
        return list(model.symbols) if model is not None else []

    def _depends(self, name: str) -> list[str]:
        for sym in self._symbols():
            if sym.name == name:
                return list(sym.depends)
        return []

    # -- view -> engine --------------------------------------------------------
    def _changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0:
            return
        name = item.data(0, Qt.UserRole)
        value = item.checkState(0) == Qt.Checked
        self.request(name, value)

    def request(self, name: str, value: bool) -> bool:
        """Ask, then reboot with `name` set; restores the view if refused."""
        if self.bridge.config().get(name) == value:
            return False
        loaded = len(self.bridge.modules())
        question = (f"Set CONFIG_{name}={'y' if value else 'n'} and reboot the simulated kernel?"
                    + (f"\n\n{loaded} loaded module(s) will be lost." if loaded else ""))
        if not self.confirm(question):
            self.refresh()
            return False
        self.bridge.set_config({name: value})
        self.refresh()
        return True

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Reconfigure kernel", question,
                                      QMessageBox.Yes | QMessageBox.Cancel, QMessageBox.Cancel)
        return answer == QMessageBox.Yes

    def is_checked(self, name: str) -> bool:
        return self._items[name].checkState(0) == Qt.Checked

    def is_enabled(self, name: str) -> bool:
        return bool(self._items[name].flags() & Qt.ItemIsEnabled)

    # -- appearance --------------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        # Fusion outlines check boxes with Window.darker(): on a dark base
        # that outline vanishes, so give the tree a light Window colour.
        pal = self.tree.palette()
        pal.setColor(QPalette.Window, QColor(theme.dim if theme.dark else theme.window))
        self.tree.setPalette(pal)
        self.refresh()

    def set_zoom(self, factor: float) -> None:
        for w in (self.tree, self.tree.header(), self.note):
            w.setFont(ui_font(factor))
        self.refresh()
