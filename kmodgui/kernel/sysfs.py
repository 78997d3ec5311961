"""The files userspace reads: /proc/modules, /proc/sys/kernel/tainted,
/sys/module/<m>/... (kernel/module/procfs.c, sysfs.c), module /proc entries
and kmemleak's file (kmemleak.py).
"""
from __future__ import annotations

import errno as E
import importlib
from types import ModuleType

from kmodgui.kernel import kmemleak, params
from kmodgui.kernel.kapi import kernfs, procfs
from kmodgui.kernel.kapi.reads import Reader
from kmodgui.kernel.module import Module
from kmodgui.kernel.services import KernelServices


def proc_modules_line(k: KernelServices, m: Module) -> str:
    """m_show(): 'name size refcount deps state address [flags]'."""
    if k.config.get("MODULE_UNLOAD"):
        deps = "".join(f"{h}," for h in reversed(m.holders))
        if m.permanent:
            deps += "[permanent],"
        unload = f" {m.refcnt} {deps or '-'}"
    else:
        unload = " - -"
    state = {"GOING": "Unloading", "COMING": "Loading"}.get(m.state, "Live")
    flags = m.flags_str()
    return f"{m.name} {m.size}{unload} {state} 0x{m.address:016x}" + \
        (f" {flags}" if flags else "") + "\n"


def _module_dir(k: KernelServices, rest: list[str]) -> tuple[int, str]:
    m = k.modules.get(rest[0])
    if m is None or m.state == "UNFORMED":
        return -E.ENOENT, ""
    attr = rest[1:] if len(rest) > 1 else []
    if not attr:
        return -E.EISDIR, ""
    a = attr[0]
    if a == "initstate" and len(attr) == 1:
        return 0, {"LIVE": "live", "COMING": "coming", "GOING": "going"}[m.state] + "\n"
    if a == "refcnt" and len(attr) == 1 and k.config.get("MODULE_UNLOAD"):
        return 0, f"{m.refcnt}\n"
    if a == "taint" and len(attr) == 1:
        return 0, m.taint_letters + "\n"
    if a == "coresize" and len(attr) == 1:
        return 0, f"{m.core_size}\n"
    if a == "initsize" and len(attr) == 1:
        return 0, f"{m.init_size}\n"
    if a == "srcversion" and m.ko.srcversion and len(attr) == 1:
        return 0, m.ko.srcversion + "\n"
    if a == "version" and m.ko.info("version") and len(attr) == 1:
        return 0, m.ko.info("version")[-1] + "\n"
    if len(attr) == 1 and (a == "holders" or a == "parameters"
                           and any(p.perm for p in m.ko.params)):
        return -E.EISDIR, ""
    if a == "parameters" and len(attr) == 2:
        val = params.show(k, m, attr[1])
        return (0, val) if val is not None else (-E.ENOENT, "")
    return -E.ENOENT, ""


def read_file(k: KernelServices, path: str, reader: Reader | None = None) -> tuple[int, str]:
    parts = [p for p in path.split("/") if p]
    if path == "/proc/modules":
        if not k.config.get("MODULES", True):
            return -E.ENOENT, ""
        return 0, "".join(proc_modules_line(k, m) for m in k.modules_newest_first())
    if path == "/proc/sys/kernel/tainted":
        return 0, f"{k.tainted}\n"
    sysctl = _hung_task_sysctl(k, parts)
    if sysctl:
        return 0, k.sched.sysctl_read(sysctl)
    if path == kmemleak.PATH:
        return kmemleak.read(k)
    if parts[:2] == ["sys", "module"] and len(parts) >= 3:
        return _module_dir(k, parts[2:])
    if kernfs.is_ours(path):
        return kernfs.read_file(k, path)
    if parts[:1] == ["proc"] and len(parts) >= 2:
        return procfs.read_proc_file(k, path, reader=reader)
    return -E.ENOENT, ""


def list_dir(k: KernelServices, path: str) -> tuple[int, list[str]]:
    parts = [p for p in path.split("/") if p]
    if parts == ["proc"]:        # the files kmodsim serves, and the modules' entries
        made = {e.path.rsplit("/", 1)[-1] for e in procfs.children(k, "/proc")}
        return 0, sorted({"devices", "misc", "modules", "sys"} | made)
    if parts == ["sys", "kernel", "debug"]:     # debugfs: only kmemleak's file is served
        return 0, ["kmemleak"] if kmemleak.enabled(k) else []
    if kernfs.is_ours(path):
        return kernfs.list_dir(k, path)
    if parts == ["sys", "module"]:
        return 0, sorted(m.name for m in k.modules.values() if m.state != "UNFORMED")
    if parts[:2] != ["sys", "module"] or len(parts) < 3:
        return -E.ENOENT, []
    m = k.modules.get(parts[2])
    if m is None or m.state == "UNFORMED":
        return -E.ENOENT, []
    if len(parts) == 3:
        names = ["coresize", "holders", "initsize", "initstate", "notes",
                 "sections", "taint", "uevent"]
        if any(p.perm for p in m.ko.params):
            names.append("parameters")   # params.c add_sysfs_param(): made by the first
        if k.config.get("MODULE_UNLOAD"):
            names.append("refcnt")
        if m.ko.srcversion:
            names.append("srcversion")
        if _platform().module_drivers(k, m.name):
            names.append("drivers")     # bus.c module_add_driver()
        return 0, sorted(names)
    if parts[3:] == ["drivers"] and _platform().module_drivers(k, m.name):
        return 0, _platform().module_drivers(k, m.name)
    if parts[3:] == ["holders"]:
        return 0, sorted(m.holders)
    if parts[3:] == ["parameters"] and any(p.perm for p in m.ko.params):
        return 0, sorted(p.name for p in m.ko.params if p.perm)
    return -E.ENOTDIR, []


def _param_of(k: KernelServices, path: str) -> tuple[Module, str] | None:
    """(module, parameter name) of /sys/module/M/parameters/P, else None."""
    parts = [p for p in path.split("/") if p]
    if len(parts) != 5 or parts[:2] != ["sys", "module"] or parts[3] != "parameters":
        return None
    m = k.modules.get(parts[2])
    if m is None or m.state == "UNFORMED":
        return None
    return m, parts[4]


def open_for_write(k: KernelServices, path: str) -> int:
    """fs/kernfs/file.c kernfs_fop_open(): a sysfs file without a write
    bit (or without a store method) refuses O_WRONLY with -EACCES, root
    included.  A name that does not exist cannot be created: fs/namei.c
    lookup_open() gives -EACCES when the directory has no ->create
    (procfs, sysfs), -ENOENT when the directory itself is missing."""
    param = _param_of(k, path)
    if param is not None and params.writable(param[0], param[1]) != -E.ENOENT:
        return params.writable(param[0], param[1])
    if _hung_task_sysctl(k, [p for p in path.split("/") if p]):
        return 0
    if path == kmemleak.PATH:
        return 0 if kmemleak.enabled(k) else -E.ENOENT
    if kernfs.is_ours(path):
        return kernfs.open_for_write(k, path)
    if path.startswith("/proc/") and procfs.lookup(k, path) is not None:
        return 0
    err, _ = read_file(k, path)
    if err in (0, -E.EISDIR):
        return -E.EISDIR if err else -E.EACCES
    parent = path.rsplit("/", 1)[0] or "/"
    return -E.EACCES if list_dir(k, parent)[0] == 0 else -E.ENOENT


def write_file(k: KernelServices, path: str, data: bytes) -> tuple[int, int]:
    err = open_for_write(k, path)
    if err:
        return err, 0
    sysctl = _hung_task_sysctl(k, [p for p in path.split("/") if p])
    if sysctl:                   # kernel/hung_task.c hung_task_sysctls
        err = k.sched.sysctl_write(sysctl, data.decode("utf-8", "replace"))
        return (err, 0) if err else (0, len(data))
    if path == kmemleak.PATH:
        return kmemleak.write(k, data)
    param = _param_of(k, path)
    if param is not None:        # kernel/params.c param_attr_store()
        err = params.store(k, param[0], param[1], data.decode("utf-8", "replace"))
        return (err, 0) if err else (0, len(data))
    if kernfs.is_ours(path):     # fs/sysfs/file.c sysfs_kf_write()
        return kernfs.write_file(k, path, data)
    return procfs.write_proc_file(k, path, data)


def _hung_task_sysctl(k: KernelServices, parts: list[str]) -> str:
    """The name of a /proc/sys/kernel/hung_task_* file kmodsim serves, or ""."""
    sched = getattr(k, "sched", None)
    if sched is None or parts[:3] != ["proc", "sys", "kernel"] or len(parts) != 4:
        return ""
    return parts[3] if parts[3] in sched.SYSCTLS else ""


def _platform() -> ModuleType:
    return importlib.import_module("kmodgui.kernel.kapi.platform")


