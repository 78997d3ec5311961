"""Module loading and unloading, in the order of kernel/module/main.c.

load_module(): signature check, ELF checks, module_layout/vermagic checks
(try_to_force_load), taints (out-of-tree, license, unsigned), the duplicate
check (add_unformed_module), symbol resolution (simplify_symbols, which
also records dependencies: ref_module), parse_args, then do_init_module():
init's return decides -- negative fails and frees, positive warns and
loads anyway, zero goes LIVE and frees the init sections.
delete_module(): users, state, [permanent] and force, refcount, exit().
2.6.30 differs where its profile says (no UNFORMED, no O/E taints,
sys_init_module wording, unknown parameters fatal).
"""
from __future__ import annotations

import errno as E

from kmodgui.kbuild.program import KoObject
from kmodgui.kernel import params as kparams
from kmodgui.kernel import panic
from kmodgui.kernel.events import ModuleStateChanged
from kmodgui.kernel.kapi import kernfs
from kmodgui.kernel.module import FuncRef, Module, layout
from kmodgui.kernel.services import KernelServices

GPL_COMPATIBLE = {"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
                  "Dual MIT/GPL", "Dual MPL/GPL"}
MODULE_INIT_IGNORE_MODVERSIONS = 1
MODULE_INIT_IGNORE_VERMAGIC = 2
O_TRUNC = 0o1000
O_NONBLOCK = 0o4000
EHDR_SIZE = 64                # sizeof(Elf64_Ehdr)
MODULE_IMAGE_MAX = 512 << 20  # the simulated machine's memory (see kapi/vmalloc.py)


def _image_size(ko: KoObject) -> int:
    return sum(max(g.ctype.size, 1) for g in ko.globals)


def set_state(k: KernelServices, mod: Module, state: str) -> None:
    # do_init_module() sends the module's KOBJ_ADD once init succeeded;
    # free_module()'s teardown the KOBJ_REMOVE of a module that sent it
    if state == "LIVE" and mod.state != "LIVE":
        kernfs.uevent(k)
        mod.uevent_sent = True
    elif state == "GONE" and mod.uevent_sent:
        kernfs.uevent(k)
    mod.state = state
    k.trace.emit(ModuleStateChanged(k.clock_ns, mod.name, state))


# -- init_module(2) ------------------------------------------------------------
def load_module(k: KernelServices, image: KoObject | bytes, args: str, flags: int) -> int:
    if not isinstance(image, KoObject):
        return _elf_checks(k, image)
    ko: KoObject = image
    name = ko.name
    prof = k.profile.kernel
    if k.config.get("MODULE_SIG_FORCE"):
        k.log_line(k.profile.msg("sig_rejected", reason="unsigned module"), 5)
        return -E.EKEYREJECTED
    mod = Module(name, ko, size_model=prof["size_model"], flag_order=prof["module_taints"])
    err = _version_checks(k, mod, flags)
    if err:
        return err
    _load_taints(k, mod)
    if _image_size(ko) > MODULE_IMAGE_MAX:
        # layout_and_allocate(): module_alloc() is vmalloc, and fails for
        # an image larger than the machine's memory
        k.log_line(f"insmod: vmalloc error: size {_image_size(ko)}, exceeds total pages, "
                   "mode:0xcc0(GFP_KERNEL), nodemask=(null),cpuset=/,mems_allowed=0", 4)
        return -E.ENOMEM
    existing = k.modules.get(name)
    if existing is not None and existing.state in ("COMING", "UNFORMED") \
            and prof["has_unformed"]:
        # module_patient_check_exists(): wait_event_interruptible() until the
        # other load finishes; one stuck in its init never does, so insmod
        # sleeps (TASK_INTERRUPTIBLE, which khungtaskd ignores) for good
        task = k.cpu.current()
        task.sleep_state, task.wchan = "S", ("__schedule+0x34d/0xa00", "schedule+0x5a/0xd0")
        k.sleep(task, None)
    if existing is not None:
        # module_patient_check_exists(): -EEXIST if live, else -EBUSY
        return -E.EEXIST if existing.state == "LIVE" else -E.EBUSY
    k.modules[name] = mod
    if prof["has_unformed"]:
        set_state(k, mod, "UNFORMED")
    k.clock_ns += 750_000                            # layout_and_allocate, percpu, ...
    if k.config.get("MODULE_SIG") and prof["sig_taint"]:
        if not k.sig_notice_done:
            k.log_line(k.profile.msg("sig_taint", name=name), 5)
            k.sig_notice_done = True
        k.add_taint("E", mod)
    unload = bool(k.config.get("MODULE_UNLOAD"))
    mod.has_init = ko.init is not None
    mod.has_exit = ko.exit is not None and unload   # .exit = cleanup_module only #ifdef CONFIG_MODULE_UNLOAD
    mod.refcnt = 1 if unload else 0                 # module_unload_init: held during init
    err = _simplify_symbols(k, mod)
    if err:
        return _fail_early(k, mod, err)
    layout(k, mod, unload)
    set_state(k, mod, "COMING")
    err = kparams.parse_args(k, mod, args)
    if err:
        return _fail_early(k, mod, err)
    k.clock_ns += 2_200_000
    return do_init_module(k, mod)


def _elf_checks(k: KernelServices, data: bytes) -> int:
    """elf_validity_cache_copy(): anything that is not one of our objects."""
    if len(data) == 0:
        return -E.EINVAL
    if len(data) < EHDR_SIZE:
        k.log_line(f"Invalid ELF header len {len(data)}", 3)
        return -E.ENOEXEC
    if not data.startswith(b"\x7fELF"):
        k.log_line("Invalid ELF header magic: != \x7fELF", 3)
        return -E.ENOEXEC
    # a real x86 object: the simulator cannot run machine code
    k.log_line("module has no symbols (stripped?)", 4)
    return -E.ENOEXEC


def _version_checks(k: KernelServices, mod: Module, flags: int) -> int:
    """check_modstruct_version() then check_modinfo()'s vermagic test."""
    ko = mod.ko
    want = k.vermagic()
    if k.config.get("MODVERSIONS") and (flags & MODULE_INIT_IGNORE_MODVERSIONS
                                        or not ko.has_versions):
        err = try_to_force_load(k, mod, "module_layout")
        if err:
            return err
    if flags & MODULE_INIT_IGNORE_VERMAGIC:
        return try_to_force_load(k, mod, "bad vermagic")
    if ko.vermagic != want:
        k.log_line(k.profile.msg("vermagic", name=mod.name, have=ko.vermagic, want=want), 3)
        return -E.ENOEXEC
    return 0


def try_to_force_load(k: KernelServices, mod: Module, reason: str) -> int:
    if not k.config.get("MODULE_FORCE_LOAD"):
        return -E.ENOEXEC
    if "F" not in k.taint_letters:
        k.log_line(k.profile.msg("forced_load", name=mod.name, reason=reason), 4)
    k.add_taint("F", mod)
    return 0


def _load_taints(k: KernelServices, mod: Module) -> None:
    """check_modinfo()/set_license(): taints that stay even if init fails."""
    prof = k.profile.kernel
    if prof["oot_taint"]:
        if "O" not in k.taint_letters:
            k.log_line(k.profile.msg("oot_taint", name=mod.name), 4)
        k.add_taint("O", mod)
    lic = mod.ko.license or "unspecified"
    if lic not in GPL_COMPATIBLE:
        if "P" not in k.taint_letters:
            k.log_line(k.profile.msg("license_taint", name=mod.name, license=lic), 4)
        k.add_taint("P", mod)


def _simplify_symbols(k: KernelServices, mod: Module) -> int:
    """Resolve each undefined symbol; record dependencies (ref_module)."""
    ko = mod.ko
    gpl_ok = (ko.license or "unspecified") in GPL_COMPATIBLE
    err = 0
    for sym in ko.undefined:
        if sym == "__this_module":         # the module's own struct module
            continue
        target, owner, gpl = k.find_symbol(sym)
        if target is None or (gpl and not gpl_ok):
            k.log_line(_unknown_symbol(k, mod.name, sym), 4)
            err = err or -E.ENOENT
            continue
        if owner is not None:
            if owner.state == "COMING":
                return -E.EBUSY      # strong_try_module_get() of a module in init
            if owner.name not in mod.uses:
                mod.uses.append(owner.name)
                owner.holders.append(mod.name)
                owner.refcnt += 1
        mod.symtab[sym] = target
    for fname, fn in ko.functions.items():
        mod.symtab[fname] = FuncRef(mod, fn)
    return err


def _unknown_symbol(k: KernelServices, name: str, sym: str) -> str:
    return k.profile.msg("unknown_symbol", name=name, sym=sym, err=-E.ENOENT)


def _fail_early(k: KernelServices, mod: Module, err: int) -> int:
    """load_module()'s unwind before init ran: coming_cleanup ... free_module."""
    if mod.state == "COMING":
        set_state(k, mod, "GOING")
    free_module(k, mod)
    return err


# -- do_init_module ----------------------------------------------------------
def do_init_module(k: KernelServices, mod: Module) -> int:
    ret = 0
    fn = mod.function(mod.ko.init) if mod.has_init else None
    if fn is not None:
        ret = k.run_module_function(mod, fn, [], "init")
    if ret < 0:
        if ret == -E.EEXIST and k.profile.kernel["remap_init_eexist"]:
            ret = -E.EBUSY
        set_state(k, mod, "GOING")
        if k.config.get("MODULE_UNLOAD"):
            mod.refcnt = 0
        k.report_leftovers(mod)
        free_module(k, mod)
        return ret
    if ret > 0:
        # do_init_module(): one pr_warn() of two lines
        k.log_line(k.profile.msg("suspicious", name=mod.name, ret=ret) + "\n"
                   + k.profile.msg("anyway"), 4)
        if k.profile.kernel["messages"]["suspicious_dump_stack"]:
            task = k.current_task("insmod")
            panic.dump_stack(k, task, k.profile.kernel["suspicious_trace"])
    set_state(k, mod, "LIVE")
    if k.config.get("MODULE_UNLOAD"):
        mod.refcnt -= 1                    # "Drop initial reference."
    _free_init(k, mod)
    return 0


def _free_init(k: KernelServices, mod: Module) -> None:
    """Free .init.* memory: __init code and __initdata are gone from now on."""
    for key in ("init_text", "init_data"):
        reg = mod.regions.pop(key, None)
        if reg is not None:
            k.mem.free(reg)          # poisoned for a while, then forgotten
    mod.init_freed = True


# -- delete_module(2) --------------------------------------------------------
def delete_module(k: KernelServices, name: str, flags: int) -> int:
    mod = k.modules.get(name)
    if mod is None or mod.state == "UNFORMED":
        return -E.ENOENT
    if mod.holders:
        return -E.EWOULDBLOCK           # "Other modules depend on us"
    if mod.state != "LIVE":
        return -E.EBUSY                 # "Doing init or already dying?"
    forced = False
    if mod.has_init and not mod.has_exit:
        forced = try_force_unload(k, flags)
        if not forced:
            return -E.EBUSY             # [permanent]: "This module can't be removed"
    if mod.refcnt != 0:
        forced = try_force_unload(k, flags) or forced
        if not forced:
            return -E.EWOULDBLOCK
    set_state(k, mod, "GOING")
    mod.refcnt = -1 if k.profile.kernel["switches"]["unload_refcnt_dead"] else 0
    fn = mod.function(mod.ko.exit) if mod.has_exit else None
    if fn is not None:
        k.run_module_function(mod, fn, [], "exit")
    k.last_unloaded = mod.name + (mod.flags_str().replace("-", "") if k.profile.kernel["switches"]["last_unloaded_flags"]
                                  else "")
    k.report_leftovers(mod)
    # free_module(): synchronize_rcu() sleeps before the memory goes, so
    # work the exit routine queued runs first
    from kmodgui.kernel.kapi import workqueue
    workqueue.preempt_point(k)
    free_module(k, mod)
    return 0


def try_force_unload(k: KernelServices, flags: int) -> bool:
    """rmmod -f: only with CONFIG_MODULE_FORCE_UNLOAD; taints R."""
    if not k.config.get("MODULE_FORCE_UNLOAD"):
        return False
    if flags & O_TRUNC:
        k.add_taint("R")
        return True
    return False


def free_module(k: KernelServices, mod: Module) -> None:
    """Unlink, drop our references to other modules, free the sections."""
    if k.profile.kernel["has_unformed"]:
        set_state(k, mod, "UNFORMED")
    for dep in mod.uses:
        other = k.modules.get(dep)
        if other is not None and mod.name in other.holders:
            other.holders.remove(mod.name)
            other.refcnt -= 1
    for reg in list(mod.regions.values()):
        reg.freed = True
        k.mem.unmap(reg)
    mod.regions.clear()
    for addr in [a for a, t in k.mem.functions.items()
                 if isinstance(t, FuncRef) and t.inst is mod]:
        del k.mem.functions[addr]
    k.modules.pop(mod.name, None)
    set_state(k, mod, "GONE")
