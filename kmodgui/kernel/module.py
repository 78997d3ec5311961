"""struct module and its memory layout (kernel/module/main.c: layout_and_allocate).

Each loaded module gets its sections mapped as the kernel does with
CONFIG_STRICT_MODULE_RWX: text (read-only), rodata (read-only), data and
bss, and -- freed once init succeeds -- the init sections.  Every symbol
slot of the .ko gets an address; relocations are applied to the data
images (apply_relocations).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kmodgui.kbuild.program import Function, KoObject, ParamSpec
from kmodgui.kernel.memory import MODULE, PAGE_SIZE, Region


@dataclass(frozen=True, eq=False)
class FuncRef:
    """A function pointer target inside a loaded module."""
    inst: "Module"
    fn: Function


INIT_SECTIONS = (".init.text", ".init.data", ".init.rodata")
SIZEOF_STRUCT_MODULE = {"pages": 1344, "bytes": 592}   # x86_64 6.1 / 2.6.30


@dataclass(eq=False)
class Module:
    name: str
    ko: KoObject
    state: str = "UNFORMED"
    refcnt: int = 0                     # module_refcount(): what sysfs refcnt shows
    uevent_sent: bool = False           # its kobject's KOBJ_ADD went out
    holders: list[str] = field(default_factory=list)   # source_list: who uses us
    uses: list[str] = field(default_factory=list)      # target_list: whom we use
    taints: str = ""                    # per-module taint letters
    gaddr: list[int] = field(default_factory=list)
    symtab: dict[str, object] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    has_init: bool = False
    has_exit: bool = False
    init_freed: bool = False
    this_module: int = 0
    params: dict[str, ParamSpec] = field(default_factory=dict)
    var_addr: dict[str, int] = field(default_factory=dict)
    func_addr: dict[str, int] = field(default_factory=dict)
    size_model: str = "pages"
    flag_order: str = "PFCOEKXTN"

    # -- what userspace sees ------------------------------------------------
    @property
    def permanent(self) -> bool:
        """init without exit: delete_module refuses (the [permanent] tag)."""
        return self.has_init and not self.has_exit

    @property
    def taint_letters(self) -> str:
        return "".join(c for c in self.flag_order if c in self.taints)

    @property
    def address(self) -> int:
        r = self.regions.get("text") or self.regions.get("data")
        return r.base if r else 0

    @property
    def core_size(self) -> int:
        return sum(v for k, v in self.sizes.items() if not k.startswith("init"))

    @property
    def init_size(self) -> int:
        return 0 if self.init_freed else sum(v for k, v in self.sizes.items()
                                             if k.startswith("init"))

    @property
    def size(self) -> int:
        """module_total_size() (6.1) / init_size + core_size (2.6.30)."""
        return self.core_size + self.init_size

    def flags_str(self) -> str:
        """module_flags(): '(OE)', '(OE+)' while COMING, '(OE-)' while GOING."""
        s = self.taint_letters
        if self.state == "GOING":
            s += "-"
        elif self.state == "COMING":
            s += "+"
        return f"({s})" if s else ""

    def function(self, name: str | None) -> Function | None:
        return self.ko.functions.get(name) if name else None

    def resolve_late(self, name: str):
        raise KeyError(f"{self.name}: unresolved symbol {name}")


def _pages(n: int) -> int:
    return (n + PAGE_SIZE - 1) // PAGE_SIZE * PAGE_SIZE


def layout(kernel, mod: Module, unload: bool) -> None:
    """Map the sections and give every slot of the .ko an address."""
    ko = mod.ko
    exit_sec = ".exit.text" if unload else ".init.text"   # no unload: .exit laid out as init
    buckets: dict[str, list[tuple[str, object, int, int]]] = {
        "text": [], "rodata": [], "data": [], "init_text": [], "init_data": []}

    def put(bucket: str, kind: str, obj: object, size: int, align: int) -> None:
        buckets[bucket].append((kind, obj, size, align))

    for fn in ko.functions.values():
        sec = exit_sec if fn.section == ".exit.text" else fn.section
        put("init_text" if sec == ".init.text" else "text", "func", fn, fn.code_size, 16)
    for g in ko.globals:
        sec = g.section
        if sec == ".exit.data" and not unload:
            sec = ".init.data"
        bucket = {".rodata": "rodata", ".init.data": "init_data",
                  ".init.rodata": "init_data", ".exit.data": "data"}.get(sec, "data")
        put(bucket, "var", g, max(g.ctype.size, 1), max(g.ctype.align, 1))
    for i, (kind, obj) in enumerate(ko.slots):
        if kind == "str":
            put("rodata", "str", obj, len(obj), 1)
    st = ko.structs.get("module")
    put("data", "this_module", None, max(st.size if st else 0,
                                        SIZEOF_STRUCT_MODULE[mod.size_model]), 64)
    addr_of: dict[tuple[str, int], int] = {}
    for bucket, items in buckets.items():
        _map_bucket(kernel, mod, bucket, items, addr_of)
    _resolve_slots(kernel, mod, addr_of)
    _apply_relocations(kernel, mod, addr_of)


def _map_bucket(kernel, mod: Module, bucket: str, items, addr_of) -> None:
    total = 0
    offsets = []
    for kind, obj, size, align in items:
        total = (total + align - 1) // align * align
        offsets.append(total)
        total += size
    if mod.size_model == "pages":
        accounted = _pages(total) if total else 0
        if bucket == "data":     # .data..ro_after_init lives in its own page
            accounted += PAGE_SIZE
    else:
        accounted = total
    mod.sizes[bucket] = accounted
    if not total:
        return
    reg = kernel.mem.map(total, MODULE, mod.name, label=f"{mod.name} {bucket}")
    reg.readonly = bucket in ("text", "rodata", "init_text")
    mod.regions[bucket] = reg
    for (kind, obj, size, align), off in zip(items, offsets):
        addr = reg.base + off
        if kind == "func":
            kernel.mem.functions[addr] = FuncRef(mod, obj)
            mod.func_addr[obj.name] = addr
        elif kind == "str":
            reg.data[off:off + size] = obj
        elif kind == "this_module":
            mod.this_module = addr
        addr_of[(kind, id(obj) if kind != "str" else obj)] = addr


def _resolve_slots(kernel, mod: Module, addr_of) -> None:
    """simplify_symbols(): every slot gets its address (imports included)."""
    ko = mod.ko
    gaddr = []
    for kind, obj in ko.slots:
        if kind in ("var", "func"):
            gaddr.append(addr_of[(kind, id(obj))])
        elif kind == "str":
            gaddr.append(addr_of[("str", obj)])
        else:
            gaddr.append(_symbol_address(kernel, mod, obj, addr_of))
    mod.gaddr = gaddr
    for g in ko.globals:
        mod.var_addr[g.name] = addr_of[("var", id(g))]


def _symbol_address(kernel, mod: Module, name: str, addr_of) -> int:
    ko = mod.ko
    if name in ko.functions:
        return addr_of[("func", id(ko.functions[name]))]
    for g in ko.globals:
        if g.name == name:
            return addr_of[("var", id(g))]
    if name == "__this_module":
        return mod.this_module
    target = mod.symtab.get(name)
    if isinstance(target, FuncRef):
        return _func_addr(kernel, target)
    if isinstance(target, int):
        return target
    return kernel.symbol_address(name)


def _func_addr(kernel, ref: FuncRef) -> int:
    return ref.inst.func_addr.get(ref.fn.name, 0)


def _apply_relocations(kernel, mod: Module, addr_of) -> None:
    mem = kernel.mem
    for g in mod.ko.globals:
        base = addr_of[("var", id(g))]
        reg = mem.region_at(base)
        off = base - reg.base
        if g.init:
            reg.data[off:off + len(g.init)] = g.init
        for roff, slot, addend in g.relocs:
            v = (mod.gaddr[slot] + addend) & 0xFFFFFFFFFFFFFFFF
            reg.data[off + roff:off + roff + 8] = v.to_bytes(8, "little")
    if mod.this_module:
        reg = mem.region_at(mod.this_module)
        o = mod.this_module - reg.base
        name = mod.name.encode()[:55]
        reg.data[o:o + len(name)] = name
