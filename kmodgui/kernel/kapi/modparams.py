"""kernel/params.c's standard parameter operations, for module_param_cb().

param_set_<type>(val, kp) parses val into *kp->arg with the kstrto*
function of the type (0, -EINVAL or -ERANGE); param_get_<type>(buffer, kp)
prints the value and a newline into the sysfs page (STANDARD_PARAM_DEF in
6.1) and returns the length.  struct kernel_param as <linux/moduleparam.h>
lays it out: name, mod, ops, perm (u16), level, flags, then the arg union
at offset 32.
"""
from __future__ import annotations

from kmodgui.kernel.kapi import kapi
from kmodgui.kernel.kapi.common import call_module, s32, scratch
from kmodgui.kernel.kapi.kstrtox import kstrto, kstrtobool
from kmodgui.kernel.services import KCall, KernelServices

ARG_OFFSET = 32

#: type -> (bits, signed) of param_set/get_<type> (all print the value in decimal)
_TYPES = {"byte": (8, False), "short": (16, True), "ushort": (16, False),
          "int": (32, True), "uint": (32, False), "long": (64, True), "ulong": (64, False)}


def _arg(k: KCall, kp: int) -> int:
    return k.mem.read_int(kp + ARG_OFFSET, 8)


def _put(k: KCall, buffer: int, text: str) -> int:
    data = text.encode()
    k.mem.write_bytes(buffer, data + b"\0")
    return len(data)


def _make(name: str, bits: int, signed: bool) -> None:
    def set_(k: KCall, val: int, kp: int) -> int:
        return kstrto(k, val, 0, _arg(k, kp), bits, signed)

    def get(k: KCall, buffer: int, kp: int) -> int:
        v = k.mem.read_int(_arg(k, kp), bits // 8, signed)
        return _put(k, buffer, f"{v}\n")
    set_.__doc__ = f"param_set_{name}(): kstrto{name}-style parse into *kp->arg."
    get.__doc__ = f"param_get_{name}(): the value and a newline."
    kapi(f"param_set_{name}")(set_)
    kapi(f"param_get_{name}")(get)


for _name, (_bits, _signed) in _TYPES.items():
    _make(_name, _bits, _signed)


@kapi("param_set_bool")
def param_set_bool(k: KCall, val: int, kp: int) -> int:
    """No value ("insmod m.ko flag") means true; else kstrtobool()."""
    if not val:
        k.mem.write_int(_arg(k, kp), 1, 1)
        return 0
    return kstrtobool(k, val, _arg(k, kp))


@kapi("param_get_bool")
def param_get_bool(k: KCall, buffer: int, kp: int) -> int:
    return _put(k, buffer, "Y\n" if k.mem.read_int(_arg(k, kp), 1) else "N\n")


# -- the kernel's side: parse_one() and param_attr_show()/store() ---------
PAGE_SIZE = 4096
OPS_OFFSET = 16      # kp->ops
SET, GET = 8, 16     # ops->set, ops->get


def _op(k: KCall, kp: int, which: int) -> int:
    return k.mem.read_int(k.mem.read_int(kp + OPS_OFFSET, 8) + which, 8)


def call_set(kernel: KernelServices, kp: int, val: str | None, comm: str) -> int:
    """kp->ops->set(val, kp): the module's code, run as the task `comm`
    (insmod's parse_args(), or the shell writing the sysfs file)."""
    def run(k: KCall) -> int:
        fn = _op(k, kp, SET)
        if val is None:
            return s32(call_module(k, fn, 0, kp))
        buf = scratch(k, len(val.encode()) + 1, "param value")
        buf.data[:] = val.encode() + b"\0"
        return s32(call_module(k, fn, buf.base, kp))
    return kernel.run_task(comm, run)


def call_get(kernel: KernelServices, kp: int) -> tuple[int, str]:
    """param_attr_show(): kp->ops->get(page, kp) as `cat`; what it returns
    is the length of the page's text (negative: the read fails)."""
    def run(k: KCall) -> tuple[int, str]:
        page = scratch(k, PAGE_SIZE, "param page")
        n = s32(call_module(k, _op(k, kp, GET), page.base, kp))
        if n < 0:
            return n, ""
        return 0, bytes(page.data[:min(n, PAGE_SIZE)]).decode("utf-8", "replace")
    return kernel.run_task("cat", run)
