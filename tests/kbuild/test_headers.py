"""The simulator's kernel headers (resources/include) and the sample modules.

Until the real build pipeline exists these tests use their own small
front end, the one the pipeline is specified to use: pcpp with the include
path resources/include + the module's folder only, the predefines kbuild
gives (KBUILD_MODNAME, MODULE, LINUX_VERSION_CODE, KERNEL_VERSION) for each
profile, the __kmodsim_sec_* markers blanked out, then pycparser.

They check that every sample parses in both profiles, and that the module
macros expand to the declarations the loader and modpost rely on
(docs/architecture.md, "Header conventions").
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from pcpp import Preprocessor
from pcpp.parser import Action, OutputDirective
from pycparser import c_ast, c_parser

ROOT = Path(__file__).resolve().parents[2]
INCLUDE = ROOT / "kmodgui" / "resources" / "include"
MODULES = ROOT / "kmodgui" / "modules"
PROFILES = {"6.1": (6, 1, 0), "2.6.30": (2, 6, 30)}
KERNEL_VERSION = "(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))"


# --- the front end -----------------------------------------------------------

class _SandboxedCpp(Preprocessor):
    """pcpp that opens nothing outside `roots` (module code is untrusted)."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__()
        self.roots = [str(r.resolve()) for r in roots]
        self.errors: list[str] = []
        self.line_directive = "#line"

    def on_file_open(self, is_system_include: bool, includepath: str):
        real = os.path.realpath(includepath)
        if not any(real == r or real.startswith(r + os.sep) for r in self.roots):
            raise IOError(f"{includepath}: outside the include path")
        return super().on_file_open(is_system_include, includepath)

    def on_include_not_found(self, is_malformed, is_system_include, curdir, includepath):
        self.errors.append(f"not found: {includepath}")
        raise OutputDirective(Action.IgnoreAndRemove)

    def on_error(self, file, line, msg) -> None:
        self.errors.append(f"{Path(file).name}:{line}: {msg}")
        self.return_code += 1

    def on_directive_unknown(self, directive, toks, ifpassthru, precedingtoks):
        # pcpp hands #error to this hook (its default only prints to stderr)
        if directive.value == "error":
            text = "".join(t.value for t in toks).strip()
            self.on_error(directive.source, directive.lineno, f"#error {text}")
            return True
        return super().on_directive_unknown(directive, toks, ifpassthru, precedingtoks)


def preprocess(path: Path, profile: str, text: str | None = None,
               defines: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """cpp one file as kbuild would for `profile`; returns (text, errors)."""
    a, b, c = PROFILES[profile]
    cpp = _SandboxedCpp([INCLUDE, path.parent])
    cpp.add_path(str(INCLUDE))
    cpp.define(f'KBUILD_MODNAME "{path.stem.replace("-", "_")}"')
    cpp.define("MODULE")
    cpp.define(f"KERNEL_VERSION(a,b,c) {KERNEL_VERSION}")
    cpp.define(f"LINUX_VERSION_CODE {(a << 16) + (b << 8) + c}")
    for d in defines:
        cpp.define(d)
    cpp.parse(path.read_text() if text is None else text, str(path))
    out = io.StringIO()
    cpp.write(out)
    return out.getvalue(), cpp.errors


def blank_sections(text: str) -> str:
    """What kbuild's sections pass does: blank the markers, keep columns."""
    return re.sub(r"__kmodsim_sec_\w+", lambda m: " " * len(m.group()), text)


def parse(path: Path, profile: str, text: str | None = None,
          defines: tuple[str, ...] = ()) -> c_ast.FileAST:
    out, errors = preprocess(path, profile, text, defines)
    assert errors == []
    return c_parser.CParser().parse(blank_sections(out), path.name)


def snippet(tmp_path: Path, code: str) -> Path:
    path = tmp_path / "snippet.c"
    path.write_text(code)
    return path


def macro_mismatches(tmp_path: Path, profile: str, header: str,
                     expected: dict[str, int]) -> list[str]:
    """Evaluate each macro with #if (as cpp would) and list the wrong ones."""
    lines = [f"#include <{header}>"]
    for name, value in expected.items():
        lines += [f"#if ({name}) != {value}", f"#error {name}", "#endif"]
    _, errors = preprocess(snippet(tmp_path, "\n".join(lines) + "\n"), profile)
    return errors


# --- AST helpers ---------------------------------------------------------------

def file_decls(ast: c_ast.FileAST) -> dict[str, c_ast.Decl]:
    return {n.name: n for n in ast.ext if isinstance(n, c_ast.Decl) and n.name}


def func_def(ast: c_ast.FileAST, name: str) -> c_ast.FuncDef:
    return next(n for n in ast.ext
                if isinstance(n, c_ast.FuncDef) and n.decl.name == name)


def c_string(node: c_ast.Node) -> str:
    """The value of a (concatenated) C string literal."""
    assert isinstance(node, c_ast.Constant) and node.type == "string"
    escapes = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "0": "\0"}

    def one(m: re.Match[str]) -> str:
        e = m.group(1)
        if e[0] in "01234567":
            return chr(int(e, 8))
        return escapes[e]
    return re.sub(r"\\([0-7]{1,3}|.)", one, node.value[1:-1])


def calls(node: c_ast.Node) -> list[c_ast.FuncCall]:
    """Every function call under node, in source order."""
    found: list[c_ast.FuncCall] = []

    class V(c_ast.NodeVisitor):
        def visit_FuncCall(self, n: c_ast.FuncCall) -> None:
            found.append(n)
            self.generic_visit(n)
    V().visit(node)
    return found


def called(node: c_ast.Node, name: str) -> list[c_ast.FuncCall]:
    return [c for c in calls(node) if getattr(c.name, "name", None) == name]


def struct_fields(ast: c_ast.FileAST, tag: str) -> list[str]:
    for n in ast.ext:
        t = getattr(n, "type", None)
        if isinstance(t, c_ast.Struct) and t.name == tag and t.decls:
            return [d.name for d in t.decls]
    raise KeyError(tag)


def all_headers() -> list[str]:
    return sorted(str(p.relative_to(INCLUDE)) for p in INCLUDE.rglob("*.h"))


def parse_all_headers(tmp_path: Path, profile: str) -> c_ast.FileAST:
    """One translation unit including every header twice (guards, clashes)."""
    incs = "".join(f"#include <{h}>\n" for h in all_headers())
    return parse(snippet(tmp_path, incs + incs), profile)


# --- samples -------------------------------------------------------------------

def sample_files() -> list[Path]:
    return sorted(MODULES.glob("*.c")) + sorted((MODULES / "broken").glob("*.c"))


PARSEABLE = [p for p in sample_files() if p.name != "syntax_error.c"]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("path", PARSEABLE, ids=lambda p: p.name)
def test_sample_parses(path: Path, profile: str) -> None:
    out, errors = preprocess(path, profile)
    if path.name == "evil_include.c":
        # the host file is refused as if absent, and none of it leaks in
        assert errors == ["not found: /etc/passwd"]
        assert "root:" not in out
    else:
        assert errors == []
    ast = c_parser.CParser().parse(blank_sections(out), path.name)
    assert any(isinstance(n, c_ast.FuncDef) for n in ast.ext)


@pytest.mark.parametrize("profile", PROFILES)
def test_syntax_error_sample_does_not_parse(profile: str) -> None:
    path = MODULES / "broken" / "syntax_error.c"
    out, errors = preprocess(path, profile)
    assert errors == []
    with pytest.raises(c_parser.ParseError, match=r"syntax_error.c:15:"):
        c_parser.CParser().parse(blank_sections(out), path.name)


def _modinfo_keys(ast: c_ast.FileAST) -> set[str]:
    return {m.group(1) for name in file_decls(ast)
            if (m := re.match(r"__kmodsim_modinfo_(\w+?)_\d+$", name))}


# one module per group of files; stop.c is the second half of startstop
MODULE_FILES = {p.stem: [p] for p in sample_files() if p.stem not in ("start", "stop")}
MODULE_FILES["startstop"] = [MODULES / "start.c", MODULES / "stop.c"]
del MODULE_FILES["syntax_error"]


@pytest.mark.parametrize("module", sorted(MODULE_FILES))
def test_sample_has_modinfo_and_a_header_comment(module: str) -> None:
    keys: set[str] = set()
    for path in MODULE_FILES[module]:
        text = path.read_text()
        # the first comment names the file and says what it teaches
        head = rf"// SPDX-License-Identifier: GPL-2\.0\n/\*(\n \*)? {re.escape(path.name)} - \w"
        assert re.match(head, text)
        assert "\t" in text  # kernel coding style indents with tabs
        out, _ = preprocess(path, "6.1")
        keys |= _modinfo_keys(c_parser.CParser().parse(blank_sections(out), path.name))
    wanted = {"author", "description"} | ({"license"} if module != "nolicense" else set())
    assert wanted <= keys
    assert ("license" in keys) == (module != "nolicense")


def test_sample_licenses_are_gpl() -> None:
    for path in MODULES.glob("*.c"):
        for m in re.finditer(r"MODULE_LICENSE\((.*)\)", path.read_text()):
            assert m.group(1) == '"GPL"', path.name


def test_makefile_builds_every_top_level_sample() -> None:
    text = (MODULES / "Makefile").read_text()
    objs = set(re.findall(r"^obj-m \+= (\w+)\.o$", text, re.M))
    assert re.search(r"^startstop-objs := start\.o stop\.o$", text, re.M)
    stems = {p.stem for p in MODULES.glob("*.c")} - {"start", "stop"}
    assert objs == stems | {"startstop"}


# printk texts of the modules recorded on the real 6.1 kernel
# (the module sources of those recordings), which the samples must keep
REAL_KERNEL_TEXTS = {
    "hi": ["hi module being loaded.\n", "hi module being unloaded.\n"],
    "hi_eperm": ["hi_eperm module being loaded (init will return -1).\n",
                 "hi_eperm module being unloaded.\n"],
    "hi_eio": ["hi_eio module being loaded (init will return -EIO).\n",
               "hi_eio module being unloaded.\n"],
    "hi_enomem": ["hi_enomem module being loaded (init will return -ENOMEM).\n",
                  "hi_enomem module being unloaded.\n"],
    "hi_42": ["hi_42 module being loaded (init will return 42).\n",
              "hi_42 module being unloaded.\n"],
    "hi_noexit": ["hi_noexit module being loaded (no exit routine).\n"],
    "hi_permanent": ["hi_permanent module being loaded (no exit routine).\n"],
}


@pytest.mark.parametrize("module", sorted(REAL_KERNEL_TEXTS))
def test_hi_samples_print_the_real_kernel_texts(module: str) -> None:
    ast = parse(MODULES / f"{module}.c", "6.1")
    texts = [c_string(c.args.exprs[0]) for c in called(ast, "printk")]
    assert texts == ["\x016" + t for t in REAL_KERNEL_TEXTS[module]]
    has_exit = "__kmodsim_exitcall" in file_decls(ast)
    assert has_exit == (module not in ("hi_noexit", "hi_permanent"))


# --- the planted bugs stay planted ---------------------------------------------

def _unwind_sequence(fn: c_ast.FuncDef) -> list[str]:
    """Labels and unregister_*() calls of a function, in source order."""
    seq: list[str] = []

    class V(c_ast.NodeVisitor):
        def visit_Label(self, n: c_ast.Label) -> None:
            seq.append(n.name + ":")
            self.generic_visit(n)

        def visit_FuncCall(self, n: c_ast.FuncCall) -> None:
            if n.name.name.startswith("unregister_"):
                seq.append(n.name.name[len("unregister_"):])
    V().visit(fn)
    return seq


LADDERS = {
    "skull": ["fail_those:", "that", "fail_that:", "this", "fail_this:"],
    "skull_wrong_order": ["fail_those:", "that", "fail_that:", "this", "fail_this:"],
    "skull_leaky": ["that", "fail_those:", "fail_that:", "this", "fail_this:"],
    "skull_double": ["fail_those:", "that", "this", "fail_that:", "this", "fail_this:"],
}
EXITS = {
    "skull": ["those", "that", "this"],
    "skull_leaky": ["those", "that", "this"],
    "skull_double": ["those", "that", "this"],
    "skull_wrong_order": ["this", "that", "those"],
}


@pytest.mark.parametrize("module", sorted(LADDERS))
def test_skull_variants_unwind_as_designed(module: str) -> None:
    ast = parse(MODULES / f"{module}.c", "6.1")
    assert _unwind_sequence(func_def(ast, "my_init")) == LADDERS[module]
    assert _unwind_sequence(func_def(ast, "my_exit")) == EXITS[module]


# --- the conventions the loader and modpost read ---------------------------------

def test_module_init_and_exit_declare_the_entry_point_variables() -> None:
    decls = file_decls(parse(MODULES / "hi.c", "6.1"))
    init, exit_ = decls["__kmodsim_initcall"], decls["__kmodsim_exitcall"]
    for decl, ret, fn in ((init, "int", "hi_init"), (exit_, "void", "hi_exit")):
        assert isinstance(decl.type, c_ast.PtrDecl)
        func = decl.type.type
        assert isinstance(func, c_ast.FuncDecl)
        assert func.type.type.names == [ret]
        assert [p.type.type.names for p in func.args.params] == [["void"]]
        assert isinstance(decl.init, c_ast.ID) and decl.init.name == fn
        assert decl.storage == []


@pytest.mark.parametrize("profile", PROFILES)
def test_section_markers_precede_the_declarator(profile: str) -> None:
    out, _ = preprocess(MODULES / "hi.c", profile)
    assert re.search(r"static int __kmodsim_sec_init_text hi_init\(void\)", out)
    assert re.search(r"static void __kmodsim_sec_exit_text hi_exit\(void\)", out)
    code = ("#include <linux/init.h>\nstatic int a __initdata = 1;\n"
            "static int b __exitdata;\nstatic const int c __initconst = 3;\n")
    out, _ = preprocess(Path("/nonexistent/snippet.c"), profile, text=code)
    for var, marker in (("a", "init_data"), ("b", "exit_data"), ("c", "init_rodata")):
        assert re.search(rf"\b{var} __kmodsim_sec_{marker}\b", out)


def test_modinfo_records_key_equals_value_on_the_macro_line() -> None:
    path = MODULES / "hi.c"
    line = next(i for i, s in enumerate(path.read_text().splitlines(), 1)
                if s.startswith("MODULE_LICENSE("))
    decl = file_decls(parse(path, "6.1"))[f"__kmodsim_modinfo_license_{line}"]
    assert decl.storage == ["static"]
    assert isinstance(decl.type, c_ast.ArrayDecl) and decl.type.dim is None
    assert decl.type.type.quals == ["const"]
    assert decl.type.type.type.names == ["char"]
    assert c_string(decl.init) == "license=GPL"


def test_every_modinfo_macro(tmp_path: Path) -> None:
    code = """#include <linux/module.h>
#define DRIVER_AUTHOR "A. Student <a@example.org>"
static int level;
module_param(level, int, 0644);
MODULE_AUTHOR(DRIVER_AUTHOR);
MODULE_DESCRIPTION("a test");
MODULE_VERSION("1.2");
MODULE_ALIAS("char-major-240-*");
MODULE_SOFTDEP("pre: expo");
MODULE_INFO(intree, "Y");
MODULE_PARM_DESC(level, "verbosity");
MODULE_LICENSE("Dual BSD/GPL");
"""
    decls = file_decls(parse(snippet(tmp_path, code), "6.1"))
    values = {c_string(d.init) for n, d in decls.items() if n.startswith("__kmodsim_modinfo_")}
    assert values == {"author=A. Student <a@example.org>", "description=a test",
                      "version=1.2", "alias=char-major-240-*", "softdep=pre: expo",
                      "intree=Y", "parm=level:verbosity", "license=Dual BSD/GPL"}
    assert "__kmodsim_modinfo_version_7" in decls  # the key, then the line


def test_export_symbol_declares_ksymtab_markers() -> None:
    decls = file_decls(parse(MODULES / "expo.c", "6.1"))
    for name in ("__kmodsim_ksymtab_expo_add", "__kmodsim_ksymtab_gpl_expo_mul"):
        d = decls[name]
        assert d.storage == ["static"] and d.quals == ["const"]
        assert d.type.type.names == ["int"] and d.init.value == "0"
    assert "__kmodsim_ksymtab_expo_mul" not in decls
    assert "__kmodsim_ksymtab_gpl_expo_add" not in decls


def _param_init(decls: dict[str, c_ast.Decl], name: str) -> list[c_ast.Node]:
    d = decls[f"__kmodsim_param_{name}"]
    assert d.storage == ["static"] and d.quals == ["const"]
    assert d.type.type.name == "__kmodsim_param"
    return d.init.exprs


def test_module_param_describes_the_variable() -> None:
    decls = file_decls(parse(MODULES / "hellop.c", "6.1"))
    for var, typ in (("howmany", "int"), ("whom", "charp")):
        name, type_, perm, arg, nump, max_ = _param_init(decls, var)
        assert (c_string(name), c_string(type_)) == (var, typ)
        assert isinstance(perm, c_ast.BinaryOp)  # S_IRUGO: S_IRUSR|S_IRGRP|S_IROTH
        assert isinstance(arg, c_ast.Cast) and arg.expr.op == "&"
        assert arg.expr.expr.name == var
        assert nump.value == "0" and max_.value == "0"
    parms = {c_string(d.init) for n, d in decls.items() if n.startswith("__kmodsim_modinfo_parm_")}
    assert parms == {"parm=howmany:how many times to greet (default 1)",
                     'parm=whom:who to greet (default "world")'}


def test_module_param_array_and_named(tmp_path: Path) -> None:
    code = """#include <linux/module.h>
static int values[4];
static int nvalues;
static short shorts[3];
static int internal;
module_param_array(values, int, &nvalues, 0444);
module_param_array(shorts, short, NULL, 0);
module_param_named(debug, internal, bool, 0600);
"""
    decls = file_decls(parse(snippet(tmp_path, code), "6.1"))
    name, type_, perm, arg, nump, max_ = _param_init(decls, "values")
    assert (c_string(name), c_string(type_), perm.value) == ("values", "array:int", "0444")
    assert arg.expr.name == "values"
    assert nump.expr.op == "&" and nump.expr.expr.name == "nvalues"
    assert max_.op == "/"  # sizeof(values) / sizeof((values)[0])
    assert c_string(_param_init(decls, "shorts")[1]) == "array:short"
    name, type_, _, arg, _, _ = _param_init(decls, "debug")
    assert (c_string(name), c_string(type_)) == ("debug", "bool")
    assert arg.expr.expr.name == "internal"


def test_this_module_is_the_loader_filled_struct(tmp_path: Path) -> None:
    code = "#include <linux/module.h>\nstruct module *me = THIS_MODULE;\n"
    decls = file_decls(parse(snippet(tmp_path, code), "6.1"))
    assert decls["__this_module"].storage == ["extern"]
    assert decls["me"].init.op == "&" and decls["me"].init.expr.name == "__this_module"


# --- printk ------------------------------------------------------------------

LEVELS = {"pr_emerg": "0", "pr_alert": "1", "pr_crit": "2", "pr_err": "3",
          "pr_notice": "5", "pr_info": "6"}


def _printk_formats(tmp_path: Path, profile: str, body: str,
                    prelude: str = "") -> list[str]:
    code = f"{prelude}#include <linux/kernel.h>\nvoid f(int x)\n{{\n{body}\n}}\n"
    ast = parse(snippet(tmp_path, code), profile)
    return [c_string(c.args.exprs[0]) for c in called(ast, "printk")]


@pytest.mark.parametrize("profile", PROFILES)
def test_pr_macros_carry_the_profiles_level_prefix(tmp_path: Path, profile: str) -> None:
    warn = "pr_warn" if profile == "6.1" else "pr_warning"
    body = "".join(f'{m}("{m}\\n");\n' for m in LEVELS) + f'{warn}("w\\n");\n'
    got = _printk_formats(tmp_path, profile, body)
    prefix = (lambda n: "\x01" + n) if profile == "6.1" else (lambda n: f"<{n}>")
    assert got == [prefix(n) + f"{m}\n" for m, n in LEVELS.items()] + [prefix("4") + "w\n"]


@pytest.mark.parametrize("profile", PROFILES)
def test_kern_cont_and_default(tmp_path: Path, profile: str) -> None:
    got = _printk_formats(tmp_path, profile, 'pr_cont("more");\nprintk(KERN_DEBUG "d");')
    if profile == "6.1":
        assert got == ["\x01cmore", "\x017d"]
        assert _printk_formats(tmp_path, profile, 'printk(KERN_DEFAULT "x");') == ["\x01dx"]
    else:
        assert got == ["more", "<7>d"]


@pytest.mark.parametrize("profile", PROFILES)
def test_pr_warn_and_pr_warning_belong_to_one_profile_each(tmp_path: Path, profile: str) -> None:
    code = '#include <linux/kernel.h>\nvoid f(void) { pr_warn("a"); pr_warning("b"); }\n'
    out, _ = preprocess(snippet(tmp_path, code), profile)
    body = next(line for line in out.splitlines() if line.startswith("void f"))
    missing = "pr_warning(" if profile == "6.1" else "pr_warn("
    assert missing in body and body.count("printk(") == 1


@pytest.mark.parametrize("profile", PROFILES)
def test_pr_info_with_zero_and_several_varargs(tmp_path: Path, profile: str) -> None:
    code = ("#include <linux/kernel.h>\nvoid f(int x)\n{\n"
            'pr_info("none\\n");\npr_info("one %d\\n", x);\n'
            "pr_err(\"three %d %s %c\\n\", x + 1, \"s\", 'c');\n}\n")
    ast = parse(snippet(tmp_path, code), profile)
    assert [len(c.args.exprs) for c in called(ast, "printk")] == [1, 2, 4]


def test_pr_fmt_defined_before_the_includes_prefixes_messages(tmp_path: Path) -> None:
    got = _printk_formats(tmp_path, "6.1", 'pr_info("hi %d\\n", x);\npr_cont("!\\n");',
                          prelude='#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt\n')
    assert got == ["\x016snippet: hi %d\n", "\x01c!\n"]


@pytest.mark.parametrize("profile", PROFILES)
def test_pr_debug_prints_only_with_DEBUG(tmp_path: Path, profile: str) -> None:
    body = 'pr_debug("d %d\\n", x);\npr_devel("v\\n");'
    assert _printk_formats(tmp_path, profile, body) == []
    level = "\x017" if profile == "6.1" else "<7>"
    got = _printk_formats(tmp_path, profile, body, prelude="#define DEBUG\n")
    assert got == [level + "d %d\n", level + "v\n"]


# --- values of the constants ---------------------------------------------------------

ERRNO = {"EPERM": 1, "ENOENT": 2, "ESRCH": 3, "EINTR": 4, "EIO": 5, "ENXIO": 6,
         "E2BIG": 7, "ENOEXEC": 8, "EBADF": 9, "ECHILD": 10, "EAGAIN": 11,
         "ENOMEM": 12, "EACCES": 13, "EFAULT": 14, "ENOTBLK": 15, "EBUSY": 16,
         "EEXIST": 17, "EXDEV": 18, "ENODEV": 19, "ENOTDIR": 20, "EISDIR": 21,
         "EINVAL": 22, "ENFILE": 23, "EMFILE": 24, "ENOTTY": 25, "ETXTBSY": 26,
         "EFBIG": 27, "ENOSPC": 28, "ESPIPE": 29, "EROFS": 30, "EMLINK": 31,
         "EPIPE": 32, "EDOM": 33, "ERANGE": 34, "EDEADLK": 35, "ENAMETOOLONG": 36,
         "ENOLCK": 37, "ENOSYS": 38, "ENOTEMPTY": 39, "ELOOP": 40,
         "EWOULDBLOCK": 11, "ENOMSG": 42, "EDEADLOCK": 35, "ENODATA": 61,
         "ENOPKG": 65, "EBADMSG": 74, "EOVERFLOW": 75, "EOPNOTSUPP": 95,
         "EADDRINUSE": 98, "ETIMEDOUT": 110, "ENOKEY": 126, "EKEYEXPIRED": 127,
         "EKEYREVOKED": 128, "EKEYREJECTED": 129, "EHWPOISON": 133,
         "ERESTARTSYS": 512, "ENOIOCTLCMD": 515, "ENOTSUPP": 524, "MAX_ERRNO": 4095}


@pytest.mark.parametrize("profile", PROFILES)
def test_errno_numbers(tmp_path: Path, profile: str) -> None:
    assert macro_mismatches(tmp_path, profile, "linux/err.h", ERRNO) == []


GFP = {"6.1": {"GFP_KERNEL": 0xcc0, "GFP_ATOMIC": 0xa20, "__GFP_ZERO": 0x100,
               "__GFP_NOWARN": 0x2000, "GFP_NOWAIT": 0x800},
       "2.6.30": {"GFP_KERNEL": 0xd0, "GFP_ATOMIC": 0x20, "__GFP_ZERO": 0x8000,
                  "__GFP_NOWARN": 0x200, "GFP_NOWAIT": 0}}


@pytest.mark.parametrize("profile", PROFILES)
def test_gfp_flags_have_the_profiles_values(tmp_path: Path, profile: str) -> None:
    assert macro_mismatches(tmp_path, profile, "linux/slab.h", GFP[profile]) == []


def test_mode_bits_device_numbers_and_ioctl(tmp_path: Path) -> None:
    expected = {"S_IRUGO": 0o444, "S_IWUGO": 0o222, "S_IXUGO": 0o111,
                "S_IRWXUGO": 0o777, "S_IRUSR | S_IWUSR": 0o600, "S_IRWXU": 0o700,
                "S_IFCHR": 0o20000, "MINORBITS": 20, "MKDEV(240, 3)": (240 << 20) | 3,
                "MISC_DYNAMIC_MINOR": 255, "HZ": 250, "TASK_COMM_LEN": 16,
                "_IO('k', 1)": 0x6b01}
    code = "".join(f"#include <{h}>\n" for h in ("linux/module.h", "linux/fs.h",
                   "linux/miscdevice.h", "linux/sched.h"))
    lines = [code] + [f"#if ({k}) != {v}\n#error {k}\n#endif\n" for k, v in expected.items()]
    assert preprocess(snippet(tmp_path, "".join(lines)), "6.1")[1] == []


@pytest.mark.parametrize("profile", PROFILES)
def test_version_macros_are_not_redefined(tmp_path: Path, profile: str) -> None:
    a, b, c = PROFILES[profile]
    code = "#include <linux/version.h>\n#include <linux/module.h>\n"
    expected = {"LINUX_VERSION_CODE": (a << 16) + (b << 8) + c,
                "KERNEL_VERSION(6, 1, 0)": 0x060100, "KERNEL_VERSION(2, 6, 300)": 0x0206ff}
    lines = [code] + [f"#if ({k}) != {v}\n#error {k}\n#endif\n" for k, v in expected.items()]
    assert preprocess(snippet(tmp_path, "".join(lines)), profile)[1] == []


# --- the headers as a whole -------------------------------------------------------

def _declared_functions(ast: c_ast.FileAST) -> list[str]:
    names = [n.name for n in ast.ext
             if isinstance(n, c_ast.Decl) and isinstance(n.type, c_ast.FuncDecl)]
    return names + [n.decl.name for n in ast.ext if isinstance(n, c_ast.FuncDef)]


def _file_scope_names(ast: c_ast.FileAST) -> list[str]:
    """Functions, variables and typedefs (struct tags and enum constants aside)."""
    names = [n.name for n in ast.ext if isinstance(n, (c_ast.Decl, c_ast.Typedef)) and n.name]
    return names + [n.decl.name for n in ast.ext if isinstance(n, c_ast.FuncDef)]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("header", all_headers())
def test_each_header_stands_alone(tmp_path: Path, header: str, profile: str) -> None:
    parse(snippet(tmp_path, f"#include <{header}>\nint after;\n"), profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_all_headers_together_declare_each_name_once(tmp_path: Path, profile: str) -> None:
    ast = parse_all_headers(tmp_path, profile)
    assert len(_declared_functions(ast)) > 80
    names = _file_scope_names(ast)
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


PROFILE_ONLY = {
    "6.1": {"proc_create_single", "proc_remove", "strscpy", "kstrtoint", "kstrtoul",
            "timer_setup", "noop_llseek", "kmalloc_array", "vzalloc", "IS_ERR_OR_NULL"},
    "2.6.30": {"init_timer", "setup_timer"},
}
COMMON = {"printk", "kmalloc", "kzalloc", "kcalloc", "krealloc", "kfree", "kstrdup",
          "vmalloc", "vfree", "register_chrdev", "unregister_chrdev",
          "alloc_chrdev_region", "register_chrdev_region", "unregister_chrdev_region",
          "cdev_init", "cdev_alloc", "cdev_add", "cdev_del", "class_create",
          "class_destroy", "device_create", "device_destroy", "misc_register",
          "misc_deregister", "proc_create", "proc_mkdir", "remove_proc_entry",
          "seq_printf", "seq_puts", "seq_putc", "single_open", "single_release",
          "seq_read", "seq_lseek", "copy_to_user", "copy_from_user", "get_current",
          "schedule", "wake_up_process", "kthread_create", "kthread_run", "kthread_stop",
          "kthread_should_stop", "msleep", "ssleep", "udelay", "mdelay",
          "msecs_to_jiffies", "jiffies_to_msecs", "add_timer", "mod_timer", "del_timer",
          "del_timer_sync", "try_module_get", "module_put", "module_refcount",
          "IS_ERR", "PTR_ERR", "ERR_PTR", "ERR_CAST", "strlen", "strnlen", "strcpy",
          "strncpy", "strlcpy", "strcat", "strcmp", "strncmp", "strchr", "strrchr",
          "strstr", "memset", "memcpy", "memmove", "memcmp", "snprintf", "sprintf",
          "scnprintf", "no_llseek", "__kmodsim_bug", "__kmodsim_warn_on",
          "register_this", "unregister_this", "register_that", "unregister_that",
          "register_those", "unregister_those", "register_stuff", "unregister_stuff"}


@pytest.mark.parametrize("profile", PROFILES)
def test_each_profile_declares_its_own_api(tmp_path: Path, profile: str) -> None:
    names = set(_declared_functions(parse_all_headers(tmp_path, profile)))
    other = "2.6.30" if profile == "6.1" else "6.1"
    assert COMMON <= names
    assert PROFILE_ONLY[profile] <= names
    assert not PROFILE_ONLY[other] & names


STRUCTS = {
    "module": ["name", "state"],
    "__kmodsim_param": ["name", "type", "perm", "arg", "nump", "max"],
    "task_struct": {"pid", "comm"},
    "file": {"private_data", "f_pos", "f_op"},
    "inode": {"i_rdev", "i_private"},
    "seq_file": {"private"},
    "miscdevice": {"minor", "name", "fops"},
    "cdev": {"owner", "ops", "dev", "count"},
}


@pytest.mark.parametrize("profile", PROFILES)
def test_struct_layouts_the_kernel_relies_on(tmp_path: Path, profile: str) -> None:
    ast = parse_all_headers(tmp_path, profile)
    for tag, fields in STRUCTS.items():
        got = struct_fields(ast, tag)
        assert (got[:len(fields)] == fields) if isinstance(fields, list) else fields <= set(got)
    fops = set(struct_fields(ast, "file_operations"))
    assert {"owner", "llseek", "read", "write", "unlocked_ioctl", "open", "release"} <= fops
    assert ("ioctl" in fops) == (profile == "2.6.30")
    timer = struct_fields(ast, "timer_list")
    if profile == "6.1":
        assert {"expires", "function", "flags"} <= set(timer) and "data" not in timer
        assert {"proc_open", "proc_read", "proc_write", "proc_lseek",
                "proc_release"} <= set(struct_fields(ast, "proc_ops"))
    else:
        assert {"expires", "function", "data"} <= set(timer)
        with pytest.raises(KeyError):
            struct_fields(ast, "proc_ops")


def test_helper_macros_expand_to_plain_c(tmp_path: Path) -> None:
    """Macros the real kernel writes with typeof() or statement expressions."""
    code = """#include <linux/module.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
struct item { int v; struct list_head node; struct timer_list timer; };
static LIST_HEAD(items);
static int arr[5];
void f(struct timer_list *t, char __user *ubuf)
{
	struct item *it = from_timer(it, t, timer);
	struct item *pos, *n;
	char c;
	int m = max(ARRAY_SIZE(arr), 3) + min_t(int, -1, 2) + clamp(7, 0, 5);
	list_add_tail(&it->node, &items);
	list_for_each_entry(pos, &items, node)
		pos->v = m;
	list_for_each_entry_safe(pos, n, &items, node)
		list_del(&pos->node);
	if (WARN_ON(!it) || put_user('x', ubuf) || get_user(c, ubuf))
		return;
	BUG_ON(container_of(&it->node, struct item, node) != it);
	pr_info("%s %d\\n", current->comm, likely(m));
	might_sleep();
}
"""
    ast = parse(snippet(tmp_path, code), "6.1")
    body = func_def(ast, "f")
    assert called(body, "__kmodsim_warn_on") and called(body, "__kmodsim_bug")
    assert called(body, "__kmodsim_put_user") and called(body, "__kmodsim_get_user")
    assert called(body, "get_current") and called(body, "list_del")
