"""Autosaves for crash recovery: one JSON file per edited source, under the
app's data folder (never next to the source, where it would show up in
`ls`, in a Makefile's wildcard or in the student's git).

A recovery file exists only while a source has unsaved edits: saving,
discarding or undoing back to the saved text removes it.  One that is
still there when the app starts again is what a crash left behind.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from kmodgui.gui.editing.files import atomic_write

VERSION = 1


@dataclass(frozen=True)
class Recovery:
    source: Path        # the file the edits belong to
    text: str           # the edited text
    base: str           # digest of the file's text the edits started from
    saved_at: float     # time.time() of the autosave
    file: Path          # the recovery file itself

    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.saved_at))


class RecoveryStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def file_for(self, source: Path) -> Path:
        key = hashlib.sha256(str(Path(os.path.realpath(source))).encode()).hexdigest()[:16]
        return self.folder / f"{key}-{Path(source).name}.json"

    def save(self, source: Path, text: str, base: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.file_for(source)
        data = {"version": VERSION, "source": str(Path(os.path.realpath(source))),
                "text": text, "base": base, "saved_at": time.time()}
        atomic_write(target, json.dumps(data))
        return target

    def load(self, source: Path) -> Recovery | None:
        return self._read(self.file_for(source))

    def discard(self, source: Path) -> None:
        try:
            self.file_for(source).unlink()
        except OSError:
            pass

    def pending(self) -> list[Recovery]:
        """Every recovery left behind, newest first."""
        if not self.folder.is_dir():
            return []
        found = [r for f in self.folder.glob("*.json") if (r := self._read(f)) is not None]
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    @staticmethod
    def _read(file: Path) -> Recovery | None:
        try:
            data = json.loads(file.read_text())
            return Recovery(Path(data["source"]), str(data["text"]), str(data["base"]),
                            float(data["saved_at"]), file)
        except (OSError, ValueError, KeyError, TypeError):
            return None
