"""Read the declarations the headers' macros produce (see docs/architecture.md).

  module_init(fn)       -> __kmodsim_initcall = fn          (mod->init)
  module_exit(fn)       -> __kmodsim_exitcall = fn          (mod->exit)
  MODULE_LICENSE(x) ... -> __kmodsim_modinfo_<key>_<line>   (.modinfo)
  EXPORT_SYMBOL(s)      -> __kmodsim_ksymtab[_gpl]_<s>      (__ksymtab)
  module_param(...)     -> __kmodsim_param_<n>              (__param)

They never become module data: like .modinfo and __ksymtab in a real .ko,
they are read by the loader and the tools, not by the module's code.
"""
from __future__ import annotations

from pycparser import c_ast

from kmodgui.kbuild.diagnostics import CompileError, Diagnostic, error
from kmodgui.kbuild.program import KoObject, ParamSpec
from kmodgui.kbuild.values import string_literal


def apply_specials(ko: KoObject, mod) -> None:
    for name, decl, tu in mod.specials:
        if name in ("__kmodsim_initcall", "__kmodsim_exitcall"):
            target = _func_name(decl)
            if name == "__kmodsim_initcall":
                ko.init = target
            else:
                ko.exit = target
        elif name.startswith("__kmodsim_modinfo_"):
            key, _, value = _string(decl).partition("=")
            ko.modinfo.append((key, value))
        elif name.startswith("__kmodsim_ksymtab_gpl_"):
            ko.exports[name[len("__kmodsim_ksymtab_gpl_"):]] = True
        elif name.startswith("__kmodsim_ksymtab_"):
            ko.exports[name[len("__kmodsim_ksymtab_"):]] = False
        elif name.startswith("__kmodsim_param_"):
            ko.params.append(_param(decl, tu))
    # the old names: int init_module(void) / void cleanup_module(void)
    if ko.init is None and "init_module" in ko.functions:
        ko.init = "init_module"
    if ko.exit is None and "cleanup_module" in ko.functions:
        ko.exit = "cleanup_module"
    descs = {}
    for key, value in ko.modinfo:
        if key == "parm":
            pname, _, desc = value.partition(":")
            descs[pname] = desc
    for i, p in enumerate(ko.params):
        if p.name in descs:
            ko.params[i] = ParamSpec(p.name, p.type, p.perm, p.var, p.nump, p.max,
                                     descs[p.name])
    # modinfo's parmtype entries, as module_param() emits them
    for p in ko.params:
        if p.type != "cb":            # module_param_cb() declares no type
            ko.modinfo.append(("parmtype", f"{p.name}:{_parmtype(p.type)}"))


#: where gcc places an error inside MODULE_*()/module_param()'s expansion:
#: the 'in expansion of macro' note at the invocation in the module's source
_INVOCATION = r"\b(?:MODULE_[A-Z_]+|module_param\w*)\b"


def check_special(decl: c_ast.Decl, tu) -> None:
    """What cc1 itself refuses in the declarations MODULE_*() and
    module_param() expand to (include/linux/moduleparam.h): .modinfo's
    `static const char __UNIQUE_ID_x[] = "tag=" info` needs a string
    literal, and module_param(name, ...) takes `&(name)` (param_check_##type
    and module_param_cb)."""
    if decl.name.startswith("__kmodsim_modinfo_"):
        init = decl.init
        if isinstance(init, c_ast.Constant) and init.type == "string":
            return
        # `"tag=" "x"(...)`: the literal is called; anything else is not a
        # string initializer for the char array (c/c-typeck.c)
        msg = ("called object is not a function or function pointer"
               if isinstance(init, c_ast.FuncCall) else "invalid initializer")
        raise _at_invocation(msg, decl.coord)
    if decl.name.startswith("__kmodsim_param_"):
        exprs = decl.init.exprs if isinstance(decl.init, c_ast.InitList) else []
        target = exprs[3] if len(exprs) > 3 else None
        while isinstance(target, c_ast.Cast):
            target = target.expr
        if isinstance(target, c_ast.UnaryOp) and target.op == "&" and \
                not _lvalue(target.expr):
            raise _at_invocation("lvalue required as unary '&' operand", decl.coord)
        if isinstance(target, c_ast.UnaryOp) and isinstance(target.expr, c_ast.ID) and \
                tu.global_type(target.expr.name) is None:
            # the argument's own place: gcc follows the token, not the macro
            raise error(f"'{target.expr.name}' undeclared here (not in a function)",
                        target.expr.coord)


def _lvalue(e) -> bool:
    if isinstance(e, c_ast.UnaryOp):
        return e.op == "*"
    return isinstance(e, (c_ast.ID, c_ast.ArrayRef, c_ast.StructRef))


def _at_invocation(msg: str, coord) -> CompileError:
    d = error(msg, coord).diag
    return CompileError(Diagnostic(d.file, d.line, 1, d.severity, d.message,
                                   anchor=_INVOCATION))


def _parmtype(t: str) -> str:
    return f"array of {t[6:]}" if t.startswith("array:") else t


def _func_name(decl: c_ast.Decl) -> str:
    init = decl.init
    while isinstance(init, (c_ast.Cast, c_ast.UnaryOp)):
        init = init.expr
    if not isinstance(init, c_ast.ID):
        raise error("module_init/module_exit need a function name", decl.coord)
    return init.name


def _string(decl: c_ast.Decl) -> str:
    if isinstance(decl.init, c_ast.Constant) and decl.init.type == "string":
        return string_literal(decl.init.value)[:-1].decode("utf-8", "replace")
    raise error("MODULE_* macros need a string literal", decl.coord)


def _param(decl: c_ast.Decl, tu) -> ParamSpec:
    """{ "name", "type", perm, (void *)&var, nump, max }"""
    exprs = decl.init.exprs if isinstance(decl.init, c_ast.InitList) else []
    if len(exprs) < 6:
        raise error("malformed module_param", decl.coord)
    name = string_literal(exprs[0].value)[:-1].decode()
    ptype = string_literal(exprs[1].value)[:-1].decode()
    perm = tu.rv(exprs[2]).const or 0
    var = _var_name(exprs[3])
    nump = _var_name(exprs[4]) if not _is_null(exprs[4], tu) else None
    cap = tu.rv(exprs[5]).const or 0
    if var is None or tu.global_type(var) is None:
        raise error(f"module_param: '{name}' is not a variable", decl.coord)
    return ParamSpec(name, ptype, perm, var, nump, cap)


def _var_name(e) -> str | None:
    while isinstance(e, (c_ast.Cast, c_ast.UnaryOp)):
        e = e.expr
    return e.name if isinstance(e, c_ast.ID) else None


def _is_null(e, tu) -> bool:
    return tu.rv(e).const == 0 if not isinstance(e, (c_ast.ID, c_ast.UnaryOp)) else False
