"""What a build produces: the .ko object and the pieces the kernel runs.

A KoObject stands for the real hi.ko: sections with their symbols, the
modinfo strings, the exported and undefined symbols, and -- instead of x86
machine code -- compiled closures that the simulated CPU calls one
statement at a time.  It holds no per-load state: the loader lays it out
anew (addresses, data images) on every insmod, so one object can be loaded
into many kernels.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from kmodgui.kbuild.ctype import CType, FuncType


@dataclass(eq=False)
class Function:
    name: str
    ftype: FuncType
    file: str
    line: int
    end_line: int
    section: str = ".text"          # .text | .init.text | .exit.text
    static: bool = False
    inline: bool = False            # `static inline`: gcc emits it only if used
    # filled by the compiler once the body is compiled:
    body: Callable | None = None     # body(frame) -> status
    param_slots: list[tuple[bool, int, CType]] = field(default_factory=list)
    nregs: int = 0
    frame_size: int = 0
    code_size: int = 16              # estimated bytes of x86 code
    calls: set[str] = field(default_factory=set)   # names called directly
    statements: int = 0
    labels: dict[str, int] = field(default_factory=dict)  # label -> line
    #: `return <constant>` statements: (line, value) -- the audit's static check
    const_returns: list[tuple[int, int]] = field(default_factory=list)
    #: locals for the debugger: (name, ctype, reg or -1, frame offset or -1, decl line)
    locals: list[tuple[str, CType, int, int, int]] = field(default_factory=list)


@dataclass(eq=False)
class GlobalVar:
    """A file-scope (or function-static) object in the module's data."""
    name: str
    ctype: CType
    section: str                   # .data .bss .rodata .init.data ...
    static: bool
    file: str
    line: int
    init: bytes = b""              # initial image (zero-padded to size)
    relocs: list[tuple[int, int, int]] = field(default_factory=list)
    #  (offset in image, slot of the symbol whose address goes there, addend)


@dataclass(frozen=True)
class GotoEdge:
    func: str
    file: str
    goto_line: int
    label_line: int
    label: str


@dataclass(frozen=True)
class ParamSpec:
    """module_param(): what the loader's parse_args() needs."""
    name: str
    type: str          # int, charp, bool, ..., or "array:int"
    perm: int
    var: str           # the variable symbol
    nump: str | None   # module_param_array's count variable, if any
    max: int           # array capacity
    desc: str = ""


@dataclass(eq=False)
class KoObject:
    name: str                          # KBUILD_MODNAME
    filename: str                      # hi.ko
    sources: list[str]
    functions: dict[str, Function]
    globals: list[GlobalVar]
    #: slot table: every symbol an instruction can take the address of:
    #: ("var", GlobalVar) | ("func", Function) | ("str", bytes) | ("ext", name)
    slots: list[tuple[str, object]]
    modinfo: list[tuple[str, str]]
    exports: dict[str, bool]           # name -> GPL-only?
    undefined: list[str]               # external symbols referenced
    params: list[ParamSpec]
    init: str | None                   # function name run as mod->init
    exit: str | None                   # function name run as mod->exit
    gotos: list[GotoEdge] = field(default_factory=list)
    structs: dict[str, CType] = field(default_factory=dict)
    vermagic: str = ""
    srcversion: str = ""
    has_versions: bool = True          # __versions CRCs present (MODVERSIONS)
    source_text: dict[str, str] = field(default_factory=dict)
    units: dict[str, object] = field(default_factory=dict)   # file -> TUCompiler (debugger)

    def info(self, key: str) -> list[str]:
        return [v for k, v in self.modinfo if k == key]

    @property
    def license(self) -> str | None:
        vals = self.info("license")
        return vals[-1] if vals else None
