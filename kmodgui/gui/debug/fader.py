"""Released resources fade out of the Resources pane while debugging.

The pane lists what the ledger holds, so a release removes its row at once.
While a debug session runs, each release leaves a "ghost" row instead --
struck through, "− released at skull.c:51" -- whose text fades to nothing
over the animation time and is then removed.  A release out of reverse
order (the exit path's classic bug) leaves a ghost that does not fade:
"⚠ released OUT OF ORDER at ...", kept until the next debug session.

The pane rebuilds its tree on every state change; its `refreshed` signal
tells us to put the ghosts back.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QVariantAnimation, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QTreeWidgetItem

from kmodgui.kernel.events import ResourceReleased

GHOST_ROLE = Qt.UserRole + 7


@dataclass(eq=False)
class Ghost:
    ev: ResourceReleased
    flagged: bool
    alpha: float = 1.0
    anim: QVariantAnimation | None = None
    items: list[QTreeWidgetItem] = field(default_factory=list)


class ResourceFader(QObject):
    def __init__(self, panel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.ghosts: list[Ghost] = []
        panel.refreshed.connect(self._reinsert)

    def fade(self, ev: ResourceReleased, duration_ms: int, animate: bool) -> None:
        flagged = not ev.in_order
        if not flagged and (not animate or duration_ms <= 0):
            return
        ghost = Ghost(ev, flagged)
        self.ghosts.append(ghost)
        if not flagged:
            anim = QVariantAnimation(self)
            anim.setStartValue(1.0)
            anim.setEndValue(0.0)
            anim.setDuration(duration_ms)
            anim.valueChanged.connect(lambda v, g=ghost: self._set_alpha(g, float(v)))
            anim.finished.connect(lambda g=ghost: self._drop(g))
            ghost.anim = anim
            anim.start()
        self._reinsert()

    def clear(self) -> None:
        for g in self.ghosts:
            if g.anim is not None:
                g.anim.stop()
        self.ghosts = []
        self._reinsert()

    def finish(self) -> None:
        """End every fade now (screenshots, tests)."""
        for g in list(self.ghosts):
            if g.anim is not None:
                g.anim.stop()
                self._drop(g)

    @property
    def running(self) -> bool:
        return any(g.anim is not None for g in self.ghosts)

    def ghost_rows(self) -> list[str]:
        tree = self.panel.tree
        out = []
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            for item in [top] + [top.child(j) for j in range(top.childCount())]:
                if item.data(0, GHOST_ROLE):
                    out.append(f"{item.text(0)} | {item.text(3)}")
        return out

    # -- the tree ----------------------------------------------------------------------
    def _drop(self, ghost: Ghost) -> None:
        if ghost in self.ghosts:
            self.ghosts.remove(ghost)
            ghost.anim = None
            self._reinsert()

    def _set_alpha(self, ghost: Ghost, alpha: float) -> None:
        ghost.alpha = alpha
        for item in ghost.items:
            try:
                self._paint(item, ghost)
            except RuntimeError:        # the pane rebuilt its tree meanwhile
                pass

    def _reinsert(self) -> None:
        tree = self.panel.tree
        for i in reversed(range(tree.topLevelItemCount())):
            top = tree.topLevelItem(i)
            if top.data(0, GHOST_ROLE):
                tree.takeTopLevelItem(i)
                continue
            for j in reversed(range(top.childCount())):
                if top.child(j).data(0, GHOST_ROLE):
                    top.takeChild(j)
        for ghost in self.ghosts:
            ghost.items = [self._insert(ghost)]

    def _insert(self, ghost: Ghost) -> QTreeWidgetItem:
        ev = ghost.ev
        site = f"{ev.site.file}:{ev.site.line}" if ev.site else "?"
        if ghost.flagged:
            texts = [f"⚠ {ev.name}", ev.kind, f"{ev.api}()", f"released OUT OF ORDER at {site}"]
            tip = (f"{ev.api}() released {ev.name} at {site} while something acquired "
                   "after it was still held: exit must undo init in reverse order")
        else:
            texts = [f"− {ev.name}", ev.kind, f"{ev.api}()", f"released at {site}"]
            tip = f"{ev.api}() released {ev.name} at {site}"
        item = QTreeWidgetItem(texts)
        item.setData(0, GHOST_ROLE, True)
        for col in range(len(texts)):
            item.setToolTip(col, tip)
        if ev.site:
            item.setData(0, Qt.UserRole, (ev.site.file, ev.site.line))
        parent = self._owner_item(ev.owner)
        if parent is not None:
            parent.addChild(item)
        else:
            self.panel.tree.addTopLevelItem(item)
        self._paint(item, ghost)
        return item

    def _owner_item(self, owner: str) -> QTreeWidgetItem | None:
        tree = self.panel.tree
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            if not top.data(0, GHOST_ROLE) and top.text(0).split("  ")[0] == owner:
                return top
        return None

    def _paint(self, item: QTreeWidgetItem, ghost: Ghost) -> None:
        theme = self.panel.theme
        colour = QColor(theme.warning if ghost.flagged else theme.dim)
        if not ghost.flagged:
            colour.setAlphaF(max(0.0, min(1.0, ghost.alpha)))
        font = QFont(self.panel.tree.font())
        font.setStrikeOut(not ghost.flagged)
        font.setBold(ghost.flagged)
        for col in range(4):
            item.setForeground(col, colour)
            item.setFont(col, font)
