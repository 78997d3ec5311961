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
from typing import TYPE_CHECKING

from kmodgui import sandbox
from kmodgui.kernel.kapi.devnodes import OpenFile
from kmodgui.kernel.kapi.reads import Reader
from kmodgui.userspace import errnos, makefile
from kmodgui.userspace.base import ToolContext

if TYPE_CHECKING:
    from kmodgui.kbuild.make import BuildResult
    from kmodgui.kbuild.program import KoObject

KERNEL_FS = ("/proc", "/sys")
EACCES, EROFS = 13, 30
O_WRONLY, O_CREAT, O_TRUNC = 0o1, 0o100, 0o1000
#: the device nodes every system has (drivers/char/mem.c)
DEV_FILES = {"/dev/null": "", "/dev/zero": ""}


def is_kernel_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in KERNEL_FS)


def _under(path: str, top: str) -> bool:
    return path == top or path.startswith(top + "/")


def tmpfs(ctx: ToolContext) -> dict[str, str]:
    """The scratch /tmp: file path -> content, in memory, gone at exit."""
    files = getattr(ctx, "tmp_files", None)
    if files is None:
        files = {}
        setattr(ctx, "tmp_files", files)
    return files


def resolve(ctx: ToolContext, path: str) -> str:
    """A relative name under a `cd` into /proc, /sys, /dev or /tmp is
    taken from there; otherwise the name is the user's (module folder)."""
    vcwd = getattr(ctx, "vcwd", None)
    if vcwd and not path.startswith("/"):
        return os.path.normpath(os.path.join(vcwd, path))
    if path.startswith("/") and any(_under(os.path.normpath(path), t)
                                    for t in ("/proc", "/sys", "/dev", "/tmp")):
        return os.path.normpath(path)
    return path


def is_virtual(path: str) -> bool:
    """Served by the simulation itself rather than the module folder."""
    return is_kernel_path(path) or _under(path, "/dev") or _under(path, "/tmp")


def is_device(ctx: ToolContext, path: str) -> bool:
    """A character node a module's device made (devtmpfs) or mknod made."""
    return _under(path, "/dev") and path in ctx.kernel.device_nodes()


def _virtual_read(ctx: ToolContext, path: str, reader: Reader | None = None) -> tuple[int, str]:
    if is_kernel_path(path):
        return ctx.kernel.read_file(path, reader)
    if path in DEV_FILES:
        return 0, DEV_FILES[path]
    if is_device(ctx, path):
        err, data = ctx.kernel.read_device(path, reader)
        return err, data.decode("latin-1")
    files = tmpfs(ctx)
    if path in files:
        return 0, files[path]
    if path in ("/dev", "/tmp") or any(f.startswith(path + "/") for f in files):
        return -errnos.EISDIR, ""
    if _under(path, "/dev") and any(n.startswith(path + "/") for n in ctx.kernel.device_nodes()):
        return -errnos.EISDIR, ""
    return -errnos.ENOENT, ""


def open_for_write(ctx: ToolContext, path: str) -> int:
    """open(O_WRONLY|O_CREAT): 0 or -errno.  The module folder is mounted
    read-only; /tmp is a scratch tmpfs; /proc and /sys ask the kernel."""
    path = resolve(ctx, path)
    if is_kernel_path(path):
        return ctx.kernel.open_for_write(path)
    if path in DEV_FILES:
        return 0
    if is_device(ctx, path):        # the shell's open(O_WRONLY|O_CREAT|O_TRUNC)
        err, handle = ctx.kernel.open_device(path, O_WRONLY | O_CREAT | O_TRUNC)
        if err == 0 and handle is not None:
            open_devices(ctx).setdefault(path, []).append(handle)
        return err
    if _under(path, "/dev"):
        return -EACCES if path == "/dev" else -errnos.ENOENT
    if _under(path, "/tmp"):
        if path == "/tmp" or _virtual_read(ctx, path)[0] == -errnos.EISDIR:
            return -errnos.EISDIR
        parent = os.path.dirname(path)
        return 0 if parent == "/tmp" or _virtual_read(ctx, parent)[0] == -errnos.EISDIR \
            else -errnos.ENOENT
    hp = host_path(ctx, path)
    if hp is None or not hp.parent.is_dir():
        return -errnos.ENOENT
    if hp.is_dir():
        return -errnos.EISDIR
    return -EROFS


def write_file(ctx: ToolContext, path: str, data: str, append: bool = False,
               block: int | None = None) -> int:
    """open + write + close after open_for_write succeeded: 0 or -errno.
    A device gets one write(2) per `block` bytes (all at once by default)."""
    path = resolve(ctx, path)
    if is_kernel_path(path):
        if not data and not append:
            return 0              # O_TRUNC on a sysfs/procfs file: nothing is sent
        err, _ = ctx.kernel.write_file(path, data.encode("utf-8"))
        return err
    if path in DEV_FILES:
        return 0
    handles = open_devices(ctx).get(path)
    if handles:                    # write(2) all of it, then close(2)
        err, _ = ctx.kernel.write_device(handles.pop(0), data.encode("utf-8", "surrogateescape"),
                                         block)
        return err
    files = tmpfs(ctx)
    files[path] = (files.get(path, "") if append else "") + data
    return 0


def open_devices(ctx: ToolContext) -> dict[str, list[OpenFile]]:
    """Device nodes the shell opened for a redirection, not yet written."""
    handles = getattr(ctx, "dev_handles", None)
    if handles is None:
        handles = {}
        setattr(ctx, "dev_handles", handles)
    return handles


def close_unwritten(ctx: ToolContext, path: str) -> None:
    """close(2) of a redirection's node that nothing was written to (the
    command failed, or a later redirection did): ->release runs all the same."""
    handles = open_devices(ctx).get(resolve(ctx, path))
    if handles:
        ctx.kernel.close_device(handles.pop(0))


def host_path(ctx: ToolContext, path: str) -> Path | None:
    """The host path of a name typed by the user, or None if it lies outside
    the working folder (which is all of the host the simulation can see)."""
    return sandbox.inside(ctx.cwd, path)


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
    ko: KoObject | None = None
    data: bytes | None = None
    build: BuildResult | None = None


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
    path = resolve(ctx, path)
    if is_device(ctx, path):       # stat() does not open the device
        return True
    if is_virtual(path):
        err, _ = _virtual_read(ctx, path)
        return err == 0 or err == -errnos.EISDIR
    hp = host_path(ctx, path)
    return hp is not None and (hp.exists() or _ko_source(ctx, path) is not None)


def read_text(ctx: ToolContext, path: str, reader: Reader | None = None) -> tuple[int, str]:
    """What the tool's read() calls get (cat's, unless `reader` says how the
    tool reads): (0, text) or (-errno, "")."""
    path = resolve(ctx, path)
    if is_virtual(path):
        return _virtual_read(ctx, path, reader)
    hp = host_path(ctx, path)
    if hp is None or not hp.exists():
        return -errnos.ENOENT, ""
    if hp.is_dir():
        return -errnos.EISDIR, ""
    return 0, hp.read_bytes().decode("utf-8", errors="replace")


def list_dir(ctx: ToolContext, path: str) -> tuple[int, list[str]]:
    """getdents(): a kernel directory, or a folder plus its built .ko files."""
    path = resolve(ctx, path)
    if is_kernel_path(path):
        return ctx.kernel.list_dir(path)
    if _under(path, "/dev"):
        every = [*DEV_FILES, *ctx.kernel.device_nodes()]
        names = {p[len(path) + 1:].split("/")[0] for p in every if p.startswith(path + "/")}
        if not names:
            return (-errnos.ENOTDIR if path in every else -errnos.ENOENT), []
        return 0, sorted(names)
    if _under(path, "/tmp"):
        err, _ = _virtual_read(ctx, path)
        if err != -errnos.EISDIR:
            return (-errnos.ENOTDIR if err == 0 else err), []
        names = {f[len(path) + 1:].split("/")[0] for f in tmpfs(ctx)
                 if f.startswith(path + "/")}
        return 0, sorted(names)
    hp = host_path(ctx, path)
    if hp is None or not hp.exists():
        return -errnos.ENOENT, []
    if not hp.is_dir():
        return -errnos.ENOTDIR, []
    names = {p.name for p in hp.iterdir() if not p.name.startswith(".")}
    names |= {f"{m}.ko" for m in ctx.built_modules(hp)}
    return 0, sorted(names)
