"""Compile translation units of one module into a KoObject's pieces.

One ModuleBuilder per module collects symbols across its .c files (the
linker's job in real kbuild: `startstop-objs := start.o stop.o`); one
TUCompiler per file resolves types and compiles file-scope declarations
and function bodies (what cc1 does for one .o).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pycparser import c_ast

from kmodgui.kbuild import ctype as ct
from kmodgui.kbuild.cexpr import LV, ExprCompiler
from kmodgui.kbuild.cinit import InitMixin
from kmodgui.kbuild.cstmt import StmtCompiler
from kmodgui.kbuild.ctype import (ArrayType, CType, FuncType, IntType, PointerType,
                                  StructType, base_type)
from kmodgui.kbuild.diagnostics import (CompileError, Diagnostic, error, in_function, note,
                                         unsupported, warning)
from kmodgui.kbuild.program import Function, GlobalVar, GotoEdge
from kmodgui.kbuild.specials import check_special
from kmodgui.kbuild.values import BadEscape, string_literal

#: declarations the headers' macros produce for the loader (see specials.py)
SPECIAL = ("__kmodsim_initcall", "__kmodsim_exitcall", "__kmodsim_modinfo_",
           "__kmodsim_ksymtab_", "__kmodsim_param_")


@dataclass
class ModuleBuilder:
    """Module-wide symbol tables (what the linker and modpost see)."""
    slots: list[tuple[str, object]] = field(default_factory=list)
    slot_of: dict[tuple[str, object], int] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    globals: list[GlobalVar] = field(default_factory=list)
    global_by_name: dict[str, GlobalVar] = field(default_factory=dict)
    fdecls: dict[str, FuncType] = field(default_factory=dict)
    externs: dict[str, CType] = field(default_factory=dict)
    referenced: set[str] = field(default_factory=set)
    specials: list[tuple[str, c_ast.Decl, "TUCompiler"]] = field(default_factory=list)
    units: dict[str, "TUCompiler"] = field(default_factory=dict)
    gotos: list[GotoEdge] = field(default_factory=list)
    structs: dict[str, CType] = field(default_factory=dict)

    def slot(self, kind: str, key: object) -> int:
        k = (kind, key if not isinstance(key, (GlobalVar, Function)) else id(key))
        i = self.slot_of.get(k)
        if i is None:
            i = self.slot_of[k] = len(self.slots)
            self.slots.append((kind, key))
        return i


@dataclass(frozen=True)
class KnownNodes:
    """What the AST walks find in declarations parsed once and shared by
    many units (the headers a module includes first): the names they
    refer to and, per function body, its last line and the names whose
    address it takes; their string literals are all valid."""
    names: frozenset[str]
    checked: frozenset[int]                  # id() of the declarations
    last_line: dict[int, int]                # id(body) -> line
    addr_taken: dict[int, frozenset[str]]    # id(body) -> names


def study(ext: tuple[c_ast.Node, ...]) -> KnownNodes | None:
    """KnownNodes of `ext` (kept alive by the caller), or None if one of
    its literals is invalid (then the unit is compiled as a whole)."""
    try:
        for node in ext:
            _check_literals(node)
    except CompileError:
        return None
    bodies = [n.body for n in ext if isinstance(n, c_ast.FuncDef)]
    return KnownNodes(frozenset().union(*map(_names, ext)), frozenset(map(id, ext)),
                      {id(b): _last_line(b) for b in bodies},
                      {id(b): frozenset(_address_taken(b)) for b in bodies})


_NOTHING_KNOWN = KnownNodes(frozenset(), frozenset(), {}, {})


class TUCompiler(ExprCompiler, StmtCompiler, InitMixin):
    def __init__(self, mod: ModuleBuilder, filename: str,
                 sections: dict[str, str], known: KnownNodes = _NOTHING_KNOWN) -> None:
        self.mod = mod
        self.known = known
        self.filename = filename
        self.sections = sections
        self.tu = self
        self.typedefs: dict[str, CType] = {}
        self.tags: dict[str, CType] = {}
        # untagged struct/union definitions, by their AST node (gcc calls
        # each one 'struct <anonymous>')
        self.anon_tags: dict[c_ast.Node, StructType] = {}
        self.enums: dict[str, int] = {}
        self.statics: dict[str, tuple[str, object]] = {}  # file-scope static names
        self.scopes: list[dict[str, object]] = []
        # locals of each open scope in declaration order, for -Wunused-variable
        self.scope_decls: list[list[tuple[str, LV, object]]] = []
        self.used: set[int] = set()           # id() of the locals read or written
        self.warnings: list[Diagnostic] = []
        self.fn: Function | None = None
        self.ret_spelled = False      # the current function's return type is keywords
        self.named_ids: set[str] = set()
        self.decl_coords: dict[str, object] = {}   # a function's first declarator
        mod.units[filename] = self

    # -- type resolution --------------------------------------------------
    def resolve_type(self, node) -> CType:
        if isinstance(node, c_ast.Typename):
            return self.resolve_type(node.type)
        if isinstance(node, c_ast.TypeDecl):
            return self.resolve_type(node.type)
        if isinstance(node, c_ast.PtrDecl):
            return PointerType(self.resolve_type(node.type))
        if isinstance(node, c_ast.ArrayDecl):
            elem = self.resolve_type(node.type)
            if node.dim is None:
                return ArrayType(elem, None)
            n = self.rv(node.dim).const
            if n is None:
                raise unsupported("variable-length array", node.coord)
            if n < 0:
                # c-decl.cc, grokdeclarator()
                name = _declname(node)
                raise error(f"size of array '{name}' is negative" if name else
                            "size of unnamed array is negative",
                            _declcoord(node) or node.coord)
            return ArrayType(elem, n)
        if isinstance(node, c_ast.FuncDecl):
            return self.func_type(node)
        if isinstance(node, c_ast.IdentifierType):
            t = base_type(node.names)
            if t is None and len(node.names) == 1:
                t = self.typedefs.get(node.names[0])
            if t is None:
                if any(w in ("float", "double") for w in node.names):
                    raise unsupported("floating point (kernel code may not use the FPU)",
                                      node.coord)
                raise error(f"unknown type name '{' '.join(node.names)}'", node.coord)
            return t
        if isinstance(node, (c_ast.Struct, c_ast.Union)):
            return self.struct_type(node)
        if isinstance(node, c_ast.Enum):
            self.enum_type(node)
            return ct.INT
        raise unsupported(f"type {type(node).__name__}", getattr(node, "coord", None))

    def func_type(self, node: c_ast.FuncDecl) -> FuncType:
        ret = self.resolve_type(node.type)
        params: list[CType] = []
        coords: list[object] = []
        variadic = False
        for p in (node.args.params if node.args else []):
            if isinstance(p, c_ast.EllipsisParam):
                variadic = True
                continue
            if isinstance(p, c_ast.ID):
                # int g(a);  an identifier list: the parameters are unknown,
                # as in int g();  (gcc's c-decl.cc, grokparms())
                self.warn(Diagnostic(node.coord.file, node.coord.line, 1, "warning",
                                     "parameter names (without types) in function "
                                     "declaration", anchor=r"\S"))
                return FuncType(ret, [], True)
            t = self.resolve_type(p.type)
            if isinstance(t, ct.VoidType):
                continue
            params.append(ct.decay(t))
            coords.append(p.coord)
        return FuncType(ret, params, variadic, param_coords=coords)

    def struct_type(self, node) -> StructType:
        union = isinstance(node, c_ast.Union)
        if node.name:
            key = ("union " if union else "struct ") + node.name
            st = self.tags.get(key)
            if st is None:
                st = self.tags[key] = StructType(node.name, union)
        else:
            st = self.anon_tags.get(node)
            if st is None:
                st = self.anon_tags[node] = StructType("<anonymous>", union)
        if node.decls is not None and not st.defined:
            members = []
            for d in node.decls:
                if d.bitsize is not None:
                    raise unsupported("bit-field", d.coord)
                t = self.resolve_type(d.type)
                if isinstance(t, StructType) and not t.complete:
                    raise error(f"field '{d.name}' has incomplete type", d.coord)
                members.append((d.name or f"__anon{len(members)}", t))
            st.layout(members)
            if node.name:
                self.mod.structs[node.name] = st
        return st

    def enum_type(self, node: c_ast.Enum) -> None:
        if node.values is None:
            return
        v = 0
        for en in node.values.enumerators:
            if en.value is not None:
                c = self.rv(en.value).const
                if c is None:
                    raise error("enumerator value is not an integer constant", en.coord)
                v = c
            self.enums[en.name] = v
            v += 1

    def declare_typedef(self, n: c_ast.Typedef) -> None:
        t = self.typedefs[n.name] = self.resolve_type(n.type)
        if isinstance(t, StructType) and t.tag == "<anonymous>" and t.typedef is None:
            t.typedef = n.name

    # -- symbols ---------------------------------------------------------
    def lookup_local(self, name: str):
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def push_scope(self) -> None:
        self.scopes.append({})
        self.scope_decls.append([])

    def pop_scope(self) -> None:
        """Close a block: gcc's -Wunused-variable (on in kbuild's -Wall) for
        each local never named again, the last declared first."""
        self.scopes.pop()
        for name, lv, coord in reversed(self.scope_decls.pop()):
            if id(lv) not in self.used and self.fn is not None:
                self.warnings.append(in_function(
                    warning(f"unused variable '{name}' [-Wunused-variable]", coord),
                    self.fn.name))

    def is_function_name(self, name: str) -> bool:
        if self.lookup_local(name) is not None:
            return False
        if name in self.statics:
            return self.statics[name][0] == "func"
        return name in self.mod.fdecls and name not in self.mod.global_by_name

    def function_type(self, name: str) -> FuncType | None:
        if name in self.statics and self.statics[name][0] == "func":
            return self.statics[name][1].ftype
        return self.mod.fdecls.get(name)

    def note_call(self, name: str) -> None:
        if self.fn is not None:
            self.fn.calls.add(name)
        if name not in self.mod.functions:
            self.mod.referenced.add(name)

    def string_slot(self, data: bytes) -> int:
        return self.mod.slot("str", data)

    def symbol_slot(self, name: str, want_address_of_array_or_func: bool = False):
        """Slot whose address is `name` (global object or function)."""
        entry = self.statics.get(name)
        if entry is not None:
            kind, obj = entry
            return self.mod.slot("var" if kind == "var" else "func", obj)
        g = self.mod.global_by_name.get(name)
        if g is not None:
            return self.mod.slot("var", g)
        if name in self.mod.fdecls or name in self.mod.externs:
            self.mod.referenced.add(name)
            return self.mod.slot("sym", name)
        return None

    def lv_id(self, n: c_ast.ID) -> LV:
        loc = self.lookup_local(n.name)
        if isinstance(loc, LV):
            self.used.add(id(loc))
            return loc
        name = n.name
        t = self.global_type(name)
        if t is None and name == "__func__" and self.fn is not None:
            return self.func_name_lv()
        if t is None:
            raise CompileError(
                error(f"'{name}' undeclared (first use in this function)", n.coord).diag,
                (note("each undeclared identifier is reported only once for each "
                      "function it appears in", n.coord),))
        slot = self.symbol_slot(name)
        return LV(t, addr=lambda fr: fr.g[slot])

    def func_name_lv(self) -> LV:
        """__func__ (C11 6.4.2.2): as if each function body began with
        `static const char __func__[] = "name";`."""
        data = self.fn.name.encode() + b"\0"
        slot = self.string_slot(data)
        return LV(ArrayType(ct.CHAR, len(data)), addr=lambda fr: fr.g[slot])

    def global_type(self, name: str) -> CType | None:
        if name in self.statics:
            kind, obj = self.statics[name]
            return obj.ftype if kind == "func" else obj.ctype
        g = self.mod.global_by_name.get(name)
        if g is not None:
            return g.ctype
        if name in self.mod.fdecls:
            return self.mod.fdecls[name]
        return self.mod.externs.get(name)

    # -- file scope -------------------------------------------------------
    def compile_file(self, ast: c_ast.FileAST) -> None:
        known = self.known
        self.named_ids = set(known.names).union(   # every name the file refers to
            *(_names(e) for e in ast.ext if id(e) not in known.checked))
        for ext in ast.ext:
            if isinstance(ext, c_ast.Decl) and id(ext) not in known.checked:
                _check_literals(ext)
            if isinstance(ext, c_ast.FuncDef):
                self.function(ext)
            elif isinstance(ext, c_ast.Decl):
                self.file_decl(ext)
            elif isinstance(ext, c_ast.Typedef):
                self.declare_typedef(ext)
            elif isinstance(ext, c_ast.Pragma):
                continue
            else:
                raise unsupported(type(ext).__name__, ext.coord)
        self.never_defined()
        errors: list[Diagnostic] = []
        for name, decl, tu in self.mod.specials:
            if tu is self and name in ("__kmodsim_initcall", "__kmodsim_exitcall"):
                errors += self.check_initcall(decl)
        before = len(self.warnings)
        self.unused_statics()
        if errors:
            # the unit's warnings so far, then the alias errors, then the
            # warnings gcc gives after them (cgraph's -Wunused-function)
            diags = [*self.warnings[:before], *errors, *self.warnings[before:]]
            raise CompileError(diags[0], tuple(diags[1:]))

    def warn(self, diag: Diagnostic) -> None:
        """A warning, once (a constant can be evaluated twice)."""
        if self.fn is not None:
            diag = in_function(diag, self.fn.name)
        if diag not in self.warnings:
            self.warnings.append(diag)

    def never_defined(self) -> None:
        """c-decl.cc, c_write_global_declarations_1(): a static function
        named, declared and never defined is 'used but never defined'."""
        for name, (kind, fn) in self.statics.items():
            if kind == "func" and fn.body is None and self._named(name, fn):
                self.warn(warning(f"'{name}' used but never defined", self.decl_coords.get(name)))

    def unused_statics(self) -> None:
        """cgraphunit.cc, check_global_declaration(), with kbuild's -Wall:
        -Wunused-function for a static function never called nor named (not
        inline), -Wunused-variable for a static variable never named (not
        const: kbuild turns -Wunused-const-variable off).  The module's own
        file only (the simulator's headers are not the kernel's)."""
        for name, (kind, obj) in self.statics.items():
            coord = self.decl_coords.get(name)
            if coord is None or coord.file != self.filename:
                continue
            if kind == "func" and obj.body is None and not self._named(name, obj):
                self.warn(warning(f"'{name}' declared 'static' but never defined "
                                  "[-Wunused-function]", coord))
            elif kind == "func" and obj.body is not None and not obj.inline \
                    and not self._named(name, obj):
                self.warn(warning(f"'{name}' defined but not used [-Wunused-function]", coord))
            elif kind == "var" and obj.section != ".rodata" and name not in self.named_ids:
                self.warn(warning(f"'{name}' defined but not used [-Wunused-variable]", coord))

    def _named(self, name: str, fn: Function) -> bool:
        if any(name in f.calls for f in self.mod.functions.values()):
            return True
        if any(kind == "func" and key is fn for kind, key in self.mod.slots):
            return True
        return any(name in _names(decl.init) for n, decl, tu in self.mod.specials
                   if tu is self and n in ("__kmodsim_initcall", "__kmodsim_exitcall"))

    def check_initcall(self, decl: c_ast.Decl) -> list[Diagnostic]:
        """module_init(fn)/module_exit(fn) make init_module/cleanup_module an
        alias of fn (include/linux/module.h, __copy(fn)): fn must name a
        function declared before and defined in this file, or gcc refuses
        the alias, naming the argument as written."""
        alias = "init_module" if decl.name == "__kmodsim_initcall" else "cleanup_module"
        macro = "module_init" if alias == "init_module" else "module_exit"
        at = decl.init.coord if decl.init is not None else decl.coord
        here = rf"\b{macro}\b"
        name = _initcall_target(decl)
        spelling = self._spelling(decl.name)
        if name is None:
            return self._not_a_function(decl.init, alias, spelling, here, at)
        entry = self.statics.get(name)
        if entry is None and name not in self.mod.functions and name not in self.mod.fdecls:
            if name in self.mod.global_by_name or name in self.mod.externs:
                return [_at(f"'{alias}' alias between function and variable is not "
                            "supported", at, here)]
            return [error(f"'{name}' undeclared here (not in a function)", at).diag]
        if entry is not None and entry[0] == "var":
            return [_at(f"'{alias}' alias between function and variable is not supported",
                        at, here)]
        fn = entry[1] if entry is not None else self.mod.functions.get(name)
        if fn is None or fn.body is None or fn.file != self.filename:
            # declared, not defined in this file (an alias is resolved by
            # the assembler, within one object)
            return [_at(f"'{alias}' aliased to external symbol '{name}'", at, here)]
        return []

    def _not_a_function(self, init, alias: str, spelling: str, here: str,
                        at) -> list[Diagnostic]:
        """__copy() of a string or a constant is refused before the alias."""
        out: list[Diagnostic] = []
        if isinstance(init, c_ast.Constant) and init.type == "string":
            out.append(_at("'copy' attribute argument cannot be a string", at, here))
        elif init is not None and self._is_constant(init):
            out.append(_at("'copy' attribute argument cannot be a constant arithmetic "
                           "expression", at, here))
        out.append(_at(f"'{alias}' aliased to undefined symbol '{spelling}'", at, here))
        return out

    def _is_constant(self, e) -> bool:
        """An integer constant expression (a null pointer constant is not)."""
        try:
            v = self.rv(e)
        except CompileError:
            return False
        return v.const is not None and isinstance(v.ctype, IntType)

    def _spelling(self, special: str) -> str:
        """The macro argument as written (the header stringizes it)."""
        for name, decl, tu in self.mod.specials:
            if tu is self and name == special + "_spelling" and \
                    isinstance(decl.init, c_ast.Constant):
                return string_literal(decl.init.value)[:-1].decode("utf-8", "replace")
        return "?"

    def file_decl(self, d: c_ast.Decl) -> None:
        if d.name is None:
            self.resolve_type(d.type)
            return
        if d.name.startswith(SPECIAL):
            check_special(d, self)
            self.mod.specials.append((d.name, d, self))
            return
        t = self.resolve_type(d.type)
        if isinstance(t, FuncType):
            self.declare_function(d.name, t, d)
            return
        if "extern" in d.storage and d.init is None:
            self.mod.externs[d.name] = t
            return
        self.define_global(d, t)

    def declare_function(self, name: str, t: FuncType, d) -> None:
        self.decl_coords.setdefault(name, d.coord)
        if "static" in d.storage:
            fn = self.statics.get(name)
            if fn is None:
                fn = Function(name, t, self.filename, d.coord.line, d.coord.line, static=True)
                self.statics[name] = ("func", fn)
            return
        self.mod.fdecls.setdefault(name, t)

    def define_global(self, d: c_ast.Decl, t: CType, local_static: bool = False) -> GlobalVar:
        if isinstance(t, ArrayType) and t.length is None and d.init is not None:
            t = self.complete_array(t, d.init)
        if not t.complete:
            raise error(f"storage size of '{d.name}' isn't known", d.coord)
        section = self.sections.get(d.name) or self.data_section(d, t)
        prev = None if local_static else self._earlier(d)
        if prev is not None:
            # a tentative definition and the definition are one object
            # (C11 6.9.2): code compiled in between already uses its address
            if prev.init and d.init is not None:
                raise error(f"redefinition of '{d.name}'", d.coord)
            if d.init is None:
                return prev
            prev.section = section
            g = prev
        else:
            g = GlobalVar(d.name, t, section, "static" in d.storage or local_static,
                          self.filename, d.coord.line)
        if not local_static and prev is None:
            self._register_global(d, g)
        if d.init is not None:
            # the name is in scope in its own initializer (C11 6.2.1p7), as
            # LIST_HEAD_INIT(name) and __WAIT_QUEUE_HEAD_INITIALIZER need
            g.init, g.relocs = self.static_image(t, d.init)
            if section == ".bss":
                g.section = ".data"
        return g

    def _earlier(self, d: c_ast.Decl) -> GlobalVar | None:
        """The variable an earlier file-scope declaration of this name made."""
        if "static" in d.storage:
            kind, obj = self.statics.get(d.name, (None, None))
            return obj if kind == "var" else None
        return self.mod.global_by_name.get(d.name)

    def _register_global(self, d: c_ast.Decl, g: GlobalVar) -> None:
        if g.static:
            self.statics[d.name] = ("var", g)
            self.decl_coords.setdefault(d.name, d.coord)
        else:
            old = self.mod.global_by_name.get(d.name)
            if old is not None and old.init and d.init is not None:
                raise error(f"redefinition of '{d.name}'", d.coord)
            if old is not None:
                self.mod.globals.remove(old)
            self.mod.global_by_name[d.name] = g
        self.mod.globals.append(g)

    @staticmethod
    def data_section(d: c_ast.Decl, t: CType) -> str:
        quals = list(d.quals)
        inner = d.type
        while isinstance(inner, c_ast.ArrayDecl):
            inner = inner.type
        if isinstance(inner, c_ast.TypeDecl):
            quals += inner.quals
        if "const" in quals:
            return ".rodata"
        return ".data" if d.init is not None else ".bss"

    # -- functions ------------------------------------------------------
    def function(self, fd: c_ast.FuncDef) -> None:
        d = fd.decl
        if not isinstance(d.type, c_ast.FuncDecl):
            # static int f { ... }: a declarator that is not a function,
            # then a body (gcc's c-parser.cc, c_parser_declaration_or_fndef())
            raise error("expected '=', ',', ';', 'asm' or '__attribute__' before '{' token",
                        fd.body.coord)
        params = d.type.args.params if d.type.args else []
        if fd.param_decls or any(isinstance(p, c_ast.ID) for p in params):
            raise unsupported("old-style (K&R) function definition", d.coord)
        ft = self.resolve_type(d.type)
        name = d.name
        section = self.sections.get(name, ".text")
        static = "static" in d.storage
        prev = self.statics.get(name) if static else None
        self.decl_coords.setdefault(name, d.coord)
        if prev is not None and prev[0] == "func" and prev[1].body is not None:
            raise error(f"redefinition of '{name}'", d.coord)
        if prev is not None and prev[0] == "func":
            fn = prev[1]          # fill in the forward declaration's Function
            fn.ftype, fn.file, fn.line = ft, self.filename, d.coord.line
            fn.end_line, fn.section = self._last_line(fd.body), section
        else:
            fn = Function(name, ft, self.filename, d.coord.line,
                          self._last_line(fd.body), section, static)
        fn.inline = static and "inline" in (d.funcspec or [])
        if fn.static:
            self.statics[name] = ("func", fn)
        else:
            if name in self.mod.functions:
                raise error(f"redefinition of '{name}'", d.coord)
            self.mod.fdecls[name] = ft
        self.mod.functions[name] = fn
        try:
            self.compile_body(fn, fd)
        except CompileError as e:
            raise CompileError(in_function(e.diag, name),
                               tuple(in_function(d, name) for d in e.notes)) from None

    def _last_line(self, body: c_ast.Compound) -> int:
        line = self.known.last_line.get(id(body))
        return _last_line(body) if line is None else line

    def compile_body(self, fn: Function, fd: c_ast.FuncDef) -> None:
        self.fn = fn
        self.frame_off = 0
        known = self.known.addr_taken.get(id(fd.body))
        self.addr_taken = _address_taken(fd.body) if known is None else known
        self.pending_gotos: list[tuple[str, int, object]] = []
        self.label_coords: dict[str, object] = {}
        if known is None:
            _check_literals(fd.body)
        # gcc names a typedef'd return type by its typedef: -Woverflow is
        # given only for a return type spelled with keywords
        self.ret_spelled = _keyword_spelled(fd.decl.type.type)
        self.push_scope()
        params = fd.decl.type.args.params if fd.decl.type.args else []
        for p, pt in zip([p for p in params if not isinstance(p, c_ast.EllipsisParam)
                          and p.name is not None], fn.ftype.params):
            lv = self.declare_local(p.name, pt, p.coord)
            self.used.add(id(lv))        # -Wunused-parameter is off in kbuild
            fn.param_slots.append((lv.reg >= 0, lv.reg if lv.reg >= 0 else lv.frame_off, pt))
        fn.body = self.stmt(fd.body)
        self.pop_scope()
        for name, line, coord in self.pending_gotos:
            if name not in fn.labels:
                raise error(f"label '{name}' used but not defined", coord)
            self.mod.gotos.append(GotoEdge(fn.name, fn.file, line, fn.labels[name], name))
        targets = {name for name, _, _ in self.pending_gotos}
        for name, coord in self.label_coords.items():
            if name not in targets:       # -Wunused-label, in kbuild's -Wall
                self.warn(warning(f"label '{name}' defined but not used [-Wunused-label]",
                                  coord))
        fn.frame_size = self.frame_off
        fn.code_size = 16 + 12 * fn.statements
        self.fn = None

    def declare_local(self, name: str, t: CType, coord) -> LV:
        scalar = isinstance(t, (IntType, PointerType))
        if scalar and name not in self.addr_taken:
            lv = LV(t, reg=self.fn.nregs)
            self.fn.nregs += 1
        else:
            a = max(t.align, 1)
            off = (self.frame_off + a - 1) // a * a
            self.frame_off = off + max(t.size, 1)
            lv = LV(t, addr=lambda fr, off=off: fr.base + off, frame_off=off)
        if name in self.scopes[-1] and len(self.scopes) > 1:
            raise error(f"redefinition of '{name}'", coord)
        self.scopes[-1][name] = lv
        self.scope_decls[-1].append((name, lv, coord))
        self.fn.locals.append((name, t, lv.reg, lv.frame_off if lv.frame_off is not None else -1,
                               coord.line if coord else self.fn.line))
        return lv

    def declare_static_local(self, d: c_ast.Decl) -> None:
        t = self.resolve_type(d.type)
        g = self.define_global(d, t, local_static=True)
        g.name = f"{self.fn.name}.{d.name}"
        self.mod.globals.append(g)
        slot = self.mod.slot("var", g)
        self.scopes[-1][d.name] = LV(g.ctype, addr=lambda fr: fr.g[slot])

    def declare_extern(self, d: c_ast.Decl) -> None:
        t = self.resolve_type(d.type)
        if isinstance(t, FuncType):
            self.mod.fdecls.setdefault(d.name, t)
        else:
            self.mod.externs[d.name] = t

    def define_label(self, name: str, line: int, coord=None) -> None:
        self.fn.labels[name] = line
        self.label_coords[name] = coord

    def note_goto(self, name: str, line: int, coord) -> None:
        self.pending_gotos.append((name, line, coord))


def _initcall_target(decl: c_ast.Decl) -> str | None:
    """The function module_init()/module_exit() name: an identifier, or one
    dereferenced (*fn designates fn too); anything else names no function."""
    target = decl.init
    while isinstance(target, c_ast.UnaryOp) and target.op == "*":
        target = target.expr
    return target.name if isinstance(target, c_ast.ID) else None


def _declname(node) -> str | None:
    while node is not None and not isinstance(node, c_ast.TypeDecl):
        node = getattr(node, "type", None)
    return node.declname if node is not None else None


def _declcoord(node):
    while node is not None and not isinstance(node, c_ast.TypeDecl):
        node = getattr(node, "type", None)
    return node.coord if node is not None else None


def _names(node) -> set[str]:
    """The identifiers an expression names."""
    found: set[str] = set()

    class V(c_ast.NodeVisitor):
        def visit_ID(self, n: c_ast.ID) -> None:
            found.add(n.name)
    if node is not None:
        V().visit(node)
    return found


def _at(msg: str, coord, anchor: str) -> Diagnostic:
    """An error gcc reports in the kernel header the macro expands to, with
    'in expansion of macro' at the invocation: shown at the invocation."""
    d = error(msg, coord).diag
    return Diagnostic(d.file, d.line, d.col or 1, d.severity, d.message, anchor=anchor)


_INT_WORDS = {"char", "short", "int", "long", "signed", "unsigned"}


def _keyword_spelled(node) -> bool:
    return isinstance(node, c_ast.TypeDecl) and isinstance(node.type, c_ast.IdentifierType) \
        and set(node.type.names) <= _INT_WORDS


def _check_literals(node) -> None:
    """cpp's escape errors, before anything reads a string literal."""
    class V(c_ast.NodeVisitor):
        def visit_Constant(self, n: c_ast.Constant) -> None:
            if n.type != "string" or ("\\x" not in n.value and n.value[:1] == '"'):
                return
            try:
                string_literal(n.value)
            except BadEscape as e:
                # gcc's caret stands just past the literal holding the escape
                d = error(str(e), n.coord).diag
                raise CompileError(Diagnostic(d.file, d.line, d.col or 1, "error", d.message,
                                              anchor=re.escape(e.rest) + '"()')) from None
            except ValueError:
                raise unsupported("wide string literal", n.coord) from None
    V().visit(node)


def _address_taken(body) -> set[str]:
    """Names whose address is taken (&x): they live in the stack frame."""
    names: set[str] = set()

    class V(c_ast.NodeVisitor):
        def visit_UnaryOp(self, n):
            if n.op == "&":
                e = n.expr
                while isinstance(e, (c_ast.StructRef, c_ast.ArrayRef)):
                    e = e.name
                if isinstance(e, c_ast.ID):
                    names.add(e.name)
            self.generic_visit(n)
    V().visit(body)
    return names


def _last_line(body) -> int:
    last = body.coord.line if body.coord else 0

    class V(c_ast.NodeVisitor):
        def generic_visit(self, n):
            nonlocal last
            if n.coord is not None and n.coord.line > last:
                last = n.coord.line
            super().generic_visit(n)
    V().visit(body)
    return last + 1
