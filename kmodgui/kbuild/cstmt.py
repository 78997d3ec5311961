"""Statements: pycparser nodes -> closures `run(frame) -> status`.

Every statement first calls `fr.cpu.tick(fr, line)`: that is where the
simulated clock advances, the debugger may pause, and the watchdog notices
a CPU that never schedules.  Control flow is a small status code:
NORMAL (0), BREAK, CONTINUE, RETURN (value in fr.ret) and GOTO (label in
fr.label), which the enclosing blocks resolve -- C's goto may only leave
blocks, never enter them, in the subset this simulator runs.
"""
from __future__ import annotations

from pycparser import c_ast

from kmodgui.kbuild.ctype import ArrayType, StructType, IntType, type_name
from kmodgui.kbuild.diagnostics import error, unsupported

NORMAL, BREAK, CONTINUE, RETURN, GOTO = 0, 1, 2, 3, 4


class StmtCompiler:
    """Mixin: needs rv(), lv(), declare_local(), tick_line handling."""

    def stmt(self, n: c_ast.Node):
        meth = getattr(self, "st_" + type(n).__name__, None)
        if meth is None:
            if isinstance(n, c_ast.Node) and hasattr(self, "ex_" + type(n).__name__):
                return self.st_expr(n)
            raise unsupported(f"statement {type(n).__name__}", n.coord)
        self.fn.statements += 1
        return meth(n)

    def st_expr(self, n):
        f = self.rv(n).fn
        line = n.coord.line

        def run(fr):
            fr.cpu.tick(fr, line)
            f(fr)
            return NORMAL
        return run

    def st_EmptyStatement(self, n):
        return lambda fr: NORMAL

    def st_Compound(self, n: c_ast.Compound):
        self.push_scope()
        items = n.block_items or []
        runs, labels = [], {}
        for item in items:
            while isinstance(item, c_ast.Label):
                labels[item.name] = len(runs)
                self.define_label(item.name, item.coord.line, item.coord)
                item = item.stmt
            if isinstance(item, c_ast.Case) or isinstance(item, c_ast.Default):
                raise error("case label not within a switch statement", item.coord)
            runs.append(self.stmt(item))
        self.pop_scope()
        return self.block(runs, labels)

    @staticmethod
    def block(runs: list, labels: dict[str, int]):
        """Run statements in order from `start`; a goto to one of this
        block's labels continues there, any other control flow goes up."""
        n = len(runs)

        def run(fr, start: int = 0):
            i = start
            while i < n:
                st = runs[i](fr)
                if st:
                    if st == GOTO and fr.label in labels:
                        i = labels[fr.label]
                        continue
                    return st
                i += 1
            return NORMAL
        return run

    def st_Label(self, n: c_ast.Label):
        # a label outside a compound (e.g. the body of an if): rare; allow
        raise unsupported("label not directly inside a { } block", n.coord)

    def st_Decl(self, n: c_ast.Decl):
        return self.local_decl(n)

    def st_DeclList(self, n: c_ast.DeclList):
        runs = [self.local_decl(d) for d in n.decls]
        return self.block(runs, {})

    def st_Typedef(self, n):
        self.declare_typedef(n)
        return lambda fr: NORMAL

    def st_Return(self, n: c_ast.Return):
        line = n.coord.line
        if n.expr is None:
            def ret_void(fr):
                fr.cpu.tick(fr, line)
                return RETURN
            return ret_void
        value = self.rv(n.expr)
        if isinstance(self.fn.ftype.ret, StructType) or isinstance(value.ctype, StructType):
            return self.return_struct(value, n)
        if self.ret_spelled:
            self.warn_overflow(value, self.fn.ftype.ret, n.expr)
        e = self.convert(value, self.fn.ftype.ret, n)
        if e.const is not None:
            self.fn.const_returns.append((line, e.const))
        val = e.fn

        def ret(fr):
            fr.cpu.tick(fr, line)
            fr.ret = val(fr)
            return RETURN
        return ret

    def return_struct(self, value, n: c_ast.Return):
        """A struct returned by value (its bytes, as rax:rdx or the hidden
        buffer carry them); another type is c-typeck.cc c_finish_return()'s
        error."""
        want = self.fn.ftype.ret
        if value.ctype is not want:
            raise error(f"incompatible types when returning type '{type_name(value.ctype)}' "
                        f"but '{type_name(want)}' was expected", n.expr.coord)
        val, line = self.struct_value(value).fn, n.coord.line

        def ret(fr):
            fr.cpu.tick(fr, line)
            fr.ret = val(fr)
            return RETURN
        return ret

    def st_Goto(self, n: c_ast.Goto):
        line, name = n.coord.line, n.name
        self.note_goto(name, line, n.coord)

        def goto(fr):
            fr.cpu.tick(fr, line)
            fr.label = name
            fr.cpu.jumped(fr, name, line)
            return GOTO
        return goto

    # how many loops and switches enclose the statement being compiled
    loops = 0
    switches = 0

    def st_Break(self, n):
        if self.loops + self.switches == 0:
            raise error("break statement not within loop or switch", n.coord)
        line = n.coord.line

        def brk(fr):
            fr.cpu.tick(fr, line)
            return BREAK
        return brk

    def st_Continue(self, n):
        if self.loops == 0:
            raise error("continue statement not within a loop", n.coord)
        line = n.coord.line

        def cont(fr):
            fr.cpu.tick(fr, line)
            return CONTINUE
        return cont

    def st_If(self, n: c_ast.If):
        cond = self.rv(n.cond).fn
        then = self.stmt(n.iftrue) if n.iftrue else (lambda fr: NORMAL)
        other = self.stmt(n.iffalse) if n.iffalse else None
        line = n.coord.line

        def run_if(fr):
            fr.cpu.tick(fr, line)
            if cond(fr):
                return then(fr)
            if other is not None:
                return other(fr)
            return NORMAL
        return run_if

    def _loop(self, cond, body, nxt, line, check_first: bool):
        def run(fr):
            tick = fr.cpu.tick
            first = True
            while True:
                if check_first or not first:
                    tick(fr, line)
                    if cond is not None and not cond(fr):
                        return NORMAL
                first = False
                st = body(fr)
                if st == BREAK:
                    return NORMAL
                if st and st != CONTINUE:
                    return st
                if nxt is not None:
                    nxt(fr)
        return run

    def st_While(self, n: c_ast.While):
        return self._loop(self.rv(n.cond).fn, self.loop_body(n.stmt), None,
                          n.coord.line, True)

    def st_DoWhile(self, n: c_ast.DoWhile):
        return self._loop(self.rv(n.cond).fn, self.loop_body(n.stmt), None,
                          n.cond.coord.line if n.cond.coord else n.coord.line, False)

    def st_For(self, n: c_ast.For):
        self.push_scope()
        init = self.stmt(n.init) if isinstance(n.init, (c_ast.DeclList, c_ast.Decl)) \
            else (self.rv(n.init).fn if n.init is not None else None)
        cond = self.rv(n.cond).fn if n.cond is not None else None
        nxt = self.rv(n.next).fn if n.next is not None else None
        loop = self._loop(cond, self.loop_body(n.stmt), nxt, n.coord.line, True)
        self.pop_scope()

        def run_for(fr):
            if init is not None:
                init(fr)
            return loop(fr)
        return run_for

    def loop_body(self, s):
        self.loops += 1
        try:
            return self.stmt(s) if s is not None else (lambda fr: NORMAL)
        finally:
            self.loops -= 1

    def st_Switch(self, n: c_ast.Switch):
        self.switches += 1
        try:
            return self._switch(n)
        finally:
            self.switches -= 1

    def _switch(self, n: c_ast.Switch):
        val = self.rv(n.cond).fn
        body = n.stmt
        items = body.block_items if isinstance(body, c_ast.Compound) else [body]
        self.push_scope()
        runs, labels, cases, default = [], {}, {}, None
        for item in items or []:
            while True:
                if isinstance(item, c_ast.Case):
                    v = self.rv(item.expr).const
                    if v is None:
                        raise error("case label does not reduce to an integer constant",
                                    item.coord)
                    cases[v] = len(runs)
                    inner = item.stmts or []
                elif isinstance(item, c_ast.Default):
                    default = len(runs)
                    inner = item.stmts or []
                elif isinstance(item, c_ast.Label):
                    labels[item.name] = len(runs)
                    self.define_label(item.name, item.coord.line, item.coord)
                    item = item.stmt
                    continue
                else:
                    inner = [item]
                break
            for s in inner:
                while isinstance(s, c_ast.Label):
                    labels[s.name] = len(runs)
                    self.define_label(s.name, s.coord.line)
                    s = s.stmt
                runs.append(self.stmt(s))
        self.pop_scope()
        body = self.block(runs, labels)
        line = n.coord.line

        def run_switch(fr):
            fr.cpu.tick(fr, line)
            start = cases.get(val(fr), default)
            if start is None:
                return NORMAL
            st = body(fr, start)          # case labels fall through
            return NORMAL if st == BREAK else st
        return run_switch

    # -- local declarations ---------------------------------------------
    def local_decl(self, d: c_ast.Decl):
        if d.name is None:           # struct/enum definition only
            self.resolve_type(d.type)
            return lambda fr: NORMAL
        if "extern" in d.storage:
            self.declare_extern(d)
            return lambda fr: NORMAL
        if "static" in d.storage:
            self.declare_static_local(d)
            return lambda fr: NORMAL
        t = self.resolve_type(d.type)
        if isinstance(t, ArrayType) and t.length is None and d.init is not None:
            t = self.complete_array(t, d.init)
        if not t.complete:
            raise error(f"storage size of '{d.name}' isn't known", d.coord)
        lv = self.declare_local(d.name, t, d.coord)
        if d.init is None:
            return lambda fr: NORMAL
        line = d.coord.line
        init = self.local_init(lv, t, d.init)

        def run_init(fr):
            fr.cpu.tick(fr, line)
            init(fr)
            return NORMAL
        return run_init

    def local_init(self, lv, t, init):
        if isinstance(t, (ArrayType, StructType)):
            stores = self.aggregate_stores(lv.addr, t, init)
            size, addr = t.size, lv.addr

            def fill(fr):
                a = addr(fr)
                fr.m.fill(a, 0, size)
                for st in stores:
                    st(fr, a)
            return fill
        if isinstance(init, c_ast.InitList):
            init = init.exprs[0]
        st = lv.store()
        val = self.convert(self.rv(init), t, init).fn
        return lambda fr: st(fr, val(fr))

    def aggregate_stores(self, addr, t, init) -> list:
        """Runtime stores for `T x = { ... }` / `char s[] = "..."`."""
        out = []
        for off, ftype, expr in self.flatten_init(t, init):
            if isinstance(expr, bytes):
                data = expr
                out.append(lambda fr, a, off=off, data=data: fr.m.write_bytes(a + off, data))
                continue
            if isinstance(ftype, StructType):
                out.append(self.struct_copy_store(off, ftype, expr))
                continue
            val = self.convert(self.rv(expr), ftype, expr).fn
            size = ftype.size
            if isinstance(ftype, IntType) and ftype.is_bool:
                out.append(lambda fr, a, off=off, val=val:
                           fr.m.write_int(a + off, 1, 1 if val(fr) else 0))
            else:
                out.append(lambda fr, a, off=off, val=val, size=size:
                           fr.m.write_int(a + off, size, val(fr)))
        return out

    def struct_copy_store(self, off: int, t, expr):
        """A struct member (or the whole object) initialised from another
        struct value: the bytes are copied."""
        src, size = self.rv(expr).fn, t.size
        return lambda fr, a: fr.m.write_bytes(a + off, fr.m.read_bytes(src(fr), size))
