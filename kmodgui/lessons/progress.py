"""A student's progress in one lesson, kept beside their files.

The file `.kmodgui-lesson.json` in the lesson's student folder says which
steps were done and which step was current, so that the next session
resumes where the student stopped.  A step once done stays done: its
outcome was checked when the student did it, and what they do later (debug
another module, reboot) does not undo that.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

FILE = ".kmodgui-lesson.json"


@dataclass
class Progress:
    done: set[int] = field(default_factory=set)      # 0-based step indexes
    current: int = 0

    @classmethod
    def load(cls, folder: Path, steps: int) -> "Progress":
        """What was saved in `folder` (nothing, or an unreadable file: a fresh start)."""
        try:
            data = json.loads((folder / FILE).read_text(encoding="utf-8"))
            done = {int(i) for i in data.get("done", []) if 0 <= int(i) < steps}
            current = min(max(0, int(data.get("current", 0))), max(0, steps - 1))
        except (OSError, ValueError, TypeError, AttributeError):
            return cls()
        return cls(done, current)

    def save(self, folder: Path) -> None:
        """Write it atomically (a rename over the old file)."""
        path = folder / FILE
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"done": sorted(self.done), "current": self.current}),
                       encoding="utf-8")
        os.replace(tmp, path)
