"""Initializers: `{ .owner = THIS_MODULE, .open = my_open }`, arrays, strings.

flatten_init() turns any initializer into a list of scalar stores
(offset, type, expression); static_image() evaluates those at build time
for file-scope objects, as gcc does, producing the .data bytes plus
relocations for addresses (of functions, strings and other objects) that
the module loader patches in (apply_relocations in kernel/module/main.c).
"""
from __future__ import annotations

from pycparser import c_ast

from kmodgui.kbuild.ctype import ArrayType, CType, IntType, PointerType, StructType
from kmodgui.kbuild.diagnostics import error
from kmodgui.kbuild.program import GlobalVar
from kmodgui.kbuild.values import string_literal, wrap_const


#: The most of a file-scope object's initial image that the build holds:
#: the simulated machine's memory (kernel/memory.py).  The loader refuses a
#: module image larger than that (module_alloc() fails), so bytes past it
#: are never copied anywhere; the image is zero-padded to the object's size.
IMAGE_MAX = 512 << 20


class InitMixin:

    def complete_array(self, t: ArrayType, init) -> ArrayType:
        """`int a[] = {1, 2}` / `char s[] = "hi"`: the length comes from init."""
        if isinstance(init, c_ast.Constant) and init.type == "string":
            return ArrayType(t.elem, len(string_literal(init.value)))
        if isinstance(init, c_ast.InitList):
            n, i = 0, 0
            for e in init.exprs:
                if isinstance(e, c_ast.NamedInitializer):
                    d = e.name[0]
                    i = self.rv(d).const if not isinstance(d, c_ast.ID) else i
                i += 1
                n = max(n, i)
            return ArrayType(t.elem, n)
        raise error("invalid initializer", init.coord)

    def flatten_init(self, t: CType, init) -> list[tuple[int, CType, object]]:
        out: list[tuple[int, CType, object]] = []
        self._flatten(t, init, 0, out)
        return out

    def _flatten(self, t: CType, init, off: int, out: list) -> None:
        if isinstance(t, ArrayType) and isinstance(t.elem, IntType) and t.elem.size == 1 \
                and isinstance(init, c_ast.Constant) and init.type == "string":
            data = string_literal(init.value)
            n = t.length if t.length is not None else len(data)
            # the rest of the array is zero: the object's image (static) or
            # the fill that precedes the stores (automatic) already is
            out.append((off, t, data[:n]))
            return
        if isinstance(init, c_ast.CompoundLiteral) and isinstance(t, (ArrayType, StructType)) \
                and isinstance(init.init, c_ast.InitList) and self._literal_is(init, t):
            # `(spinlock_t) { ... }`: what __SPIN_LOCK_UNLOCKED() and
            # __MUTEX_INITIALIZER() expand to in the kernel's headers; gcc
            # accepts a compound literal of constants as a static initializer
            self._flatten_list(t, init.init, off, out)
            return
        if isinstance(init, c_ast.InitList) and isinstance(t, (ArrayType, StructType)):
            self._flatten_list(t, init, off, out)
            return
        if isinstance(init, c_ast.InitList):
            if init.exprs:
                self._flatten(t, init.exprs[0], off, out)
            return
        if isinstance(t, (ArrayType, StructType)):
            self._aggregate_from_expression(t, init)
        out.append((off, t, init))

    def _literal_is(self, init: c_ast.CompoundLiteral, t: CType) -> bool:
        """Whether a compound literal is of the object's own type (one of
        another struct type initialises nothing: "invalid initializer")."""
        lt = self.resolve_type(init.type)
        if isinstance(t, StructType) and lt is not t:
            raise error("invalid initializer", init.coord)
        return True

    def _aggregate_from_expression(self, t: CType, init) -> None:
        """A struct or array initialised from a plain expression: gcc's
        "invalid initializer" when the expression is not of that type; a
        struct of the same type is copied (at file scope it is not a
        constant: static_image refuses it)."""
        src = self.rv(init).ctype
        if not isinstance(src, StructType) or src is not t:
            raise error("invalid initializer", init.coord)

    def _flatten_list(self, t, init: c_ast.InitList, off: int, out: list) -> None:
        pos = 0
        members = t.fields if isinstance(t, StructType) else None
        for e in init.exprs:
            if isinstance(e, c_ast.NamedInitializer):
                sub_t, sub_off, pos = self._designate(t, e.name, e.coord)
                self._flatten(sub_t, e.expr, off + sub_off, out)
                pos += 1
                continue
            if members is not None:
                if pos >= len(members):
                    raise error("excess elements in struct initializer", e.coord)
                f = members[pos]
                self._flatten(f.ctype, e, off + f.offset, out)
            else:
                if t.length is not None and pos >= t.length:
                    raise error("excess elements in array initializer", e.coord)
                self._flatten(t.elem, e, off + pos * t.elem.size, out)
            pos += 1
            if isinstance(t, StructType) and t.union:
                break

    def _designate(self, t, names: list, coord) -> tuple[CType, int, int]:
        """Follow `.a.b[3]` designators; return (type, offset, position)."""
        off, pos, cur = 0, 0, t
        for d in names:
            if isinstance(d, c_ast.ID):
                if not isinstance(cur, StructType):
                    raise error("field name not in record or union initializer", coord)
                f = cur.field(d.name)
                if f is None:
                    raise error(f"'{cur}' has no member named '{d.name}'", coord)
                pos = [x.name for x in cur.fields].index(f.name) \
                    if f.name in [x.name for x in cur.fields] else 0
                off += f.offset
                cur = f.ctype
            else:
                idx = self.rv(d).const
                if idx is None or not isinstance(cur, ArrayType):
                    raise error("array index in initializer not of integer type", coord)
                pos = idx
                off += idx * cur.elem.size
                cur = cur.elem
        return cur, off, pos

    # -- build-time evaluation for file-scope objects ----------------------
    def static_image(self, t: CType, init) -> tuple[bytes, list[tuple[int, int, int]]]:
        """The initialised bytes (zeros past them are implied: .data is
        zero-padded to the object's size) and the relocations."""
        stores: list[tuple[int, bytes]] = []
        relocs: list[tuple[int, int, int]] = []
        for off, ftype, expr in self.flatten_init(t, init):
            if isinstance(expr, bytes):
                stores.append((off, expr))
                continue
            if isinstance(ftype, StructType):
                # a struct object's value is not a constant (C11 6.6)
                raise error("initializer element is not constant", expr.coord)
            value, slot = self.static_value(expr)
            if slot is not None:
                relocs.append((off, slot, value))
                continue
            v = wrap_const(ftype, value) & ((1 << (8 * ftype.size)) - 1)
            stores.append((off, v.to_bytes(ftype.size, "little")))
        extent = max((off + len(b) for off, b in stores if b.strip(b"\0")), default=0)
        img = bytearray(min(extent, IMAGE_MAX))
        for off, b in stores:
            if off < len(img):
                img[off:off + len(b)] = b[:len(img) - off]
        return bytes(img), relocs

    def static_value(self, e) -> tuple[int, int | None]:
        """(value, None) for a number; (addend, slot) for an address."""
        if isinstance(e, c_ast.Cast):
            return self.static_value(e.expr)
        if isinstance(e, c_ast.Constant) and e.type == "string":
            return 0, self.string_slot(string_literal(e.value))
        if isinstance(e, c_ast.ID):
            sym = self.symbol_slot(e.name, want_address_of_array_or_func=True)
            if sym is not None:
                return 0, sym
        if isinstance(e, c_ast.UnaryOp) and e.op == "&":
            return self.static_address(e.expr)
        if isinstance(e, c_ast.CompoundLiteral):
            return self.static_literal_value(e)
        if isinstance(e, c_ast.BinaryOp) and e.op in ("+", "-"):
            lv, ls = self.static_value(e.left)
            rv_, rs = self.static_value(e.right)
            if ls is not None and rs is None:
                size = self._pointee_size(e.left)
                return (lv + size * rv_ if e.op == "+" else lv - size * rv_), ls
        c = self.rv(e).const
        if c is None:
            raise error("initializer element is not constant", e.coord)
        return c, None

    def _pointee_size(self, e) -> int:
        t = self.rv(e).ctype
        return t.target.size if isinstance(t, PointerType) else 1

    def static_literal_value(self, e: c_ast.CompoundLiteral) -> tuple[int, int | None]:
        """A compound literal in a static initializer: an array one decays
        to the address of its static object; a scalar one is its value
        (gcc accepts both as constants)."""
        t = self.literal_type(e)
        if isinstance(t, ArrayType):
            return 0, self.static_literal(e, t)
        if isinstance(t, StructType):
            raise error("initializer element is not constant", e.coord)
        first = e.init.exprs[0] if e.init.exprs else None
        return self.static_value(first) if first is not None else (0, None)

    def static_literal(self, e: c_ast.CompoundLiteral, t: CType) -> int:
        """The static object of a compound literal outside a function
        (C11 6.5.2.5p5): gcc's __compound_literal.N in .data."""
        n = sum(1 for g in self.mod.globals if g.name.startswith("__compound_literal."))
        g = GlobalVar(f"__compound_literal.{n}", t, ".data", True, self.filename,
                      e.coord.line)
        g.init, g.relocs = self.static_image(t, e.init)
        self.mod.globals.append(g)
        return self.mod.slot("var", g)

    def static_address(self, e) -> tuple[int, int | None]:
        if isinstance(e, c_ast.CompoundLiteral):
            return 0, self.static_literal(e, self.literal_type(e))
        if isinstance(e, c_ast.ID):
            slot = self.symbol_slot(e.name, want_address_of_array_or_func=True)
            if slot is None:
                raise error(f"'{e.name}' undeclared", e.coord)
            return 0, slot
        if isinstance(e, c_ast.StructRef) and e.type == ".":
            base, slot = self.static_address(e.name)
            st = self.type_of(e.name)
            f = st.field(e.field.name) if isinstance(st, StructType) else None
            if f is None:
                raise error(f"no member named '{e.field.name}'", e.coord)
            return base + f.offset, slot
        if isinstance(e, c_ast.ArrayRef):
            base, slot = self.static_address(e.name)
            t = self.type_of(e.name)
            idx = self.rv(e.subscript).const
            if idx is None or not isinstance(t, ArrayType):
                raise error("initializer element is not constant", e.coord)
            return base + idx * t.elem.size, slot
        c = self.rv(c_ast.UnaryOp("&", e, e.coord)).const
        if c is None:
            raise error("initializer element is not constant", e.coord)
        return c, None
