"""The open file behind the source view: save (atomic), save as, the
samples' copy-before-edit, autosave and crash recovery, and changes made
on disk by other programs.

Work is never lost:
* unsaved edits are asked about before another file replaces them and
  before the window closes (Save / Discard / Cancel);
* ten seconds after the last change the text is autosaved to a recovery
  file (RecoveryStore, in the app's data folder); after a crash the next
  start offers it back;
* a bundled sample is read-only: the first key that would change it asks
  where to save the student's own copy (~/kmodgui-modules/ by default),
  which then becomes the open file; declined, the question is not put
  again for that file until the app restarts (Ctrl+S or the context
  menu's "Edit a copy" still ask, being asked for);
* a file changed by another program is reloaded when there are no local
  edits, else the user chooses; a file deleted under the editor keeps its
  text, marked unsaved.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from kmodgui.gui.editing import dialogs
from kmodgui.gui.editing.files import (atomic_write, companions_of, copy_companions, digest,
                                       is_sample, needs_copy, read_text, user_modules_dir)
from kmodgui.gui.editing.recovery import Recovery, RecoveryStore
from kmodgui.gui.source.view import SourceView

AUTOSAVE_MS = 10_000        # idle time after a change before the autosave
DISK_SETTLE_MS = 150        # other programs write in several steps


class EditorController(QObject):
    #: a line for the status bar
    message = Signal(str)
    #: (path): the text was written there (Save, Save as, sample copy)
    saved = Signal(str)
    #: (path): the text was reloaded from disk (changed by another program)
    reloaded = Signal(str)
    #: modified / read-only / file changed: headers and titles follow
    stateChanged = Signal()

    def __init__(self, view: SourceView, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.store = RecoveryStore(Path(data_dir) / "recovery")
        self.path: Path | None = None
        self.copy_reason: str | None = None      # "sample" | "read-only": edit a copy
        self._disk_digest: str | None = None     # the text we know is on disk
        self._base_digest: str | None = None     # the disk text the edits started from
        self._others_offered = False
        #: files whose copy the user declined: typing in them asks no more
        self._declined: set[Path] = set()
        self.closing = False                      # the window is closing
        # the questions, replaceable in tests (see dialogs.py for the answers)
        self.ask_unsaved: Callable[[str], str] = lambda name: dialogs.ask_unsaved(self._parent(), name)
        self.ask_save_path: Callable[[str, Path], Path | None] = \
            lambda title, default: dialogs.ask_save_path(self._parent(), title, default)
        self.ask_reload: Callable[[str], bool] = lambda name: dialogs.ask_reload(self._parent(), name)
        self.ask_recover: Callable[[str, str, str], str] = \
            lambda name, when, note: dialogs.ask_recover(self._parent(), name, when, note)
        self.warn: Callable[[str, str], None] = lambda t, text: dialogs.warn(self._parent(), t, text)
        #: how a file is opened: the window's flow (cwd, recent files, build)
        self.open_file: Callable[[Path], bool] = self._open_in_view
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(lambda _p: self._disk_timer.start())
        self.watcher.directoryChanged.connect(lambda _p: self._disk_timer.start())
        self._disk_timer = QTimer(self, singleShot=True, interval=DISK_SETTLE_MS)
        self._disk_timer.timeout.connect(self.check_disk)
        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave_now)
        self._offer_timer = QTimer(self, singleShot=True, interval=0)
        self._offer_timer.timeout.connect(self._offer_when_visible)
        doc = view.document()
        doc.contentsChanged.connect(self._on_edit)
        doc.modificationChanged.connect(self._on_modification)
        view.edit_attempt = self.offer_copy
        view.edit_copy = self.make_copy

    def _parent(self):
        return self.view.window()

    @property
    def name(self) -> str:
        return self.path.name if self.path else "the source"

    def is_modified(self) -> bool:
        return self.path is not None and self.view.document().isModified()

    # -- opening -------------------------------------------------------------------
    def _open_in_view(self, path: Path) -> bool:
        """Without a window: read the file into the view."""
        if not self.confirm_leave():
            return False
        try:
            text = read_text(path)
        except OSError as exc:
            self.message.emit(f"cannot open {path}: {exc.strerror}")
            return False
        self.view.load(Path(path), text)
        self.file_opened(Path(path))
        return True

    def file_opened(self, path: Path) -> None:
        """The view now shows `path` as read from disk (called by the
        window's open flow right after view.load())."""
        self._stop_watching()
        self._autosave_timer.stop()
        self.path = Path(path)
        self._disk_digest = self._base_digest = digest(self.view.toPlainText())
        self.copy_reason = needs_copy(self.path)
        self.view.setReadOnly(self.copy_reason is not None)
        if self.copy_reason:            # arrows and F9 still need a visible cursor
            from PySide6.QtCore import Qt
            self.view.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self._watch()
        self._offer_timer.start()
        self.stateChanged.emit()

    # -- saving --------------------------------------------------------------------
    def save(self) -> bool:
        """Ctrl+S.  A sample (or read-only file) is saved as a copy."""
        if self.path is None:
            return False
        if self.copy_reason:
            return self.make_copy()
        text = self.view.toPlainText()
        try:
            atomic_write(self.path, text)
        except OSError as exc:
            self.warn("Cannot save", f"{self.path} was not saved: {exc.strerror or exc}.\n"
                      "Your text is still in the editor (and in the autosave).")
            return False
        self._disk_digest = self._base_digest = digest(text)
        self.view.document().setModified(False)
        self._watch()
        self.message.emit(f"Saved {self.path}")
        self.saved.emit(str(self.path))
        return True

    def save_as(self) -> bool:
        """Ctrl+Shift+S: write the text elsewhere; that file is then open."""
        if self.path is None:
            return False
        default = user_modules_dir() / self.path.name if self.copy_reason else self.path
        dest = self.ask_save_path("Save the module source as", default)
        if dest is None:
            return False
        if is_sample(dest):
            self.warn("Cannot save there", "The bundled samples stay as they are: "
                      "save your version in your own folder.")
            return False
        if not self.copy_reason and dest.resolve() == self.path.resolve():
            return self.save()
        return self._write_and_switch(dest)

    def offer_copy(self) -> bool:
        """A key would change a read-only file: offer the copy, unless the
        user already declined it for this file."""
        if self.path is None:
            return False
        key = self.path.resolve()
        if key in self._declined:
            self.message.emit(f"{self.name} is read-only: Ctrl+S or right-click → "
                              "Edit a copy saves your own")
            return False
        return self.make_copy()

    def make_copy(self) -> bool:
        """A sample is about to be edited: save the student's own copy (and
        only what it needs beside it) and open it instead (the window's open
        flow moves the shell's cwd there)."""
        if self.path is None:
            return False
        extra = companions_of(self.path) if is_sample(self.path) else []
        also = f" (with {', '.join(extra)})" if extra else ""
        title = (f"{self.name} is a bundled sample: save your own copy{also} to edit it"
                 if self.copy_reason == "sample" else f"{self.name} is read-only: save a copy to edit it")
        dest = self.ask_save_path(title, user_modules_dir() / self.name)
        if dest is None:
            self._declined.add(self.path.resolve())
            self.message.emit(f"{self.name} is unchanged: saving a copy first lets you edit it")
            return False
        if is_sample(dest):
            self.warn("Cannot save there", "Choose a folder outside the bundled samples.")
            return False
        return self._write_and_switch(dest)

    def _write_and_switch(self, dest: Path) -> bool:
        text = self.view.toPlainText()
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(dest, text)
        except OSError as exc:
            self.warn("Cannot save", f"{dest} was not saved: {exc.strerror or exc}.")
            return False
        old = self.path
        companions = copy_companions(old, dest.parent) if old is not None and is_sample(old) \
            else []
        self.view.document().setModified(False)        # the text is safe in dest
        if old is not None:
            self.store.discard(old)
        where = self._view_state()
        if not self.open_file(dest):
            return False
        self._restore_view_state(where)
        self.message.emit(f"Saved {dest}" + (f"  (the sample {old.name} is unchanged)"
                                             if old is not None and is_sample(old) else "")
                          + (f"; beside it: {', '.join(companions)}" if companions else ""))
        self.saved.emit(str(dest))
        return True

    def _view_state(self) -> tuple[int, int, int, set[int]]:
        c = self.view.textCursor()
        return c.anchor(), c.position(), self.view.verticalScrollBar().value(), self.view.breakpoints()

    def _restore_view_state(self, state: tuple[int, int, int, set[int]]) -> None:
        anchor, position, scroll, breakpoints = state
        size = len(self.view.toPlainText())
        c = self.view.textCursor()
        c.setPosition(min(anchor, size))
        c.setPosition(min(position, size), c.MoveMode.KeepAnchor)
        self.view.setTextCursor(c)
        self.view.verticalScrollBar().setValue(scroll)
        self.view.set_breakpoints(breakpoints)

    def save_before_build(self, quiet: bool = False) -> bool:
        """Build and insmod use the file on disk: save the edits first.  An
        automatic (quiet) build never saves: with edits pending it waits."""
        if not self.is_modified():
            return True
        return False if quiet else self.save()

    # -- leaving -------------------------------------------------------------------
    def confirm_leave(self) -> bool:
        """Before another file replaces this one or the window closes:
        True when it may go ahead (saved, discarded or nothing to save)."""
        if not self.is_modified():
            return True
        answer = self.ask_unsaved(self.name)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self._autosave_timer.stop()
            self.store.discard(self.path)
            return True
        return False

    def confirm_close(self) -> bool:
        """confirm_leave() for the window's close; when it may close, the
        timers and watches stop (a save made now starts no build: `closing`)."""
        self.closing = True
        if self.confirm_leave():
            self.shutdown()
            return True
        self.closing = False
        return False

    def shutdown(self) -> None:
        """The window closes: no more timers or watches."""
        for timer in (self._autosave_timer, self._disk_timer, self._offer_timer):
            timer.stop()
        self._stop_watching()

    # -- autosave and recovery ------------------------------------------------------
    def _on_edit(self) -> None:
        if self.is_modified():
            self._autosave_timer.start()        # restarted by every change: idle time

    def _on_modification(self, modified: bool) -> None:
        if not modified and self.path is not None:
            self._autosave_timer.stop()
            self.store.discard(self.path)       # back to the saved text
        self.stateChanged.emit()

    def autosave_now(self) -> bool:
        if not self.is_modified():
            return False
        try:
            self.store.save(self.path, self.view.toPlainText(), self._base_digest or "")
        except OSError as exc:
            self.message.emit(f"autosave failed: {exc.strerror or exc}")
            return False
        return True

    def _offer_when_visible(self) -> None:
        if not self.view.isVisible():           # not before the window shows
            self._offer_timer.start(250)
            return
        self.offer_recovery()

    def offer_recovery(self) -> None:
        """Recovery of the open file, then (once) of files not open."""
        rec = self.store.load(self.path) if self.path else None
        if rec is not None:
            self._offer(rec)
        if not self._others_offered:
            self._others_offered = True
            self._offer_others()

    def _offer(self, rec: Recovery) -> None:
        if rec.text == self.view.toPlainText():
            if not self.is_modified():
                self.store.discard(self.path)   # nothing to recover
            return
        note = ("" if rec.base == self._disk_digest else
                f"{self.name} was changed on disk after that autosave; recovering puts your "
                "edited text in the editor (Undo shows the file's text again).")
        answer = self.ask_recover(self.name, rec.when(), note)
        if answer == "recover":
            self.view.replace_text(rec.text)
            self.message.emit(f"Recovered the unsaved edits of {self.name} from {rec.when()}")
        elif answer == "discard":
            self.store.discard(self.path)

    def _offer_others(self) -> None:
        current = self.path.resolve() if self.path else None
        for rec in self.store.pending():
            if rec.source == current or not rec.source.is_file():
                continue
            answer = self.ask_recover(rec.source.name, rec.when(), f"It is in {rec.source.parent}.")
            if answer == "discard":
                rec.file.unlink(missing_ok=True)
            elif answer == "recover" and self.open_file(rec.source):
                self._offer_timer.stop()
                self.view.replace_text(rec.text)
                return                          # the rest: next start

    # -- the file on disk -------------------------------------------------------------
    def _watch(self) -> None:
        """(Re)watch the file and its folder: an atomic save by any editor
        replaces the file, and the old watch goes with the old inode."""
        self._stop_watching()
        if self.path is None:
            return
        if self.path.exists():
            self.watcher.addPath(str(self.path))
        if self.path.parent.is_dir():
            self.watcher.addPath(str(self.path.parent))

    def _stop_watching(self) -> None:
        watched = self.watcher.files() + self.watcher.directories()
        if watched:
            self.watcher.removePaths(watched)

    def check_disk(self) -> None:
        """Compare the file on disk with what we last read or wrote."""
        if self.path is None:
            return
        self._watch()
        try:
            text = read_text(self.path)
        except OSError:
            if self._disk_digest is not None:
                self._disk_digest = None
                self.view.document().setModified(True)     # keep the text: never lost
                self.message.emit(f"{self.name} was deleted or moved on disk; your text is "
                                  "still here and Ctrl+S writes it back")
            return
        now = digest(text)
        if now == self._disk_digest:
            return                              # our own save, or a touch
        self._disk_digest = now
        if not self.is_modified() or self.ask_reload(self.name):
            self.view.replace_text(text)
            self.view.document().setModified(False)
            self._base_digest = now
            self.message.emit(f"{self.name} changed on disk: reloaded")
            self.reloaded.emit(str(self.path))
        else:
            self.message.emit(f"{self.name} changed on disk: kept your edits "
                              "(saving overwrites the other version)")

    # -- what the window shows -------------------------------------------------------
    def header_badge(self) -> str:
        """A short HTML note for the source header."""
        t = self.view.theme
        if self.copy_reason == "sample":
            return f"<span style='color:{t.dim}'>(sample, read-only: typing saves your copy)</span>"
        if self.copy_reason == "read-only":
            return f"<span style='color:{t.dim}'>(read-only: typing saves a copy)</span>"
        if self.is_modified():
            return f"<span style='color:{t.warning}'><b>● unsaved</b> (Ctrl+S)</span>"
        return ""
