"""Expressions: pycparser nodes -> closures `fn(frame) -> int`.

The frame (kernel/cpu.py Frame) gives the compiled code its world:
  fr.m    the Memory            fr.r    register slots (scalar locals)
  fr.base the stack frame       fr.g    addresses of the module's symbols
  fr.cpu  the CPU (calls, faults)
Lvalues are either a register slot or a memory address closure.
"""
from __future__ import annotations

from dataclasses import dataclass

from pycparser import c_ast

from kmodgui.kbuild import ctype as ct
from kmodgui.kbuild.ctype import (ArrayType, CType, FuncType, IntType, PointerType,
                                  StructType, VoidType, decay, promote, arith_result,
                                  type_name)
from kmodgui.kbuild.arith import ARITH, CMP, divide, fast_addsub, fast_cmp, fits
from kmodgui.kbuild.diagnostics import (CompileError, Diagnostic, error, note, unsupported,
                                         warning)
from kmodgui.kbuild.values import (E, char_literal, const, int_literal_checked, load_fn,
                                   store_fn, string_literal, wrap_fn)


@dataclass
class LV:
    """An lvalue: a register slot (reg >= 0) or a memory address closure."""
    ctype: CType
    reg: int = -1
    addr: object = None           # Fn computing the address
    const_addr: int | None = None  # for offsetof-style constant folding
    frame_off: int | None = None   # stack locals: offset in the frame

    def load(self) -> E:
        if self.reg >= 0:
            i = self.reg
            return E(lambda fr: fr.r[i], self.ctype)
        return E(load_fn(self.addr, self.ctype), decay(self.ctype))

    def store(self):
        if self.reg >= 0:
            i = self.reg
            w = wrap_fn(self.ctype)

            def st(fr, v):
                fr.r[i] = w(v)
            return st
        return store_fn(self.addr, self.ctype)


class ExprCompiler:
    """Mixin: the statement compiler provides lookup(), tu, slots."""

    # -- entry points -----------------------------------------------------
    def rv(self, node: c_ast.Node) -> E:
        """Compile an rvalue (arrays and functions decay to pointers)."""
        meth = getattr(self, "ex_" + type(node).__name__, None)
        if meth is None:
            raise unsupported(f"expression {type(node).__name__}", node.coord)
        return meth(node)

    def lv(self, node: c_ast.Node) -> LV:
        if isinstance(node, c_ast.ID):
            return self.lv_id(node)
        if isinstance(node, c_ast.UnaryOp) and node.op == "*":
            p = self.rv(node.expr)
            if not isinstance(p.ctype, PointerType):
                raise error("invalid type argument of unary '*'", node.coord)
            return LV(p.ctype.target, addr=p.fn, const_addr=p.const)
        if isinstance(node, c_ast.ArrayRef):
            return self.lv_index(node)
        if isinstance(node, c_ast.StructRef):
            return self.lv_member(node)
        if isinstance(node, c_ast.Constant) and node.type == "string":
            e = self.ex_Constant(node)
            return LV(ArrayType(ct.CHAR, len(string_literal(node.value))), addr=e.fn)
        if isinstance(node, c_ast.Cast):
            return self.lv(node.expr)
        if isinstance(node, c_ast.CompoundLiteral):
            return self.lv_compound(node)
        raise error("lvalue required", node.coord)

    # -- leaves -----------------------------------------------------------
    def ex_Constant(self, n: c_ast.Constant) -> E:
        if n.type == "string":
            slot = self.string_slot(string_literal(n.value))
            return E(lambda fr: fr.g[slot], ct.CHAR_PTR)
        if n.type == "char":
            return const(char_literal(n.value), ct.INT)
        if n.type in ("float", "double", "long double"):
            raise unsupported("floating point (kernel code may not use the FPU)", n.coord)
        v, t, too_large = int_literal_checked(n.value)
        if too_large:
            # libcpp/expr.cc, cpp_interpret_integer(): a pedwarn, the value
            # wrapped to 64 bits, typed by what it became
            self.warn(warning("integer constant is too large for its type", n.coord))
        return const(v, t)

    def ex_ID(self, n: c_ast.ID) -> E:
        enum = self.tu.enums.get(n.name)
        if enum is not None and self.lookup_local(n.name) is None:
            return const(enum, ct.INT)
        return self.lv_id(n).load()

    # -- operators --------------------------------------------------------
    def ex_UnaryOp(self, n: c_ast.UnaryOp) -> E:
        op = n.op
        if op == "sizeof":
            return const(self.sizeof_node(n.expr), ct.ULONG)
        if op == "&":
            if isinstance(n.expr, c_ast.ID) and self.is_function_name(n.expr.name):
                return self.ex_ID(n.expr)
            lv = self.lv(n.expr)
            if lv.reg >= 0:
                raise error("internal: address of register variable", n.coord)
            t = PointerType(lv.ctype)
            if lv.const_addr is not None:
                return const(lv.const_addr, t)
            return E(lv.addr, t)
        if op in ("++", "--", "p++", "p--"):
            return self.incdec(n)
        if op == "*":
            lv = self.lv(n)
            if isinstance(lv.ctype, FuncType):
                return E(lv.addr, PointerType(lv.ctype))
            return lv.load()
        a = self.rv(n.expr)
        if op == "!":
            f = a.fn
            r = E(lambda fr: 0 if f(fr) else 1, ct.INT)
            return self.fold(r, a)
        t = promote(a.ctype)
        w = wrap_fn(t)
        f = a.fn
        if op == "-":
            r = E(lambda fr: w(-f(fr)), t)
        elif op == "+":
            r = E(f, t)
        elif op == "~":
            r = E(lambda fr: w(~f(fr)), t)
        else:
            raise unsupported(f"unary operator {op}", n.coord)
        return self.fold(r, a)

    def fold(self, r: E, *parts: E) -> E:
        """Constant-fold when every operand is a compile-time constant."""
        if all(p.const is not None for p in parts):
            v = r.fn(None)
            return E(lambda fr: v, r.ctype, v)
        return r

    def ex_BinaryOp(self, n: c_ast.BinaryOp) -> E:
        op = n.op
        if op in ("&&", "||"):
            a, b = self.rv(n.left), self.rv(n.right)
            fa, fb = a.fn, b.fn
            if op == "&&":
                r = E(lambda fr: 1 if fa(fr) and fb(fr) else 0, ct.INT)
            else:
                r = E(lambda fr: 1 if fa(fr) or fb(fr) else 0, ct.INT)
            return self.fold(r, a, b)
        a, b = self.rv(n.left), self.rv(n.right)
        return self.binop(op, a, b, n)

    def binop(self, op: str, a: E, b: E, n) -> E:
        ta, tb = a.ctype, b.ctype
        pa, pb = isinstance(ta, PointerType), isinstance(tb, PointerType)
        fa, fb = a.fn, b.fn
        if op in CMP:
            cmp = CMP[op]
            if not pa and not pb:
                t = arith_result(ta, tb)
                if isinstance(t, IntType) and not t.signed:
                    wa, wb = wrap_fn(t), wrap_fn(t)
                    r = E(lambda fr: 1 if cmp(wa(fa(fr)), wb(fb(fr))) else 0, ct.INT)
                    return self.fold(r, a, b)
            mask = 0xFFFFFFFFFFFFFFFF if (pa or pb) else -1
            if mask == -1:
                r = E(fast_cmp(op, fa, fb, b.const), ct.INT)
            else:
                r = E(lambda fr: 1 if cmp(fa(fr) & mask, fb(fr) & mask) else 0, ct.INT)
            return self.fold(r, a, b)
        if op in ("+", "-") and (pa or pb):
            return self.ptr_arith(op, a, b, n)
        if op in ("<<", ">>"):
            t = promote(ta)
            w = wrap_fn(t)
            bits = 8 * t.size - 1
            if op == "<<":
                r = E(lambda fr: w(fa(fr) << (fb(fr) & bits)), t)
            elif isinstance(t, IntType) and not t.signed:
                r = E(lambda fr: fa(fr) >> (fb(fr) & bits), t)
            else:
                r = E(lambda fr: fa(fr) >> (fb(fr) & bits), t)
            return self.fold(r, a, b)
        t = arith_result(ta, tb)
        w = wrap_fn(t)
        if op in ("+", "-") and isinstance(t, IntType) and not t.is_bool:
            r = fast_addsub(op, fa, fb, t)
            return self.fold(r, a, b)
        if op in ARITH:
            f = ARITH[op]
            if isinstance(t, IntType) and not t.signed:
                wa = wrap_fn(t)
                r = E(lambda fr: w(f(wa(fa(fr)), wa(fb(fr)))), t)
            else:
                r = E(lambda fr: w(f(fa(fr), fb(fr))), t)
            return self.fold(r, a, b)
        if op in ("/", "%"):
            div = divide(op, fa, fb, t, w)
            if b.const == 0:
                # gcc only warns (-Wdiv-by-zero) and emits the division: the
                # CPU's #DE then oopses at run time (exc_divide_error)
                return E(div, t)
            return self.fold(E(div, t), a, b)
        raise unsupported(f"binary operator {op}", n.coord)

    def ptr_arith(self, op: str, a: E, b: E, n) -> E:
        ta, tb = a.ctype, b.ctype
        fa, fb = a.fn, b.fn
        if isinstance(ta, PointerType) and isinstance(tb, PointerType):
            if op == "+":
                raise error("invalid operands to binary +", n.coord)
            size = max(ta.target.size, 1)
            r = E(lambda fr: ct.LONG.wrap(fa(fr) - fb(fr)) // size, ct.LONG)
            return self.fold(r, a, b)
        if isinstance(tb, PointerType):
            a, b, fa, fb, ta, tb = b, a, fb, fa, tb, ta
        size = max(ta.target.size, 1) if not isinstance(ta.target, FuncType) else 1
        sign = 1 if op == "+" else -1
        m = 0xFFFFFFFFFFFFFFFF
        r = E(lambda fr: (fa(fr) + sign * size * fb(fr)) & m, ta)
        return self.fold(r, a, b)

    def ex_Assignment(self, n: c_ast.Assignment) -> E:
        lv = self.lv(n.lvalue)
        if isinstance(lv.ctype, StructType):
            return self.struct_assign(lv, n)
        st = lv.store()
        if n.op == "=":
            val = self.convert(self.rv(n.rvalue), lv.ctype, n)
            f = val.fn
            if lv.reg >= 0:
                i = lv.reg

                def assign_reg(fr):
                    v = fr.r[i] = f(fr)
                    return v
                return E(assign_reg, lv.ctype)

            def assign(fr):
                v = f(fr)
                st(fr, v)
                return v
            return E(assign, lv.ctype)
        cur = lv.load()
        res = self.binop(n.op[:-1], cur, self.rv(n.rvalue), n)
        rf = res.fn
        w = wrap_fn(lv.ctype)

        def compound(fr):
            v = w(rf(fr))
            st(fr, v)
            return v
        return E(compound, lv.ctype)

    def struct_assign(self, lv: LV, n) -> E:
        """`a = b` of structs copies the bytes; both sides must be of one
        struct type (c-typeck.cc, convert_for_assignment())."""
        if n.op != "=":
            raise error(f"invalid operands to binary {n.op[:-1]} (have "
                        f"'{type_name(lv.ctype)}' and '{type_name(self.rv(n.rvalue).ctype)}')",
                        n.coord)
        src = self.rv(n.rvalue)
        if src.ctype is not lv.ctype:
            raise error(f"incompatible types when assigning to type '{type_name(lv.ctype)}' "
                        f"from type '{type_name(src.ctype)}'", n.rvalue.coord)
        size, dst, sa = lv.ctype.size, lv.addr, src.fn

        def copy(fr):
            s = sa(fr)
            d = dst(fr)
            fr.m.write_bytes(d, fr.m.read_bytes(s, size))
            return d
        return E(copy, lv.ctype)

    def incdec(self, n: c_ast.UnaryOp) -> E:
        lv = self.lv(n.expr)
        t = lv.ctype
        step = t.target.size if isinstance(t, PointerType) else 1
        if n.op in ("--", "p--"):
            step = -step
        w = wrap_fn(t)
        if lv.reg >= 0:
            i = lv.reg
            if n.op.startswith("p"):
                def post(fr):
                    v = fr.r[i]
                    fr.r[i] = w(v + step)
                    return v
                return E(post, t)

            def pre(fr):
                v = fr.r[i] = w(fr.r[i] + step)
                return v
            return E(pre, t)
        ld, st = lv.load().fn, lv.store()
        postfix = n.op.startswith("p")

        def mem_incdec(fr):
            old = ld(fr)
            new = w(old + step)
            st(fr, new)
            return old if postfix else new
        return E(mem_incdec, t)

    def ex_TernaryOp(self, n: c_ast.TernaryOp) -> E:
        c, a, b = self.rv(n.cond), self.rv(n.iftrue), self.rv(n.iffalse)
        t = a.ctype
        if isinstance(a.ctype, IntType) and isinstance(b.ctype, IntType):
            t = arith_result(a.ctype, b.ctype)
        elif isinstance(b.ctype, PointerType) and not isinstance(a.ctype, PointerType):
            t = b.ctype
        fc, fa, fb = c.fn, a.fn, b.fn
        w = wrap_fn(t)
        r = E(lambda fr: w(fa(fr)) if fc(fr) else w(fb(fr)), t)
        return self.fold(r, c, a, b)

    def ex_ExprList(self, n: c_ast.ExprList) -> E:
        parts = [self.rv(e) for e in n.exprs]
        fns = [p.fn for p in parts]

        def comma(fr):
            v = 0
            for f in fns:
                v = f(fr)
            return v
        return E(comma, parts[-1].ctype)

    def ex_Compound(self, n: c_ast.Compound) -> E:
        """A GNU statement expression ({ ...; expr; }): the statements run in
        a scope of their own; the last expression statement is the value
        (void when the last item is not an expression)."""
        items = list(n.block_items or [])
        last = items[-1] if items and hasattr(self, "ex_" + type(items[-1]).__name__) \
            else None
        self.push_scope()
        try:
            body = [self.stmt(item) for item in (items[:-1] if last is not None else items)]
            value = self.rv(last) if last is not None else None
        finally:
            self.pop_scope()
        block = self.block(body, {})
        get = value.fn if value is not None else (lambda fr: 0)

        def run(fr):
            block(fr)
            return get(fr)
        return E(run, value.ctype if value is not None else ct.VOID)

    def ex_CompoundLiteral(self, n: c_ast.CompoundLiteral) -> E:
        return self.lv_compound(n).load()

    def lv_compound(self, n: c_ast.CompoundLiteral) -> LV:
        """`(T){ ... }` (C11 6.5.2.5): an unnamed object of type T, an
        lvalue.  In a function it has automatic storage in the frame and
        its initialiser runs each time the expression is evaluated; outside
        one it is a static object (gcc's __compound_literal.N)."""
        t = self.literal_type(n)
        off = self.frame_temp(t, n)
        size = max(t.size, 1)
        if isinstance(t, (ArrayType, StructType)):
            stores = self.aggregate_stores(None, t, n.init)
        else:
            first = n.init.exprs[0] if isinstance(n.init, c_ast.InitList) and n.init.exprs \
                else None
            st = store_fn(lambda fr: fr.base + off, t)
            val = self.convert(self.rv(first), t, first).fn if first is not None else None
            stores = [lambda fr, a: st(fr, val(fr))] if val is not None else []

        def literal(fr):
            a = fr.base + off
            fr.m.fill(a, 0, size)
            for s in stores:
                s(fr, a)
            return a
        return LV(t, addr=literal)

    def literal_type(self, n: c_ast.CompoundLiteral) -> CType:
        t = self.resolve_type(n.type)
        if isinstance(t, ArrayType) and t.length is None:
            t = self.complete_array(t, n.init)
        if not t.complete:
            # c-decl.cc, build_compound_literal(): at the brace
            raise error(f"invalid use of undefined type '{t}'", n.init.coord)
        return t

    def frame_temp(self, t: CType, where) -> int:
        """A slot of the current frame for an unnamed object (a compound
        literal, a struct returned by value).  Outside a function there is
        no frame: what needs one is not a constant (C11 6.6)."""
        if getattr(self, "fn", None) is None or not hasattr(self, "frame_off"):
            raise error("initializer element is not constant", where.coord)
        a = max(t.align, 1)
        off = (self.frame_off + a - 1) // a * a
        self.frame_off = off + max(t.size, 1)
        return off

    @staticmethod
    def struct_value(e: E) -> E:
        """A struct passed or returned by value: its bytes as one integer,
        as x86_64 passes a small struct in registers (larger ones are
        copied; the simulated callee gets the same bytes either way)."""
        t = e.ctype
        f, size = e.fn, t.size
        return E(lambda fr: int.from_bytes(fr.m.read_bytes(f(fr), size), "little"), t)

    def struct_result(self, call: E, where) -> E:
        """A call returning a struct: the caller keeps the value in a slot
        of its own frame (the hidden return buffer), so it is an object
        with an address, as `f().member` and `s = f()` need."""
        t = call.ctype
        off, size, f = self.frame_temp(t, where), t.size, call.fn

        def keep(fr):
            a = fr.base + off
            fr.m.write_int(a, size, f(fr))
            return a
        return E(keep, t)

    def ex_Cast(self, n: c_ast.Cast) -> E:
        t = self.resolve_type(n.to_type.type)
        a = self.rv(n.expr)
        if isinstance(t, VoidType):
            f = a.fn
            return E(lambda fr: (f(fr), 0)[1], t)
        return self.convert(a, t, n, explicit=True)

    def convert(self, a: E, t: CType, n, explicit: bool = False) -> E:
        """Implicit or explicit conversion to t (assignment, argument, cast)."""
        if isinstance(t, (ArrayType, StructType, FuncType)) or isinstance(t, VoidType):
            return a
        if isinstance(a.ctype, StructType):
            raise unsupported("struct value where a scalar is needed", n.coord)
        if isinstance(a.ctype, VoidType):
            # gcc's c-typeck.cc: a void expression has no value to convert
            raise error("void value not ignored as it ought to be", n.coord)
        w = wrap_fn(t)
        f = a.fn
        if a.const is not None:
            v = w(a.const)
            return E(lambda fr: v, t, v)
        if fits(a.ctype, t):
            return E(f, t)
        return E(lambda fr: w(f(fr)), t)

    def warn_overflow(self, a: E, t: CType, where) -> None:
        """-Woverflow (on by default) for a constant converted implicitly to a
        type it does not fit, as warnings_for_convert_and_check() in gcc's
        c-family/c-warn.cc: unless it fits the type of the other signedness
        (that would be -Wconversion, off in kbuild)."""
        if a.const is None or not isinstance(t, IntType) or t.is_bool \
                or not isinstance(a.ctype, IntType):
            return
        v, bits = a.const, 8 * t.size
        signed_range = range(-(1 << (bits - 1)), 1 << (bits - 1))
        unsigned_range = range(0, 1 << bits)
        own, other = (signed_range, unsigned_range) if t.signed else \
            (unsigned_range, signed_range)
        if v in own or v in other:
            return
        kind = "overflow in" if t.signed else "unsigned"
        self.warn(warning(f"{kind} conversion from '{ct.gcc_name(a.ctype)}' to "
                          f"'{ct.gcc_name(t)}' changes value from '{v}' to '{t.wrap(v)}' "
                          "[-Woverflow]", where.coord))

    def ex_ArrayRef(self, n: c_ast.ArrayRef) -> E:
        return self.lv_index(n).load()

    def ex_StructRef(self, n: c_ast.StructRef) -> E:
        return self.lv_member(n).load()

    def lv_index(self, n: c_ast.ArrayRef) -> LV:
        base, idx = self.rv(n.name), self.rv(n.subscript)
        if not isinstance(base.ctype, PointerType):
            base, idx = idx, base
        if not isinstance(base.ctype, PointerType):
            raise error("subscripted value is neither array nor pointer", n.coord)
        elem = base.ctype.target
        size = elem.size
        fb, fi = base.fn, idx.fn
        m = 0xFFFFFFFFFFFFFFFF
        return LV(elem, addr=lambda fr: (fb(fr) + size * fi(fr)) & m)

    def lv_member(self, n: c_ast.StructRef) -> LV:
        if n.type == "->":
            p = self.rv(n.name)
            if not isinstance(p.ctype, PointerType) or not isinstance(p.ctype.target, StructType):
                raise error(f"invalid type argument of '->' (have '{p.ctype}')", n.coord)
            st, base, const_base = p.ctype.target, p.fn, p.const
        elif isinstance(n.name, (c_ast.FuncCall, c_ast.TernaryOp, c_ast.ExprList,
                                 c_ast.Compound)):
            # a member of a struct value (f().x): read from where the value is kept
            v = self.rv(n.name)
            if not isinstance(v.ctype, StructType):
                raise error(f"request for member '{n.field.name}' in something not a structure",
                            n.coord)
            st, base, const_base = v.ctype, v.fn, None
        else:
            lv = self.lv(n.name)
            if not isinstance(lv.ctype, StructType):
                raise error(f"request for member '{n.field.name}' in something not a structure", n.coord)
            if lv.reg >= 0:
                raise error("internal: struct in register", n.coord)
            st, base, const_base = lv.ctype, lv.addr, lv.const_addr
        if not st.complete:
            raise error(f"dereferencing pointer to incomplete type '{st}'", n.coord)
        f = st.field(n.field.name)
        if f is None:
            raise error(f"'{st}' has no member named '{n.field.name}'", n.field.coord)
        off = f.offset
        ca = None if const_base is None else const_base + off
        return LV(f.ctype, addr=(lambda fr: base(fr) + off) if off else base, const_addr=ca)

    # -- calls --------------------------------------------------------------
    def ex_FuncCall(self, n: c_ast.FuncCall) -> E:
        args = list(n.args.exprs) if n.args else []
        if isinstance(n.name, c_ast.ID) and self.lookup_local(n.name.name) is None \
                and self.is_function_name(n.name.name):
            return self.direct_call(n.name.name, args, n)
        if isinstance(n.name, c_ast.ID) and self.lookup_local(n.name.name) is None \
                and self.global_type(n.name.name) is None:
            raise error(f"implicit declaration of function '{n.name.name}' "
                        "[-Werror=implicit-function-declaration]", n.coord)
        callee = self.rv(n.name)
        ft = callee.ctype.target if isinstance(callee.ctype, PointerType) else None
        if not isinstance(ft, FuncType):
            raise error("called object is not a function or function pointer", n.coord)
        argfns = self.call_args(ft, args, n)
        cf, line = callee.fn, n.coord.line
        w = wrap_fn(ft.ret)
        return self.call_result(
            E(lambda fr: w(fr.cpu.call_ptr(fr, cf(fr), [a(fr) for a in argfns], line)),
              ft.ret), n)

    def call_result(self, call: E, where) -> E:
        return self.struct_result(call, where) if isinstance(call.ctype, StructType) else call

    def direct_call(self, name: str, args: list, n) -> E:
        ft = self.function_type(name)
        if ft is None:
            raise error(f"implicit declaration of function '{name}'", n.coord)
        argfns = self.call_args(ft, args, n, name)
        self.note_call(name)
        line = n.coord.line
        w = wrap_fn(ft.ret)
        return self.call_result(
            E(lambda fr: w(fr.cpu.call_named(fr, name, [a(fr) for a in argfns], line)),
              ft.ret), n)

    def call_args(self, ft: FuncType, args: list, n, name: str | None = None) -> list:
        nparams = len(ft.params)
        if len(args) < nparams or (len(args) > nparams and not ft.variadic):
            raise self.wrong_arg_count(len(args) < nparams, name, n)
        out = []
        for i, a in enumerate(args):
            e = self.rv(a)
            t = ft.params[i] if i < nparams else promote(e.ctype)
            if isinstance(e.ctype, StructType) or isinstance(t, StructType):
                out.append(self.struct_arg(e, t, i, ft, name, a).fn)
                continue
            out.append(self.convert(e, t, a).fn)
        return out

    def struct_arg(self, e: E, t: CType, i: int, ft: FuncType, name: str | None, a) -> E:
        """A struct argument, or an argument for a struct parameter: gcc's
        convert_arguments() refuses another type with a note naming the
        parameter's declaration."""
        if isinstance(t, StructType) and e.ctype is t:
            return self.struct_value(e)
        fname = f" of '{name}'" if name else ""
        where = ft.param_coords[i] if i < len(ft.param_coords) else None
        notes = (note(f"expected '{type_name(t)}' but argument is of type "
                      f"'{type_name(e.ctype)}'", where),) if where is not None else ()
        d = error(f"incompatible type for argument {i + 1}{fname}", a.coord).diag
        # at the argument itself, even where it is no word (a constant)
        at = Diagnostic(d.file, d.line, d.col, d.severity, d.message,
                        anchor=rf"^.{{{max(d.col - 1, 0)}}}()")
        raise CompileError(at, notes)

    def wrong_arg_count(self, few: bool, name: str | None, n) -> CompileError:
        """gcc's c-typeck.cc convert_arguments: "too few/many arguments to
        function 'f'", then a note at f's declaration."""
        which = "few" if few else "many"
        if name is None:
            return error(f"too {which} arguments to function", n.coord)
        where = self.tu.decl_coords.get(name)
        notes = (note("declared here", where),) if where is not None else ()
        return CompileError(error(f"too {which} arguments to function '{name}'", n.coord).diag,
                            notes)

    def sizeof_node(self, node) -> int:
        if isinstance(node, c_ast.Typename):
            t = self.resolve_type(node.type)
        else:
            t = self.type_of(node)
        if not t.complete:
            raise error(f"invalid application of 'sizeof' to incomplete type '{t}'", node.coord)
        return t.size

    def type_of(self, node) -> CType:
        """The type of an expression, without decaying arrays (for sizeof)."""
        if isinstance(node, (c_ast.ID, c_ast.ArrayRef, c_ast.StructRef)) or \
                (isinstance(node, c_ast.UnaryOp) and node.op == "*"):
            if isinstance(node, c_ast.ID) and node.name in self.tu.enums:
                return ct.INT
            return self.lv(node).ctype
        if isinstance(node, c_ast.Constant) and node.type == "string":
            return ArrayType(ct.CHAR, len(string_literal(node.value)))
        return self.rv(node).ctype
