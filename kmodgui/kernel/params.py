"""Module parameters: kernel/params.c (parse_args, param_set_*, param_get_*).

`insmod hellop.ko howmany=3 whom="Mom"` reaches the kernel as the string
'howmany=3 whom=Mom' (the shell ate the quotes); parse_args() splits it
with next_arg() (double quotes group a value), finds each name among the
module's __param entries and stores the converted value in the module's
variable.  Unknown names: 6.1 warns and ignores; 2.6.30 fails the load.
"""
from __future__ import annotations

import errno as E

from kmodgui.kbuild.program import ParamSpec
from kmodgui.kernel.kapi import modparams
from kmodgui.kernel.memory import SLAB
from kmodgui.kernel.module import Module
from kmodgui.kernel.services import KernelServices

_INT = {"byte": (1, False), "short": (2, True), "ushort": (2, False), "int": (4, True),
        "uint": (4, False), "long": (8, True), "ulong": (8, False), "hexint": (4, False)}


def next_args(args: str) -> list[tuple[str, str | None]]:
    """next_arg(): 'a=1 b="x y" c' -> [(a, 1), (b, x y), (c, None)]."""
    out, i, n = [], 0, len(args)
    while i < n:
        while i < n and args[i].isspace():
            i += 1
        if i >= n:
            break
        in_quote, j = False, i
        while j < n and (in_quote or not args[j].isspace()):
            if args[j] == '"':
                in_quote = not in_quote
            j += 1
        tok = args[i:j].replace('"', "")
        name, eq, val = tok.partition("=")
        out.append((name.replace("-", "_"), val if eq else None))
        i = j
    return out


def kstrtoll(s: str, base: int = 0) -> int:
    """kstrtoint(s, 0): optional sign, 0x hex, leading-0 octal, trailing \\n."""
    t = s[:-1] if s.endswith("\n") else s
    neg = t.startswith("-")
    if t[:1] in "+-":
        t = t[1:]
    if base == 0:
        if t.lower().startswith("0x"):
            base, t = 16, t[2:]
        elif len(t) > 1 and t.startswith("0"):
            base = 8
        else:
            base = 10
    if not t or not all(c in "0123456789abcdef"[:base] for c in t.lower()):
        raise ValueError(s)
    v = int(t, base)
    return -v if neg else v


def _set_scalar(k: KernelServices, mod: Module, ptype: str, addr: int, val: str | None) -> bool:
    mem = k.mem
    if ptype in ("bool", "invbool"):
        b = _kstrtobool(val)
        if b is None:
            return False
        mem.write_int(addr, 1 if ptype == "bool" else 4, int(b if ptype == "bool" else not b))
        return True
    if ptype == "charp":
        if val is None:
            return False
        data = val.encode() + b"\0"
        reg = mem.map(len(data), SLAB, "kernel", label=f"kmalloc-{max(8, len(data))}")
        reg.data[:] = data
        mem.write_int(addr, 8, reg.base)
        return True
    size, signed = _INT.get(ptype, (4, True))
    if val is None:
        return False
    try:
        v = kstrtoll(val, 16 if ptype == "hexint" else 0)
    except ValueError:
        return False
    lo, hi = (-(1 << (8 * size - 1)), (1 << (8 * size - 1)) - 1) if signed \
        else (0, (1 << (8 * size)) - 1)
    if not lo <= v <= hi:
        return False
    mem.write_int(addr, size, v)
    return True


def _kstrtobool(val: str | None) -> bool | None:
    if val is None or val == "":
        return True        # "foo" alone sets a bool
    c = val[:1].lower()
    if c in ("y", "1", "t"):
        return True
    if c in ("n", "0", "f"):
        return False
    if val.lower() in ("on",):
        return True
    if val.lower() in ("off",):
        return False
    return None


def parse_args(k: KernelServices, mod: Module, args: str) -> int:
    specs = {p.name: p for p in mod.ko.params}
    mod.params = dict(specs)
    for name, val in next_args(args):
        spec = specs.get(name)
        if spec is None:
            k.log_line(k.profile.msg("unknown_param", name=mod.name, param=name),
                       3 if k.profile.kernel["messages"]["unknown_param_fails"] else 4)
            if k.profile.kernel["messages"]["unknown_param_fails"]:
                return -E.ENOENT
            continue
        if not _set_param(k, mod, spec, val):
            k.log_line(k.profile.msg("bad_param", name=mod.name,
                                     value=val if val is not None else "", param=name), 3)
            return -E.EINVAL
    return 0


def _set_param(k: KernelServices, mod: Module, spec: ParamSpec, val: str | None,
               comm: str = "insmod") -> bool:
    addr = mod.var_addr[spec.var]
    if spec.type == "cb":        # module_param_cb(): the module's own set()
        return modparams.call_set(k, addr, val, comm) == 0
    if not spec.type.startswith("array:"):
        return _set_scalar(k, mod, spec.type, addr, val)
    etype = spec.type[6:]
    items = (val or "").split(",")
    if len(items) > spec.max:
        k.log_line(f"{mod.name}: can only take {spec.max} arguments", 3)
        return False
    esize = 8 if etype == "charp" else _INT.get(etype, (4, True))[0]
    if etype in ("bool",):
        esize = 1
    for i, item in enumerate(items):
        if not _set_scalar(k, mod, etype, addr + i * esize, item):
            return False
    if spec.nump:
        k.mem.write_int(mod.var_addr[spec.nump], 4, len(items))
    return True


def writable(mod: Module, name: str) -> int:
    """0 when /sys/module/M/parameters/P can be opened for writing."""
    spec = mod.params.get(name)
    if spec is None or spec.perm == 0:
        return -E.ENOENT
    return 0 if spec.perm & 0o222 else -E.EACCES


def store(k: KernelServices, mod: Module, name: str, val: str) -> int:
    """param_attr_store(): the parameter's set op gets the written text
    (kstrtoint and kstrtobool accept the trailing newline echo adds)."""
    err = writable(mod, name)
    if err:
        return err
    spec = mod.params[name]
    if spec.type == "cb":        # what set() returns is the write's result
        ret = modparams.call_set(k, mod.var_addr[spec.var], val, "sh")
        return ret if ret < 0 else 0
    # param_set_charp() keeps the newline: cat shows it back
    return 0 if _set_param(k, mod, spec, val) else -E.EINVAL


def show(k: KernelServices, mod: Module, name: str) -> str | None:
    """param_get_*(): what /sys/module/M/parameters/P reads back."""
    spec = mod.params.get(name)
    if spec is None or spec.perm == 0:
        return None
    addr = mod.var_addr[spec.var]
    if spec.type == "cb":
        err, text = modparams.call_get(k, addr)
        return text if err == 0 else None
    if not spec.type.startswith("array:"):
        return _get(k, spec.type, addr) + "\n"
    etype = spec.type[6:]
    n = k.mem.read_int(mod.var_addr[spec.nump], 4) if spec.nump else spec.max
    esize = 8 if etype == "charp" else (1 if etype == "bool" else _INT.get(etype, (4, True))[0])
    return ",".join(_get(k, etype, addr + i * esize) for i in range(n)) + "\n"


def _get(k: KernelServices, ptype: str, addr: int) -> str:
    mem = k.mem
    if ptype == "bool":
        return "Y" if mem.read_int(addr, 1) else "N"
    if ptype == "invbool":
        return "N" if mem.read_int(addr, 4) else "Y"
    if ptype == "charp":
        p = mem.read_int(addr, 8)
        return mem.read_cstring(p).decode("utf-8", "replace") if p else "(null)"
    size, signed = _INT.get(ptype, (4, True))
    v = mem.read_int(addr, size, signed)
    return f"0x{v:x}" if ptype == "hexint" else str(v)
