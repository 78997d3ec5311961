"""kobjects, ksets and sysfs attributes (lib/kobject.c, fs/sysfs/file.c,
fs/sysfs/group.c).

A kobject is a directory in the sysfs tree (kernfs.py).  kobject_create_and_add()
allocates one with the kernel's dynamic_kobj_ktype, whose sysfs_ops call a
kobj_attribute's show/store; kobject_init_and_add() takes the module's
own kobj_type (its sysfs_ops, default_groups and release).  The reference
count is the kref in the struct; the last kobject_put() removes the
directory with everything in it, drops the parent and frees (or calls
ktype->release).  Files and groups are Resources entries of the module
that created them, and so is the kobject until its last put: a kobject
still referenced at rmmod is a leak, and its attributes then point into
the freed module (cat oopses).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kmodgui.kernel import vsprintf
from kmodgui.kernel.kapi import kapi, kapi_data, kernfs
from kmodgui.kernel.kapi.common import (EEXIST, EINVAL, ENOMEM, PTR_SIZE,
                                        free_object, kernel_object, klog,
                                        kobject_eexist, offset, owner, read_field,
                                        registry, sysfs_warn_dup, write_field)
from kmodgui.kernel.kapi.kernfs import Node
from kmodgui.kernel.memory import KOBJ
from kmodgui.kernel.services import KCall, KernelServices

#: the kernel functions between sysfs_warn_dup() and the caller
DIR_DUP = ("sysfs_create_dir_ns+0xca/0xe0", "kobject_add_internal+0xba/0x260",
           "kobject_add+0x9b/0xd0")
FILE_DUP = ("sysfs_add_file_mode_ns+0x1f6/0x230", "sysfs_create_file_ns+0x73/0xb0")
GROUP_DUP = ("internal_create_group+0x3a5/0x400",)
KOBJECT_SIZE = 64          # sizeof(struct kobject) on 6.1 x86_64
KSET_SIZE = 96


@dataclass(eq=False)
class KObject:
    addr: int
    name: str
    node: Node | None
    parent: "KObject | None"
    owner: str
    refs: int = 1
    ktype: int = 0         # the module's struct kobj_type *, 0: dynamic_kobj_ktype
    dynamic: bool = True   # the kernel allocated it (kobject_create_and_add)
    name_addr: int = 0
    kset: "KObject | None" = None   # the kset it joined (uevents go through it)
    add_sent: bool = False
    remove_sent: bool = False
    groups: dict[int, Node | None] = field(default_factory=dict)   # grp -> its dir

    @property
    def path(self) -> str:
        return self.node.path if self.node is not None else f"/{self.name}"


def kobjects(k: KCall) -> dict[int, KObject]:
    return registry(k, "kobjects")


# -- the kernel's own kobjects and the variables modules import -------------
BUILTIN = {"kernel_kobj": "kernel", "mm_kobj": "kernel/mm", "fs_kobj": "fs",
           "firmware_kobj": "firmware"}


def builtin_kobject(kernel: KernelServices, var: str) -> int:
    """The address of the pointer variable `var` (kernel_kobj, ...), which
    holds the kobject of its /sys directory."""
    seen = kernel.names.setdefault("kobject_vars", {})
    if var in seen:
        return seen[var]
    node = kernfs.mkdir_p(kernfs.root(kernel), BUILTIN[var])
    obj = kernel.mem.map(KOBJECT_SIZE, KOBJ, "kernel", label=f"kobject {node.path}")
    name = kernel.mem.map(len(node.name) + 1, KOBJ, "kernel", label=f"name of {node.path}")
    name.data[:len(node.name)] = node.name.encode()
    obj.data[0:8] = name.base.to_bytes(8, "little")
    node.kobj = obj.base
    kernel.names.setdefault("kobjects", {})[obj.base] = KObject(obj.base, node.name, node, None, "kernel",
                                         refs=1 << 30, dynamic=False)
    ptr = kernel.mem.map(PTR_SIZE, KOBJ, "kernel", label=var)
    ptr.data[:8] = obj.base.to_bytes(8, "little")
    seen[var] = ptr.base
    return ptr.base


@kapi_data("kernel_kobj", gpl=True)
def kernel_kobj(kernel: KernelServices) -> int:
    return builtin_kobject(kernel, "kernel_kobj")


@kapi_data("mm_kobj", gpl=True)
def mm_kobj(kernel: KernelServices) -> int:
    return builtin_kobject(kernel, "mm_kobj")


@kapi_data("fs_kobj", gpl=True)
def fs_kobj(kernel: KernelServices) -> int:
    return builtin_kobject(kernel, "fs_kobj")


@kapi_data("firmware_kobj", gpl=True)
def firmware_kobj(kernel: KernelServices) -> int:
    return builtin_kobject(kernel, "firmware_kobj")


def _find(k: KCall, addr: int) -> KObject | None:
    """The kobject at addr; reading a freed one faults (kobj->name)."""
    if addr == 0:
        return None
    known = kobjects(k).get(addr)
    if known is None:
        k.mem.read_int(addr, 8)
    return known


def _parent_node(k: KCall, parent: KObject | None) -> Node:
    if parent is not None and parent.node is not None:
        return parent.node
    return kernfs.root(k)


# -- creating and adding -----------------------------------------------------
def _add(k: KCall, kobj: KObject, parent: KObject | None, api: str,
         callers: tuple[str, ...] = ()) -> int:
    """kobject_add_internal(): the directory, or -EEXIST with the kernel's
    two complaints (sysfs_warn_dup(), then kobject_add_internal's pr_err)."""
    where = _parent_node(k, parent)
    if kobj.name in where.children:
        sysfs_warn_dup(k, f"{where.path.rstrip('/')}/{kobj.name}", DIR_DUP + callers)
        kobject_eexist(k, kobj.name)
        return -EEXIST
    kobj.node = kernfs.add(where, Node(kobj.name, where, "dir", owner=kobj.owner,
                                       kobj=kobj.addr))
    kobj.parent = parent
    if parent is not None:
        parent.refs += 1
    write_field(k, kobj.addr, "kobject", "parent", parent.addr if parent else 0)
    k.kernel.ledger.acquire("kobject", kobj.addr, f"kobject /sys{kobj.path}", kobj.owner,
                            k.site, api)
    return 0


def _set_name(k: KCall, kobj: KObject, name: str) -> None:
    """kobject_set_name_vargs(): a kstrdup'd name in kobj->name."""
    raw = name.encode("latin-1", "replace")
    reg = k.mem.map(len(raw) + 1, KOBJ, "kernel", label=f"name of kobject {name}")
    reg.data[:len(raw)] = raw
    kobj.name, kobj.name_addr = name, reg.base
    write_field(k, kobj.addr, "kobject", "name", reg.base)


def _init_struct(k: KCall, addr: int, ktype: int) -> None:
    """kobject_init(): kref at 1, the ktype, state_initialized."""
    off = offset(k, "kobject", "kref")
    if off is not None:
        k.mem.write_int(addr + off, 4, 1)
    write_field(k, addr, "kobject", "ktype", ktype)


@kapi("kobject_create_and_add", fail="null", gpl=True)
def kobject_create_and_add(k: KCall, name: int, parent: int) -> int:
    """A kobject of dynamic_kobj_ktype in /sys/<parent>/<name>, or NULL."""
    par = _find(k, parent)
    addr = kernel_object(k, "kobject", KOBJECT_SIZE, "kobject").base
    _init_struct(k, addr, 0)
    kobj = KObject(addr, "", None, None, owner(k))
    _set_name(k, kobj, k.cstr(name))
    kobjects(k)[addr] = kobj
    err = _add(k, kobj, par, "kobject_create_and_add", ("kobject_create_and_add+0x73/0x90",))
    if err:
        klog(k, 4, f"kobject_create_and_add: kobject_add error: {err}")
        _free(k, kobj)
        return 0
    _remember_layouts(k)
    return addr


@kapi("kobject_init")
def kobject_init(k: KCall, kobj: int, ktype: int) -> int:
    """kobject_init() of a kobject the module embeds in its own struct."""
    if kobj == 0:
        klog(k, 3, "kobject: invalid kobject pointer!")
        return 0
    _init_struct(k, kobj, ktype)
    kobjects(k)[kobj] = KObject(kobj, "", None, None, owner(k), ktype=ktype,
                                dynamic=False)
    _remember_layouts(k)
    return 0


@kapi("kobject_add", variadic=True)
def kobject_add(k: KCall, kobj: int, parent: int, fmt: int, *args: int) -> int:
    obj = kobjects(k).get(kobj)
    if obj is None:
        klog(k, 3, "kobject '(null)' ({:#x}): tried to add an uninitialized object, "
                   "something is seriously wrong.".format(kobj))
        return -EINVAL
    _set_name(k, obj, vsprintf.format(k, k.mem.read_cstring(fmt), list(args)).decode("latin-1"))
    obj.kset = _kset_of(k, kobj)
    err = _add(k, obj, _find(k, parent) or obj.kset, "kobject_add")
    return err or _default_groups(k, obj)


@kapi("kobject_init_and_add", gpl=True, variadic=True)
def kobject_init_and_add(k: KCall, kobj: int, ktype: int, parent: int, fmt: int,
                         *args: int) -> int:
    kobject_init(k, kobj, ktype)
    return kobject_add(k, kobj, parent, fmt, *args)


def _kset_of(k: KCall, kobj: int) -> KObject | None:
    """kobject_add_internal(): with no parent, a kobject that names a kset
    goes into the kset's directory."""
    kset = read_field(k, kobj, "kobject", "kset") or 0
    return _find(k, kset + (offset(k, "kset", "kobj") or 0)) if kset else None


def _default_groups(k: KCall, obj: KObject) -> int:
    """kobject_add_internal() -> populate_dir(): ktype->default_groups."""
    groups = read_field(k, obj.ktype, "kobj_type", "default_groups") if obj.ktype else 0
    return create_groups(k, obj.addr, groups or 0, "kobject_add")


@kapi("kobject_get")
def kobject_get(k: KCall, kobj: int) -> int:
    obj = _find(k, kobj)
    if obj is not None:
        obj.refs += 1
    return kobj


@kapi("kobject_put")
def kobject_put(k: KCall, kobj: int) -> int:
    """Drop a reference; the last one removes and frees (kobject_release)."""
    obj = _find(k, kobj)
    if obj is None or not obj.refs:
        return 0
    obj.refs -= 1
    if obj.refs == 0:
        _release(k, obj)
    return 0


@kapi("kobject_del")
def kobject_del(k: KCall, kobj: int) -> int:
    """Unlink from sysfs (the memory stays until the last put)."""
    obj = _find(k, kobj)
    if obj is not None:
        _unlink(k, obj, "kobject_del")
    return 0


def _unlink(k: KCall, obj: KObject, api: str) -> None:
    """__kobject_del(): sysfs_remove_dir() takes every file and group with
    it; the parent loses the reference the child held."""
    if obj.node is None:
        return
    for held in [r for r in k.kernel.ledger.held() if r.kind == "sysfs"
                 and isinstance(r.key, tuple) and r.key[0] == obj.addr]:
        k.kernel.ledger.release("sysfs", held.key, api, k.site, owner(k))
    kernfs.remove(obj.node)
    obj.node = None
    k.kernel.ledger.release("kobject", obj.addr, api, k.site, owner(k))
    parent, obj.parent = obj.parent, None
    if parent is not None:
        parent.refs -= 1
        if parent.refs == 0:
            _release(k, parent)


def _release(k: KCall, obj: KObject) -> None:
    """kobject_cleanup(): the "remove" event an added kobject still owes,
    unlink, then ktype->release or kfree."""
    if obj.add_sent and not obj.remove_sent:
        send_uevent(k, obj, KOBJ_REMOVE)
    _unlink(k, obj, "kobject_put")
    del kobjects(k)[obj.addr]
    release = read_field(k, obj.ktype, "kobj_type", "release") if obj.ktype else 0
    if release:                 # the name is freed after the release (kfree_const)
        from kmodgui.kernel.kapi.common import call_module
        call_module(k, release, obj.addr)
    elif obj.dynamic:
        free_object(k, obj.addr)
    if obj.name_addr:
        free_object(k, obj.name_addr)


def _free(k: KCall, obj: KObject) -> None:
    kobjects(k).pop(obj.addr, None)
    if obj.name_addr:
        free_object(k, obj.name_addr)
    free_object(k, obj.addr)


@kapi("kobject_get_path", fail="null", gpl=True)
def kobject_get_path(k: KCall, kobj: int, gfp: int) -> int:
    obj = _find(k, kobj)
    text = (obj.path if obj is not None else "").encode()
    reg = k.mem.map(len(text) + 1, KOBJ, owner(k), label="kobject path", site=k.site)
    reg.data[:len(text)] = text
    return reg.base


# -- ksets ----------------------------------------------------------------
@kapi("kset_create_and_add", fail="null", gpl=True)
def kset_create_and_add(k: KCall, name: int, uevent_ops: int, parent: int) -> int:
    """A kset (a kobject others can join) in /sys/<parent>/<name>, or NULL."""
    par = _find(k, parent)
    addr = kernel_object(k, "kset", KSET_SIZE, "kset").base
    kobj_at = addr + (offset(k, "kset", "kobj") or 0)
    _init_struct(k, kobj_at, 0)
    kobj = KObject(kobj_at, "", None, None, owner(k))
    _set_name(k, kobj, k.cstr(name))
    kobjects(k)[kobj_at] = kobj
    err = _add(k, kobj, par, "kset_create_and_add", ("kset_register+0x45/0x70",
                                                      "kset_create_and_add+0x80/0xb0"))
    if err:
        _free(k, kobj)
        free_object(k, addr)
        return 0
    registry(k, "ksets")[addr] = kobj_at
    return addr


@kapi("kset_unregister")
def kset_unregister(k: KCall, kset: int) -> int:
    if kset == 0:
        return 0
    kobj_at = registry(k, "ksets").get(kset, kset + (offset(k, "kset", "kobj") or 0))
    obj = _find(k, kobj_at)
    if obj is not None:
        _unlink(k, obj, "kset_unregister")
        obj.refs -= 1
        if obj.refs <= 0:
            kobjects(k).pop(obj.addr, None)
            registry(k, "ksets").pop(kset, None)
            free_object(k, kset)
    return 0


KOBJ_ADD, KOBJ_REMOVE = 0, 1


@kapi("kobject_uevent", gpl=True)
def kobject_uevent(k: KCall, kobj: int, action: int) -> int:
    """lib/kobject_uevent.c kobject_uevent_env(): the event needs a kset
    on the way up (-EINVAL without one, silently); it counts in
    /sys/kernel/uevent_seqnum.  No udev listens here."""
    obj = _find(k, kobj)
    return send_uevent(k, obj, action) if obj is not None else -EINVAL


def send_uevent(k: KCall, obj: KObject, action: int) -> int:
    top: KObject | None = obj
    while top is not None and top.kset is None:
        top = top.parent
    if top is None:
        return -EINVAL
    if action == KOBJ_ADD:
        obj.add_sent = True
    elif action == KOBJ_REMOVE:
        obj.remove_sent = True
    kernfs.uevent(k)
    return 0


# -- attributes: files ---------------------------------------------------
def _remember_layouts(k: KCall) -> None:
    """Note the attribute layouts while the module's headers are at hand:
    a file left behind by a gone module still finds (and faults on) them."""
    for struct, member in (("kobj_attribute", "show"), ("kobj_attribute", "store"),
                           ("device_attribute", "show"), ("device_attribute", "store"),
                           ("sysfs_ops", "show"), ("sysfs_ops", "store"),
                           ("kobj_type", "sysfs_ops"), ("kobj_type", "release"),
                           ("kobj_type", "default_groups"), ("device", "kobj"),
                           ("attribute_group", "attrs"), ("attribute_group", "name"),
                           ("attribute_group", "is_visible"), ("attribute", "mode")):
        offset(k, struct, member)


def _file_ops(k: KCall, obj: KObject) -> tuple[Any, Any]:
    """The show/store of a file of this kobject: the kobj_attribute ones for
    the kernel's dynamic ktype, the device ones for a device, else the
    module ktype's sysfs_ops."""
    kind = registry(k, "kobject_kind").get(obj.addr)
    if kind == "device":
        return kernfs.dev_attr_show, kernfs.dev_attr_store
    if not obj.ktype:
        return kernfs.kobj_attr_show, kernfs.kobj_attr_store
    ops = read_field(k, obj.ktype, "kobj_type", "sysfs_ops") or 0
    return (lambda kk, n, b: kernfs.ops_show(kk, n, b, ops),
            lambda kk, n, b, c: kernfs.ops_store(kk, n, b, c, ops))


def add_file(k: KCall, obj: KObject, where: Node, attr: int, mode: int | None = None) -> int:
    """sysfs_add_file_mode_ns(): -EEXIST (and the dup warning) for a name in use."""
    name = k.cstr(read_field(k, attr, "attribute", "name") or 0)
    if mode is None:
        mode = read_field(k, attr, "attribute", "mode", 2) or 0
    if name in where.children:
        sysfs_warn_dup(k, f"{where.path}/{name}", FILE_DUP)
        return -EEXIST
    show, store = _file_ops(k, obj)
    kernfs.add(where, Node(name, where, "file", owner=owner(k), kobj=obj.addr,
                           attr=attr, mode=mode & 0o777, show=show, store=store))
    return 0


def _dir_of(k: KCall, kobj: int) -> tuple[KObject | None, int]:
    obj = _find(k, kobj)
    if obj is None or obj.node is None:
        return None, -EINVAL
    return obj, 0


@kapi("sysfs_create_file_ns", fail="errno", errno=ENOMEM, gpl=True)
def sysfs_create_file_ns(k: KCall, kobj: int, attr: int, ns: int) -> int:
    obj, err = _dir_of(k, kobj)
    if obj is None or attr == 0:
        return err or -EINVAL
    _remember_layouts(k)
    err = add_file(k, obj, obj.node, attr)
    if not err:
        name = k.cstr(read_field(k, attr, "attribute", "name") or 0)
        k.kernel.ledger.acquire("sysfs", (obj.addr, attr), f"/sys{obj.path}/{name}",
                                owner(k), k.site, "sysfs_create_file")
    return err


@kapi("sysfs_create_files", fail="errno", errno=ENOMEM, gpl=True)
def sysfs_create_files(k: KCall, kobj: int, ptr: int) -> int:
    made = []
    for attr in _null_ended(k, ptr):
        err = sysfs_create_file_ns(k, kobj, attr, 0)
        if err:
            for a in reversed(made):
                sysfs_remove_file_ns(k, kobj, a, 0)
            return err
        made.append(attr)
    return 0


def _null_ended(k: KCall, ptr: int) -> list[int]:
    out = []
    while ptr and len(out) < 4096:
        item = k.mem.read_int(ptr + 8 * len(out), 8)
        if not item:
            break
        out.append(item)
    return out


@kapi("sysfs_remove_file_ns", gpl=True)
def sysfs_remove_file_ns(k: KCall, kobj: int, attr: int, ns: int) -> int:
    """kernfs_remove_by_name_ns(): a name that is not there is no error."""
    obj = _find(k, kobj)
    if obj is None or obj.node is None or attr == 0:
        return 0
    name = k.cstr(read_field(k, attr, "attribute", "name") or 0)
    node = obj.node.children.get(name)
    if node is not None and node.kind == "file":
        kernfs.remove(node)
    if k.kernel.ledger.find("sysfs", (obj.addr, attr)) is not None:
        k.kernel.ledger.release("sysfs", (obj.addr, attr), "sysfs_remove_file",
                                k.site, owner(k))
    return 0


@kapi("sysfs_remove_files", gpl=True)
def sysfs_remove_files(k: KCall, kobj: int, ptr: int) -> int:
    for attr in _null_ended(k, ptr):
        sysfs_remove_file_ns(k, kobj, attr, 0)
    return 0


# -- attribute groups ----------------------------------------------------
@kapi("sysfs_create_group", fail="errno", errno=ENOMEM, gpl=True)
def sysfs_create_group(k: KCall, kobj: int, grp: int) -> int:
    return create_group(k, kobj, grp, "sysfs_create_group")


def create_group(k: KCall, kobj: int, grp: int, api: str) -> int:
    """internal_create_group(): a subdirectory when the group has a name,
    then each visible attribute; on an error what was made goes again."""
    obj, err = _dir_of(k, kobj)
    if obj is None:
        return err
    _remember_layouts(k)
    gname_at = read_field(k, grp, "attribute_group", "name") or 0
    where: Node = obj.node
    if gname_at:
        gname = k.cstr(gname_at)
        if gname in where.children:
            sysfs_warn_dup(k, f"{where.path}/{gname}", GROUP_DUP)
            return -EEXIST
        where = kernfs.add(where, Node(gname, where, "dir", owner=owner(k), kobj=obj.addr))
    err = _group_files(k, obj, where, grp)
    if err:
        _drop_group_files(k, obj, where, grp)
        return err
    obj.groups[grp] = where if gname_at else None
    label = f"/sys{obj.path}/{k.cstr(gname_at)}" if gname_at else \
        f"/sys{obj.path} (attribute group)"
    k.kernel.ledger.acquire("sysfs", (obj.addr, grp), label, owner(k), k.site, api)
    return 0


def _group_files(k: KCall, obj: KObject, where: Node, grp: int) -> int:
    attrs = read_field(k, grp, "attribute_group", "attrs") or 0
    visible = read_field(k, grp, "attribute_group", "is_visible") or 0
    from kmodgui.kernel.kapi.common import call_module
    for i, attr in enumerate(_null_ended(k, attrs)):
        mode = None
        if visible:
            mode = call_module(k, visible, obj.addr, attr, i) & 0xFFFF
            if not mode:
                continue
        err = add_file(k, obj, where, attr, mode)
        if err:
            return err
    return 0


def _drop_group_files(k: KCall, obj: KObject, where: Node, grp: int) -> None:
    if where is not obj.node:
        kernfs.remove(where)
        return
    attrs = read_field(k, grp, "attribute_group", "attrs") or 0
    for attr in _null_ended(k, attrs):
        name = k.cstr(read_field(k, attr, "attribute", "name") or 0)
        node = where.children.get(name)
        if node is not None and node.attr == attr:
            kernfs.remove(node)


@kapi("sysfs_create_groups", fail="errno", errno=ENOMEM, gpl=True)
def sysfs_create_groups(k: KCall, kobj: int, groups: int) -> int:
    return create_groups(k, kobj, groups, "sysfs_create_groups")


def create_groups(k: KCall, kobj: int, groups: int, api: str) -> int:
    made: list[int] = []
    for grp in _null_ended(k, groups):
        err = create_group(k, kobj, grp, api)
        if err:
            for g in reversed(made):
                remove_group(k, kobj, g, api)
            return err
        made.append(grp)
    return 0


@kapi("sysfs_remove_group", gpl=True)
def sysfs_remove_group(k: KCall, kobj: int, grp: int) -> int:
    remove_group(k, kobj, grp, "sysfs_remove_group")
    return 0


def remove_group(k: KCall, kobj: int, grp: int, api: str) -> None:
    """sysfs_remove_group(): a named group that is not there is the
    kernel's WARN "sysfs group 'NAME' not found for kobject 'KOBJ'"."""
    obj = _find(k, kobj)
    if obj is None or obj.node is None:
        return
    gname_at = read_field(k, grp, "attribute_group", "name") or 0
    where = obj.node
    if gname_at:
        sub = where.children.get(k.cstr(gname_at))
        if sub is None or sub.kind != "dir":
            klog(k, 4, f"sysfs group '{k.cstr(gname_at)}' not found for kobject "
                       f"'{obj.name}'")
            return
        where = sub
    _drop_group_files(k, obj, where, grp)
    obj.groups.pop(grp, None)
    if k.kernel.ledger.find("sysfs", (obj.addr, grp)) is not None:
        k.kernel.ledger.release("sysfs", (obj.addr, grp), api, k.site, owner(k))


@kapi("sysfs_remove_groups", gpl=True)
def sysfs_remove_groups(k: KCall, kobj: int, groups: int) -> int:
    for grp in _null_ended(k, groups):
        remove_group(k, kobj, grp, "sysfs_remove_groups")
    return 0


@kapi("sysfs_notify", gpl=True)
def sysfs_notify(k: KCall, kobj: int, dir_: int, attr: int) -> int:
    """Wakes pollers of the file; nobody polls here."""
    _find(k, kobj)
    return 0


# -- formatting into a show() buffer ---------------------------------------
def _emit_at(k: KCall, buf: int, at: int, fmt: int, args: tuple[int, ...], name: str) -> int:
    """fs/sysfs/file.c sysfs_emit()/sysfs_emit_at(): WARN and 0 unless buf
    is a show() page; at most PAGE_SIZE - at bytes (vscnprintf)."""
    if not buf or not kernfs.is_show_buffer(k, buf) or at < 0 or at >= kernfs.PAGE_SIZE:
        klog(k, 4, f"invalid {name}: buf:{buf:016x} at:{at}")
        return 0
    text = vsprintf.format(k, k.mem.read_cstring(fmt), list(args))
    text = text[:kernfs.PAGE_SIZE - at - 1]
    k.mem.write_bytes(buf + at, text + b"\0")
    return len(text)


@kapi("sysfs_emit", gpl=True, variadic=True)
def sysfs_emit(k: KCall, buf: int, fmt: int, *args: int) -> int:
    return _emit_at(k, buf, 0, fmt, args, "sysfs_emit")


@kapi("sysfs_emit_at", gpl=True, variadic=True)
def sysfs_emit_at(k: KCall, buf: int, at: int, fmt: int, *args: int) -> int:
    from kmodgui.kernel.kapi.common import s32
    return _emit_at(k, buf, s32(at), fmt, args, "sysfs_emit_at")
