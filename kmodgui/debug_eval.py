"""`print EXPR` in a paused frame, compiled with the module's own types.

The expression is parsed by pycparser inside a dummy function, then
compiled by the translation unit's compiler with the paused function's
locals in scope, and evaluated against the live frame.  Calls are refused:
printing must not run module code behind the user's back.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from pycparser import c_ast, c_parser
from pycparser.c_parser import ParseError

from kmodgui.kbuild.cexpr import LV
from kmodgui.kbuild.ctype import ArrayType, CType, IntType, PointerType, StructType
from kmodgui.kbuild.diagnostics import CompileError

if TYPE_CHECKING:
    from kmodgui.kbuild.compiler import TUCompiler
    from kmodgui.kernel.cpu import Frame


class EvalError(ValueError):
    pass


def evaluate(fr: Frame, expr: str) -> str:
    tu = fr.inst.ko.units.get(fr.fn.file)
    if tu is None:
        raise EvalError(f"no symbols for {fr.fn.file}")
    node = _parse(expr, list(tu.typedefs))
    _refuse_calls(node)
    saved = (tu.scopes, tu.fn)
    tu.scopes = [_scope(fr)]
    tu.fn = fr.fn
    try:
        if _is_aggregate(tu, node):
            lv = tu.lv(node)
            return render_at(fr, lv.ctype, lv.addr(fr))
        e = tu.rv(node)
        return render_value(fr, e.ctype, e.fn(fr))
    except CompileError as ce:
        raise EvalError(ce.diag.message) from None
    except IndexError:
        raise EvalError("the expression needs data the module does not have") from None
    finally:
        tu.scopes, tu.fn = saved


def _parse(expr: str, typedefs: list[str]) -> c_ast.Node:
    pre = "".join(f"typedef int {n};\n" for n in typedefs)
    try:
        ast = c_parser.CParser().parse(pre + f"void __kmodsim_eval(void) {{ ({expr}); }}\n",
                                       "<print>")
    except ParseError:
        raise EvalError(f"syntax error in expression: {expr}") from None
    items = ast.ext[-1].body.block_items or []
    if len(items) != 1:
        raise EvalError(f"not one expression: {expr}")
    return items[0]


def _refuse_calls(node: c_ast.Node) -> None:
    class V(c_ast.NodeVisitor):  # type: ignore[misc]  # pycparser has no types
        def visit_FuncCall(self, n: c_ast.FuncCall) -> None:
            raise EvalError("calling functions from print is not supported")
    V().visit(node)


def _scope(fr: Frame) -> dict[str, LV]:
    scope: dict[str, LV] = {}
    for name, ctype, reg, off, line in fr.fn.locals:
        if line > fr.line:
            continue
        if reg >= 0:
            scope[name] = LV(ctype, reg=reg)
        else:
            scope[name] = LV(ctype, addr=lambda f, off=off: f.base + off, frame_off=off)
    return scope


def _is_aggregate(tu: TUCompiler, node: c_ast.Node) -> bool:
    try:
        t = tu.type_of(node)
    except CompileError:
        return False
    return isinstance(t, (StructType, ArrayType))


def render_at(fr: Frame, t: CType, addr: int) -> str:
    """gdb's rendering of the object of type t at addr (locals, print)."""
    if not isinstance(t, (ArrayType, StructType)):
        return render_value(fr, t, _load(fr, t, addr))
    if isinstance(t, ArrayType) and isinstance(t.elem, IntType) and t.elem.size == 1:
        data = fr.m.read_bytes(addr, t.size).split(b"\0")[0]
        return '"' + data.decode("utf-8", "replace") + '"'
    if isinstance(t, ArrayType):
        vals = [render_value(fr, t.elem, _load(fr, t.elem, addr + i * t.elem.size))
                for i in range(min(t.length or 0, 16))]
        return "{" + ", ".join(vals) + (", ..." if (t.length or 0) > 16 else "") + "}"
    parts = []
    for f in t.fields:
        if isinstance(f.ctype, (StructType, ArrayType)):
            parts.append(f"{f.name} = {{...}}")
        else:
            parts.append(f"{f.name} = {render_value(fr, f.ctype, _load(fr, f.ctype, addr + f.offset))}")
    return "{" + ", ".join(parts) + "}"


def _load(fr: Frame, t: CType, addr: int) -> int:
    return fr.m.read_int(addr, t.size, getattr(t, "signed", False))


def render_value(fr: Frame, t: CType, v: int) -> str:
    if isinstance(t, PointerType):
        if v == 0:
            return "0x0"
        if isinstance(t.target, IntType) and t.target.size == 1:
            try:
                s = fr.m.read_cstring(v, 200).decode("utf-8", "replace")
                return f'0x{v:x} "{s}"'
            except Exception:
                return f"0x{v:x}"
        return f"0x{v:x}"
    return str(v)
