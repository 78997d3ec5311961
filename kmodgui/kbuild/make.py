"""`make`: module sources -> KoObject, with make/gcc/modpost's output.

Mirrors what `make -C /lib/modules/$(uname -r)/build M=$PWD modules` does
for an out-of-tree module: cc each object (cpp, parse, compile), link the
objects of a composite module (`NAME-objs := a.o b.o`), run modpost
(license, undefined symbols, section mismatches), write NAME.mod.c's
modinfo (depends, retpoline, name, vermagic, srcversion).
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from pycparser import c_ast, c_parser
from pycparser.c_parser import ParseError

from kmodgui import sandbox
from kmodgui.kbuild import modpost
from kmodgui.kbuild.compiler import KnownNodes, ModuleBuilder, TUCompiler, study
from kmodgui.kbuild.diagnostics import CompileError, Diagnostic, gcc_report
from kmodgui.kbuild.preprocess import MAX_TU_BYTES, preprocess
from kmodgui.kbuild.program import KoObject
from kmodgui.kbuild.sections import strip_markers
from kmodgui.kbuild.specials import apply_specials
from kmodgui.kbuild.values import normalize_escapes

#: Python frames the parser may descend (~8 per nested bracket: the
#: preprocessor's MAX_BRACKET_DEPTH of 256 needs ~2,000), counted from the
#: caller's depth so that where a deeper nesting stops does not depend on it.
PARSE_FRAMES = 20000
#: parsed include prefixes (see headercache) kept in memory
MAX_PARSED_PREFIXES = 8


@dataclass
class BuildResult:
    ok: bool
    ko: KoObject | None
    output: str                       # what make prints
    status: int                       # make's exit status
    diagnostics: list[Diagnostic] = field(default_factory=list)


def module_sources(srcdir: Path, modname: str) -> list[Path] | None:
    """The .c files of a module: NAME.c, or kbuild's `NAME-objs := a.o b.o`."""
    for mk in ("Kbuild", "Makefile"):
        text = sandbox.read_source(srcdir, mk)
        if text is not None:
            m = re.search(rf"^\s*{re.escape(modname)}-(?:objs|y)\s*[:+]?=\s*(.+)$", text, re.M)
            if m:
                # kbuild looks for an object's source in $(src) only: a name
                # that resolves outside the folder has no rule to make it
                return [srcdir / (o[:-2] + ".c") for o in m.group(1).split() if o.endswith(".o")]
    single = srcdir / f"{modname}.c"
    return [single] if sandbox.readable_file(srcdir, single.name) else None


def build(srcdir: Path, modname: str, profile, config: dict[str, bool],
          symvers: dict[str, str] | None = None) -> BuildResult:
    """Build one module.  `symvers` maps symbols exported by other modules
    of the folder (their Module.symvers) to the exporting module."""
    srcdir = Path(os.path.realpath(srcdir))
    sources = module_sources(srcdir, modname)
    out: list[str] = []
    if not sources or not all(_visible(srcdir, s) for s in sources):
        missing = next((_rel(srcdir, s) for s in sources or [] if not _visible(srcdir, s)),
                       f"{modname}.c")
        out.append(f"make[2]: *** No rule to make target '{missing[:-2]}.o', needed by "
                   f"'{modname}.o'.  Stop.")
        return BuildResult(False, None, "\n".join(out) + "\n", 2)
    kname = modname.replace("-", "_")
    mod = ModuleBuilder()
    diags: list[Diagnostic] = []
    texts: dict[str, str] = {}
    headers: dict[str, str] = {}          # the folder's headers, for gcc's source lines
    for src in sources:
        out.append(f"  CC [M]  {src.stem}.o")
        d = _compile_tu(mod, src, kname, profile, texts, headers)
        diags.extend(d)
        out.extend(_gcc_report(d, {**headers, **texts}))
        if any(x.severity not in ("warning", "note") for x in d):
            out.append(f"make[2]: *** [scripts/Makefile.build:250: {src.stem}.o] Error 1")
            out.append("make[1]: *** [Makefile:2012: M=.] Error 2")
            return BuildResult(False, None, "\n".join(out) + "\n", 2, diags)
    try:
        ko = _link(mod, kname, modname, sources, profile, config, texts)
    except CompileError as e:
        # what the loader's declarations cannot hold is cc1's error in the
        # last unit, as the real macros' type checks would give it
        d = e.all()
        out.extend(_gcc_report(d, {**headers, **texts}))
        out.append(f"make[2]: *** [scripts/Makefile.build:250: {sources[-1].stem}.o] Error 1")
        out.append("make[1]: *** [Makefile:2012: M=.] Error 2")
        return BuildResult(False, None, "\n".join(out) + "\n", 2, diags + d)
    out.append("  MODPOST Module.symvers")
    report = modpost.check(ko, mod, profile, symvers or {}, f"{modname}.o")
    out.extend(report.lines)
    if report.errors:
        out.append("make[2]: *** [scripts/Makefile.modpost:127: Module.symvers] Error 1")
        out.append("make[1]: *** [Makefile:2017: modpost] Error 2")
        return BuildResult(False, None, "\n".join(out) + "\n", 2, diags + report.diagnostics)
    out.append(f"  CC [M]  {modname}.mod.o")
    out.append(f"  LD [M]  {modname}.ko")
    return BuildResult(True, ko, "\n".join(out) + "\n", 0, diags + report.diagnostics)


def _visible(srcdir: Path, src: Path) -> bool:
    return sandbox.readable_file(srcdir, src) is not None


def _rel(srcdir: Path, src: Path) -> str:
    """An object's name as make prints it in 'No rule to make target'."""
    return os.path.relpath(os.path.normpath(src), os.path.normpath(srcdir))


def _compile_tu(mod: ModuleBuilder, src: Path, kname: str, profile,
                texts: dict[str, str], headers: dict[str, str]) -> list[Diagnostic]:
    text = sandbox.read_source(src.parent, src.name) or ""
    if len(text) > MAX_TU_BYTES:
        # kmodsim's bound (gcc has none): see MAX_TU_BYTES
        return [Diagnostic("cc1", 0, 0, "fatal error",
                           f"{src.name}: file too large (more than "
                           f"{MAX_TU_BYTES >> 20} MiB, kmodsim's limit)")]
    texts[src.name] = text
    major, minor, patch = (profile.version + (0, 0, 0))[:3]
    defines = {"KBUILD_MODNAME": f'"{kname}"', "MODULE": "1",
               "__KERNEL__": "1", "CONFIG_X86_64": "1",
               "KERNEL_VERSION(a,b,c)": "(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))",
               "LINUX_VERSION_CODE": str((major << 16) + (minor << 8) + patch)}
    pre = preprocess(src, text, defines)
    headers.update(pre.headers)
    if any(d.severity != "warning" for d in pre.diagnostics):
        return pre.diagnostics
    return pre.diagnostics + _cc1(mod, src, pre.text, text, pre.head)   # cpp's warnings first


@dataclass(frozen=True)
class _ParsedPrefix:
    """An include prefix's declarations, the names it leaves declared at
    file scope (typedef names True, others False) and its section markers."""
    ext: tuple[c_ast.Node, ...]
    scope: dict[str, bool]
    sections: dict[str, str]
    known: KnownNodes


_parsed: OrderedDict[str, _ParsedPrefix | None] = OrderedDict()


class _AfterPrefixParser(c_parser.CParser):
    """pycparser for the rest of a file, its file scope as the prefix left it
    (a name is a typedef name or not as the headers declared it)."""

    def __init__(self, scope: dict[str, bool]) -> None:
        super().__init__()
        self.prefix_scope = scope

    def _parse_translation_unit_or_empty(self) -> c_ast.FileAST:
        self._scope_stack = [dict(self.prefix_scope)]
        return super()._parse_translation_unit_or_empty()


def _parsed_prefix(text: str) -> _ParsedPrefix | None:
    """The include prefix's preprocessed text parsed once (None if it does
    not parse on its own: then the whole file is parsed)."""
    if text in _parsed:
        _parsed.move_to_end(text)
        return _parsed[text]
    clean, sections = strip_markers(normalize_escapes(text))
    parser = c_parser.CParser()
    try:
        ext = tuple(_parse(parser, clean, "").ext)
        known = study(ext)
    except (ParseError, RecursionError, ValueError, AssertionError):
        known = None
    done = None if known is None else _ParsedPrefix(ext, dict(parser._scope_stack[0]),
                                                    sections, known)
    _parsed[text] = done
    while len(_parsed) > MAX_PARSED_PREFIXES:
        _parsed.popitem(last=False)
    return done


def _unit_parser(preprocessed: str, head: int) -> tuple[c_parser.CParser, str, dict[str, str],
                                                        _ParsedPrefix | None]:
    """The parser for a unit and the text it is to parse: after the cached
    include prefix (`head` characters, parsed once) when there is one."""
    prefix = _parsed_prefix(preprocessed[:head]) if head else None
    if prefix is None:
        clean, sections = strip_markers(normalize_escapes(preprocessed))
        return c_parser.CParser(), clean, sections, None
    clean, sections = strip_markers(normalize_escapes(preprocessed[head:]))
    return _AfterPrefixParser(prefix.scope), clean, {**prefix.sections, **sections}, prefix


def _cc1(mod: ModuleBuilder, src: Path, preprocessed: str, text: str,
         head: int = 0) -> list[Diagnostic]:
    """Parse and compile one preprocessed translation unit."""
    parser, clean, sections, prefix = _unit_parser(preprocessed, head)
    try:
        ast = _parse(parser, clean, src.name)
    except ParseError as e:
        d = _parse_diag(str(e), src.name)
        return [_initializer_end(parser, d, text) or _missing_semicolon(d, text)]
    except RecursionError:
        return [_too_deep(parser, src.name)]
    except (ValueError, AssertionError) as e:
        return [Diagnostic(src.name, 0, 0, "error", f"cannot parse: {e}")]
    tu = TUCompiler(mod, src.name, sections)
    if prefix is not None:
        ast = c_ast.FileAST([*prefix.ext, *ast.ext], ast.coord)
        tu.known = prefix.known
    try:
        tu.compile_file(ast)
    except CompileError as e:
        return e.all()
    except RecursionError:
        return [Diagnostic(src.name, 0, 0, "error", "not supported: expression nested too deeply")]
    return tu.warnings


def _parse(parser: c_parser.CParser, text: str, name: str) -> c_ast.FileAST:
    depth, frame = 0, sys._getframe()
    while frame.f_back is not None:
        depth, frame = depth + 1, frame.f_back
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, depth + PARSE_FRAMES))
    try:
        return parser.parse(text, name)
    finally:
        sys.setrecursionlimit(old)


def _too_deep(parser: c_parser.CParser, fallback: str) -> Diagnostic:
    """Statements or expressions nested deeper than the parser's stack
    (kmodsim's limit; gcc has none), at the last token it read."""
    stream = parser._tokens
    tok = stream._buffer[stream._index - 1] if 0 < stream._index <= len(stream._buffer) else None
    file, line, col = (tok.filename or fallback, tok.lineno, tok.column) if tok else (fallback, 0, 0)
    return Diagnostic(file, line, col, "fatal error",
                      "statements or expressions nested too deeply (kmodsim's limit)")


def _parse_diag(msg: str, fallback: str) -> Diagnostic:
    """pycparser says 'hi.c:11:13: before: goto'; say it like gcc."""
    m = re.match(r"(.*?):(\d+):(\d+): (.*)", msg)
    if not m:
        return Diagnostic(fallback, 0, 0, "error", msg)
    file, line, col, rest = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
    tok = re.match(r"before: (.*)", rest)
    text = f"expected expression or ';' before '{tok.group(1)}'" if tok else rest
    if tok and tok.group(1) in ("}", ")", "]"):
        text = f"syntax error before '{tok.group(1)}'"
    return Diagnostic(file, line, col, "error", text)


_OPEN, _CLOSE = {"LPAREN": 0, "LBRACKET": 1, "LBRACE": 2}, {"RPAREN": 0, "RBRACKET": 1,
                                                         "RBRACE": 2}


def _initializer_end(parser: c_parser.CParser, d: Diagnostic, text: str) -> Diagnostic | None:
    """A file-scope declaration whose initializer is followed by a token that
    neither ends it nor starts another declarator (`= "license=" 1` from
    MODULE_LICENSE(1)): c_parser_declaration_or_fndef()'s "expected ',' or
    ';'", the token named as c_parse_error() names it."""
    stream = parser._tokens
    toks = stream._buffer[:stream._index]
    if len(toks) < 2 or toks[-1] is None or not _after_file_scope_equals(toks[:-1]):
        return None
    tok = toks[-1]
    if tok.type.startswith(("INT_CONST", "FLOAT_CONST", "HEX_FLOAT")):
        what = "numeric constant"
    elif tok.type == "STRING_LITERAL":
        what = "string constant"
    elif tok.type == "ID" or tok.value.isidentifier():
        what = f"'{tok.value}'"
    else:
        what = f"'{tok.value}' token"
    col = d.col
    lines = text.splitlines()
    if 0 < d.line <= len(lines):
        hits = [m.start() + 1 for m in
                re.finditer(rf"(?<![\w.]){re.escape(tok.value)}(?![\w.])", lines[d.line - 1])]
        col = hits[0] if len(hits) == 1 else col
    return Diagnostic(d.file, d.line, col, "error", f"expected ',' or ';' before {what}")


def _after_file_scope_equals(toks: list) -> bool:
    """The tokens end inside `= initializer` of a declaration outside any
    function body and outside any bracket of the initializer."""
    depth = [0, 0, 0]
    seen_equals = False
    for t in toks:
        if t is None:
            continue
        if t.type in _OPEN:
            depth[_OPEN[t.type]] += 1
        elif t.type in _CLOSE:
            depth[_CLOSE[t.type]] -= 1
        elif t.type == "SEMI" and depth == [0, 0, 0]:
            seen_equals = False
        elif t.type == "EQUALS" and depth == [0, 0, 0]:
            seen_equals = True
    return seen_equals and depth == [0, 0, 0]


def _missing_semicolon(d: Diagnostic, text: str) -> Diagnostic:
    """gcc points a forgotten ';' at the end of the previous line."""
    lines = text.splitlines()
    if not d.message.startswith("expected expression") or not 0 < d.line <= len(lines):
        return d
    if lines[d.line - 1][:max(d.col - 1, 0)].strip():
        return d
    j = d.line - 2
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j < 0 or lines[j].rstrip()[-1:] in (";", "{", "}", ":", ",") or \
            lines[j].lstrip().startswith("#"):
        return d
    tok = d.message.rsplit("before ", 1)[-1]
    return Diagnostic(d.file, j + 1, len(lines[j].rstrip()) + 1, "error",
                      f"expected ';' before {tok}")


def _gcc_report(diags: list[Diagnostic], texts: dict[str, str]) -> list[str]:
    return gcc_report(diags, texts)


def _drop_unused_inlines(mod: ModuleBuilder) -> None:
    """gcc emits no code for a static inline function nothing calls or takes
    the address of (the headers' atomic_*, list_*, sysfs_create_file
    helpers): drop those, so they take no room in the module's text and
    what only they call is no undefined symbol of the module (sysfs.h's
    sysfs_create_file() names sysfs_create_file_ns, yet a module that never
    calls it has no such reference)."""
    dropped: set[str] = set()
    while True:
        used = {n for fn in mod.functions.values() for n in fn.calls}
        used |= {key.name for kind, key in mod.slots if kind == "func"}
        unused = [n for n, fn in mod.functions.items() if fn.inline and n not in used]
        if not unused:
            break
        for n in unused:
            dropped |= mod.functions.pop(n).calls
    called = {n for fn in mod.functions.values() for n in fn.calls}
    addressed = {key for kind, key in mod.slots if kind == "sym"}
    mod.referenced -= {n for n in dropped if n not in called and n not in addressed}


def _link(mod: ModuleBuilder, kname: str, modname: str, sources: list[Path],
          profile, config: dict[str, bool], texts: dict[str, str]) -> KoObject:
    _drop_unused_inlines(mod)
    ko = KoObject(name=kname, filename=f"{modname}.ko", sources=[s.name for s in sources],
                  functions=mod.functions, globals=mod.globals, slots=mod.slots,
                  modinfo=[], exports={}, undefined=[], params=[], init=None, exit=None,
                  gotos=mod.gotos, structs=mod.structs, source_text=texts,
                  units=mod.units)
    apply_specials(ko, mod)
    ko.undefined = sorted(n for n in mod.referenced
                          if n not in mod.functions and n not in mod.global_by_name)
    ko.vermagic = vermagic(profile, config)
    ko.has_versions = bool(config.get("MODVERSIONS"))
    if ko.info("version") or config.get("MODULE_SRCVERSION_ALL"):
        digest = hashlib.md5("".join(texts[s.name] for s in sources).encode()).hexdigest()
        ko.srcversion = digest[:24].upper()
    _modinfo_tail(ko, profile)
    return ko


def vermagic(profile, config: dict[str, bool]) -> str:
    """VERMAGIC_STRING: release + SMP/preempt + mod_unload + modversions."""
    parts = [profile.release, "SMP"]
    if profile.kernel.get("preempt_in_vermagic", False):
        parts.append("preempt")
    if config.get("MODULE_UNLOAD"):
        parts.append("mod_unload")
    if config.get("MODVERSIONS"):
        parts.append("modversions")
    return " ".join(parts) + " "


def _modinfo_tail(ko: KoObject, profile) -> None:
    """What modpost writes into NAME.mod.c after the module's own entries."""
    user = list(reversed(ko.modinfo))     # gcc emits them in reverse order
    tail: list[tuple[str, str]] = []
    if ko.srcversion:
        tail.append(("srcversion", ko.srcversion))
    tail.append(("depends", ""))          # filled in by modpost.check
    if profile.kernel.get("modinfo_retpoline", False):
        tail.append(("retpoline", "Y"))
    if profile.kernel.get("modinfo_name", False):
        tail.append(("name", ko.name))
    tail.append(("vermagic", ko.vermagic))
    ko.modinfo = user + tail
