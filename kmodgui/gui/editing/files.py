"""Files on disk: atomic saves, which files are the bundled samples, where
a student's own copies go.  No Qt here.

An atomic save never leaves a half-written source behind (a crash, a full
disk, a power cut in the middle of writing): the text goes to a temporary
file in the same folder (same filesystem, so the rename cannot turn into a
copy), is flushed to the disk (fsync), and only then renamed over the
original -- rename(2) replaces the name in one step.  Until that moment the
original is untouched; if anything fails the temporary file is removed.
"""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

from kmodgui import SAMPLES_DIR

#: where copies of the samples go by default (created when first used)
USER_MODULES = "kmodgui-modules"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def read_text(path: Path) -> str:
    return Path(path).read_text(errors="replace")


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (see the module docstring); keeps
    the file's permission bits.  Raises OSError; the original is then intact."""
    path = Path(os.path.realpath(path))          # through a symlink, to its target
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".kmodgui-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:                              # a new file: 0666 minus the umask
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_sample(path: Path) -> bool:
    """One of the bundled sample modules (never edited in place)."""
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(SAMPLES_DIR))
        return True
    except ValueError:
        return False


def needs_copy(path: Path) -> str | None:
    """Why this file cannot be edited in place, or None."""
    if is_sample(path):
        return "sample"
    if Path(path).exists() and not os.access(path, os.W_OK):
        return "read-only"
    return None


def user_modules_dir() -> Path:
    """~/kmodgui-modules (KMODGUI_MODULES_DIR overrides it)."""
    env = os.environ.get("KMODGUI_MODULES_DIR")
    return Path(env) if env else Path.home() / USER_MODULES


def companions_of(sample: Path) -> list[str]:
    """What a copy of `sample` gets beside it (see copy_companions)."""
    from kmodgui.gui.editing.samples import copy_plan
    plan = copy_plan(Path(sample), Path(sample).parent)
    return plan.files + (["Makefile"] if plan.modules else [])


def copy_companions(sample: Path, dest_dir: Path) -> list[str]:
    """Beside a student's copy of a sample, only what it needs: the other
    parts of its module (start.c + stop.c), the headers it includes from
    its folder, the modules whose exported symbols it calls, and the
    Makefile lines that build them (added to a Makefile already there).
    Files already there are never overwritten."""
    from kmodgui.gui.editing.samples import copy_plan, merged_makefile
    src_dir = Path(sample).parent
    plan = copy_plan(Path(sample), src_dir)
    copied = []
    for name in plan.files:
        if (dest_dir / name).exists():
            continue
        try:
            atomic_write(dest_dir / name, (src_dir / name).read_text())
        except OSError:
            continue
        copied.append(name)
    if plan.modules:
        makefile = dest_dir / "Makefile"
        try:
            existing = makefile.read_text() if makefile.exists() else None
            merged = merged_makefile(existing, plan.modules)
            if merged is not None:
                atomic_write(makefile, merged)
                copied.append("Makefile" if existing is None else "Makefile (lines added)")
        except OSError:
            pass
    return copied
