"""The simulated machine's files, as the tools see them.

Three kinds of path exist: /proc and /sys (served by the kernel's
read_file/list_dir, as procfs and sysfs are), the session's working folder
(the module sources, read-only: nothing is ever written there), and the
.ko files of that folder, which exist virtually: `hi.ko` is the kbuild
output of hi.c (or of the Makefile's hi-objs), built on first use and cached
by the session.  Host paths outside the working folder do not exist.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kmodgui.userspace import errnos, makefile
from kmodgui.userspace.base import ToolContext

KERNEL_FS = ("/proc", "/sys")


def is_kernel_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in KERNEL_FS)


def host_path(ctx: ToolContext, path: str) -> Path | None:
    """The host path of a name typed by the user, or None if it lies outside
    the working folder (which is all of the host the simulation can see)."""
    root = Path(os.path.realpath(ctx.cwd))
    full = Path(os.path.normpath(os.path.join(root, path)))
    if full == root or root in full.parents:
        return full
    return None


def absolute(ctx: ToolContext, path: str) -> str:
    """What realpath() would print (kmod shows a module's absolute path)."""
    return os.path.normpath(os.path.join(os.path.realpath(ctx.cwd), path))


@dataclass
class Image:
    """What open()+read() of a module path yields.

    err: 0 or a negative errno (-ENOENT: no such file);
    ko: our kbuild object; data: raw bytes of a file that is not ours;
    build: the failed BuildResult when the module's sources do not build.
    """
    err: int = 0
    ko: Any = None
    data: bytes | None = None
    build: Any = None


def _ko_source(ctx: ToolContext, path: str) -> tuple[Path, str] | None:
    """(srcdir, modname) when path names a .ko the working folder can build."""
    hp = host_path(ctx, path)
    if hp is None or hp.suffix != ".ko" or not hp.parent.is_dir():
        return None
    if makefile.buildable(hp.parent, hp.stem):
        return hp.parent, hp.stem
    return None


def module_image(ctx: ToolContext, path: str) -> Image:
    """Open a module file: build it from source if it is one of ours."""
    src = _ko_source(ctx, path)
    if src is not None:
        result = ctx.build(*src)
        return Image(ko=result.ko) if result.ok else Image(build=result)
    hp = host_path(ctx, path)
    if hp is None or not hp.exists():
        return Image(err=-errnos.ENOENT)
    if hp.is_dir():
        return Image(err=-errnos.EISDIR)
    return Image(data=hp.read_bytes())


def exists(ctx: ToolContext, path: str) -> bool:
    """stat() succeeds: a real file, or a .ko the folder can build."""
    if is_kernel_path(path):
        err, _ = ctx.kernel.read_file(path)
        return err == 0 or err == -errnos.EISDIR
    hp = host_path(ctx, path)
    return hp is not None and (hp.exists() or _ko_source(ctx, path) is not None)


def read_text(ctx: ToolContext, path: str) -> tuple[int, str]:
    """read() of a whole file: (0, text) or (-errno, "")."""
    if is_kernel_path(path):
        return ctx.kernel.read_file(path)
    hp = host_path(ctx, path)
    if hp is None or not hp.exists():
        return -errnos.ENOENT, ""
    if hp.is_dir():
        return -errnos.EISDIR, ""
    return 0, hp.read_bytes().decode("utf-8", errors="replace")


def list_dir(ctx: ToolContext, path: str) -> tuple[int, list[str]]:
    """getdents(): a kernel directory, or a folder plus its built .ko files."""
    if is_kernel_path(path):
        return ctx.kernel.list_dir(path)
    hp = host_path(ctx, path)
    if hp is None or not hp.exists():
        return -errnos.ENOENT, []
    if not hp.is_dir():
        return -errnos.ENOTDIR, []
    names = {p.name for p in hp.iterdir() if not p.name.startswith(".")}
    names |= {f"{m}.ko" for m in ctx.built_modules(hp)}
    return 0, sorted(names)
