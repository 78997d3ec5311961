"""The one view of the host that module code, kbuild and the shell get.

Module sources are untrusted input.  Of the host, the simulation may read
exactly one folder: the module folder the session was started on (`-C DIR`,
or the folder of the file the app opened).  Everything else the shell shows
(/proc, /sys, /dev, /tmp) is simulated.  Every name that reaches the host's
file system goes through `inside()`: symlinks and `..` are resolved first,
so a link inside the folder that points out of it, `../x.c`, an absolute
path or a `NAME-objs := ../elsewhere/x.o` all resolve to "no such file",
which is what a real tool says of a name it cannot find.
"""
from __future__ import annotations

import os
from pathlib import Path

#: Largest source file kbuild reads (a real module is a few hundred KB at
#: most); larger inputs are refused before the preprocessor sees them.
MAX_SOURCE_BYTES = 4 * 1024 * 1024


def inside(root: Path | str, name: Path | str) -> Path | None:
    """The real path `name` (relative to `root`, or absolute) resolves to,
    if that lies inside the real path of `root`; None otherwise."""
    top = os.path.realpath(root)
    try:
        real = os.path.realpath(os.path.join(top, os.fspath(name)))
    except (OSError, ValueError):        # NUL bytes, loops: not a name we can see
        return None
    if real == top or real.startswith(top + os.sep):
        return Path(real)
    return None


def readable_file(root: Path | str, name: Path | str) -> Path | None:
    """`inside()`, and a regular file there."""
    real = inside(root, name)
    return real if real is not None and real.is_file() else None


def read_source(root: Path | str, name: Path | str) -> str | None:
    """The text of a source or Makefile inside the folder, or None when it
    is outside, missing or larger than any real module source."""
    real = readable_file(root, name)
    if real is None:
        return None
    with real.open("rb") as f:
        data = f.read(MAX_SOURCE_BYTES + 1)
    return data.decode("utf-8", errors="replace")
