"""The questions the editor asks, as plain functions (the controller holds
them as attributes so tests replace them).

Without a display (QT_QPA_PLATFORM=offscreen: tests, --screenshot) nobody
can answer a modal dialog, so each question takes the answer that loses
nothing -- keep the edits, keep the recovery file, write nowhere -- and
says so on stderr.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from kmodgui.gui.workbench.focus import dialog_of


def headless(question: str, answer: str) -> bool:
    if QGuiApplication.platformName() != "offscreen":
        return False
    print(f"kmodgui: no display to ask '{question}': {answer}", file=sys.stderr)
    return True


def ask_unsaved(parent: QWidget | None, name: str) -> str:
    """'save' | 'discard' | 'cancel'."""
    if headless(f"save {name}?", "cancel (edits kept)"):
        return "cancel"
    box = QMessageBox(QMessageBox.Warning, "Unsaved changes",
                      f"{name} has changes that are not saved.",
                      QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, parent)
    box.setInformativeText("Save them first?")
    box.setDefaultButton(QMessageBox.Save)
    with dialog_of(parent):
        answer = box.exec()
    return {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(answer, "cancel")


def ask_save_path(parent: QWidget | None, title: str, default: Path) -> Path | None:
    """A Save-as dialog starting at `default` (its folder is created: the
    user's modules folder exists from the first time it is offered)."""
    if headless(title, "not saved"):
        return None
    try:
        default.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    with dialog_of(parent):
        path, _ = QFileDialog.getSaveFileName(parent, title, str(default),
                                              "C sources (*.c);;All files (*)")
    return Path(path) if path else None


def ask_reload(parent: QWidget | None, name: str) -> bool:
    """True: reload from disk (losing the edits); False: keep them."""
    if headless(f"{name} changed on disk: reload?", "keep the edits"):
        return False
    box = QMessageBox(QMessageBox.Question, "File changed on disk",
                      f"{name} was changed by another program, and you have unsaved edits.",
                      QMessageBox.NoButton, parent)
    box.setInformativeText("Reload it (your edits are dropped; Undo brings them back), "
                           "or keep your version (saving then overwrites theirs)?")
    reload = box.addButton("Reload from disk", QMessageBox.DestructiveRole)
    keep = box.addButton("Keep my edits", QMessageBox.RejectRole)
    box.setDefaultButton(keep)
    with dialog_of(parent):
        box.exec()
    return box.clickedButton() is reload


def ask_recover(parent: QWidget | None, name: str, when: str, note: str) -> str:
    """'recover' | 'discard' | 'later'."""
    if headless(f"recover {name}?", "later (recovery file kept)"):
        return "later"
    box = QMessageBox(QMessageBox.Question, "Recover unsaved edits",
                      f"kmodgui was closed without saving {name}.\n"
                      f"An autosave from {when} holds your edits.",
                      QMessageBox.NoButton, parent)
    box.setInformativeText(("Recover them?" + (f"\n\n{note}" if note else "")))
    recover = box.addButton("Recover", QMessageBox.AcceptRole)
    discard = box.addButton("Discard them", QMessageBox.DestructiveRole)
    box.addButton("Ask next time", QMessageBox.RejectRole)
    box.setDefaultButton(recover)
    with dialog_of(parent):
        box.exec()
    clicked = box.clickedButton()
    return "recover" if clicked is recover else "discard" if clicked is discard else "later"


def warn(parent: QWidget | None, title: str, text: str) -> None:
    if headless(title, text):
        return
    with dialog_of(parent):
        QMessageBox.warning(parent, title, text)
