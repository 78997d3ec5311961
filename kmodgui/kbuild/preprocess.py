"""cpp for modules, sandboxed and bounded: the simulator's headers and the
module's folder, gcc's limits and some of kmodsim's own.

The real kbuild runs gcc's preprocessor with -nostdinc and the kernel's own
include directories; the simulator does the same with pcpp and its own
simplified headers (resources/include).  Module code is untrusted: an
include that resolves outside those two folders is "not found", exactly as
if the file did not exist.  Every file is checked by `cpplex.scan` first
(comments and literals end, no NULs, no giant tokens), the include depth is
libcpp's, and the work of lexing and macro expansion is bounded
(`MAX_TOKENS`), so cpp ends within seconds whatever the input; whatever pcpp
itself raises on odd input is reported at the line it was reading.
"""
from __future__ import annotations

import copy
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from pcpp import Preprocessor
from pcpp.parser import Action, OutputDirective

from kmodgui import INCLUDE_DIR
from kmodgui.kbuild import cpplex, headercache
from kmodgui.kbuild.headercache import PrefixState
from kmodgui.kbuild.diagnostics import Diagnostic
from kmodgui.kbuild.values import short_number

#: libcpp's default -fmax-include-depth (max_include_depth in c.opt),
#: checked in do_include_common(): the main file is depth 1.
MAX_INCLUDE_DEPTH = 200
#: kmodsim's limit (gcc has none) on preprocessing tokens one translation
#: unit may lex or produce by macro replacement: some 40 times a sample
#: module with its headers, about 1.5 s of pcpp.
MAX_TOKENS = 200_000
#: kmodsim's limit (gcc has none) on the bytes one translation unit reads
#: from the module folder: its .c and the folder's headers it includes.
MAX_TU_BYTES = 1 << 20
#: clang's default -fbracket-depth (gcc has no limit and crashes near 50,000).
MAX_BRACKET_DEPTH = 256
#: kmodsim's limit on the tokens of the preprocessed text handed to the parser.
MAX_OUTPUT_TOKENS = 100_000

_OPEN, _CLOSE = "([{", ")]}"
_NAMED = ("define", "undef", "ifdef", "ifndef")


@dataclass
class Preprocessed:
    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)   # module-folder headers read
    #: the length of `text`'s leading part that is the cached include prefix
    head: int = 0


class _Fatal(Exception):
    """cpp stops: the diagnostics so far are the whole report."""


class _SandboxedCpp(Preprocessor):
    def __init__(self, roots: list[Path], display_dir: Path) -> None:
        super().__init__()
        self.roots = [str(r.resolve()) for r in roots]
        self.display_dir = display_dir
        self.diags: list[Diagnostic] = []
        self.line_directive = "#line"
        self.compress = 0
        # __FILE__ and #line show 'hi.c' and 'linux/slab.h', never host paths
        self.rewrite_paths = [(re.escape(r + os.sep) + "(.*)", r"\1") for r in self.roots]
        self.texts: dict[str, str] = {}          # shown name -> text pcpp lexed
        self.quotes: dict[tuple[str, int, int], str] = {}
        self.stack: list[tuple[str, int]] = []   # the #include lines being read
        self.work = 0                            # tokens lexed or made by expansion
        self.out_tokens = 0
        self.brackets = 0
        self.bytes_read = 0
        self.headers: dict[str, str] = {}
        self.where: tuple[str, int] = ("?", 0)   # the line pcpp was last given
        self._expanding = 0
        self.quoted_include = False              # a #include "..." or a computed one
        #: the main file's first lines, already counted (headercache's prefix)
        self.counted: tuple[str, int] = ("", 0)

    # -- files ------------------------------------------------------------------
    def _allowed(self, path: str) -> bool:
        try:
            real = os.path.realpath(path)
        except (OSError, ValueError):
            return False
        return any(real == r or real.startswith(r + os.sep) for r in self.roots)

    def on_file_open(self, is_system_include: bool, includepath: str) -> io.StringIO:
        if not self._allowed(includepath) or not os.path.isfile(includepath):
            raise IOError(f"{includepath}: outside the include path")
        data = _read(includepath)
        if not os.path.realpath(includepath).startswith(str(INCLUDE_DIR.resolve()) + os.sep):
            # the module folder's own headers (untrusted) count against the bound
            self.bytes_read += len(data)
            if self.bytes_read > MAX_TU_BYTES:
                self._fatal(*self.where, 0, f"{self._short(includepath)}: file too large "
                            f"(the translation unit reads more than {MAX_TU_BYTES >> 20} MiB, "
                            "kmodsim's limit)")
            self.headers[self._short(includepath)] = data
        return io.StringIO(self.scanned(data, includepath))

    def scanned(self, text: str, path: str) -> str:
        """`text` (the file at `path`) checked by cpplex.scan, as pcpp is to read it."""
        result = cpplex.scan(text, self._short(path))
        self.diags.extend(Diagnostic(d.file, d.line, d.col, d.severity, d.message,
                                     span=d.span, included_from=self._chain())
                          for d in result.diagnostics)
        name = self._rewritten(path)
        for (line, col), quote in result.quotes.items():
            self.quotes[(name, line, col)] = quote
        if result.fatal:
            raise _Fatal()
        return result.text

    def _rewritten(self, path: str) -> str:
        """The name pcpp gives a file's tokens (rewrite_paths)."""
        for root in self.roots:
            if path.startswith(root + os.sep):
                return path[len(root) + 1:]
        return path

    def group_lines(self, input: str, abssource: str) -> Iterator[list[Any]]:
        self.texts[abssource] = "\n".join(x.rstrip() for x in input.splitlines())
        counted = abssource == self.counted[0]
        for line in super().group_lines(input, abssource):
            self.where = (abssource, line[0].lineno)
            if not (counted and line[0].lineno <= self.counted[1]):
                self._spend(len(line))
            yield line

    # -- #include -----------------------------------------------------------------
    def include(self, tokens: list[Any], original_line: list[Any]) -> Iterator[Any]:
        """do_include_common(): past MAX_INCLUDE_DEPTH the directive is an
        error and is skipped; a NUL ends the file name, as cpp's C strings do."""
        if not tokens:
            d = self.lastdirective
            self.diags.append(self._diag(d.source, d.lineno, self._col(d) + len(d.value),
                                         "error", '#include expects "FILENAME" or <FILENAME>'))
            return
        first = tokens[0]
        self.quoted_include |= first.value != "<"
        if self.include_depth >= MAX_INCLUDE_DEPTH:
            col = len(self._line_text(first.source, first.lineno)) + 1
            self.diags.append(self._diag(first.source, first.lineno, col, "error",
                                         f"#include nested depth {self.include_depth} exceeds "
                                         f"maximum of {MAX_INCLUDE_DEPTH} (use "
                                         "-fmax-include-depth=DEPTH to increase the maximum)"))
            return
        if first.type == self.t_STRING and "\0" in first.value:
            self.diags.append(self._diag(first.source, first.lineno, self._col(first), "warning",
                                         "null character(s) preserved in literal"))
            first = copy.copy(first)
            first.value = first.value[:first.value.index("\0")] + '"'
            tokens = [first, *tokens[1:]]
        self.stack.append((first.source, first.lineno))
        try:
            yield from super().include(tokens, original_line)
        finally:
            self.stack.pop()

    def on_include_not_found(self, is_malformed, is_system_include, curdir, includepath):
        # gcc: "hi.c:3:10: fatal error: foo.h: No such file or directory",
        # the caret under the whole header name
        d = self.lastdirective
        line = self._line_text(d.source, d.lineno)
        m = re.compile(r'\s*("[^"]*"?|<[^>]*>?|\S+)').match(line, self._col(d) + len(d.value) - 1)
        col, span = (m.start(1) + 1, len(m.group(1))) if m else (0, 1)
        reading = self.stack.pop() if self.stack else None   # the includer is not included
        try:
            if is_malformed:
                self.diags.append(self._diag(d.source, d.lineno, col, "error",
                                             '#include expects "FILENAME" or <FILENAME>'))
                return None
            self._fatal(d.source, d.lineno, col, f"{includepath}: No such file or directory",
                        span=span)
        finally:
            if reading is not None:
                self.stack.append(reading)

    # -- directives ----------------------------------------------------------------
    def on_directive_handle(self, directive, toks, ifpassthru, precedingtoks):
        """The checks libcpp makes of a directive's operands (lex_macro_node(),
        do_if()) that pcpp does not make and fails on."""
        super().on_directive_handle(directive, toks, ifpassthru, precedingtoks)
        name = directive.value
        if name in _NAMED and (not toks or toks[0].type != self.t_ID or
                               (toks[0].value == "defined" and name in ("define", "undef"))):
            toks[:1] = [self._unnamed(directive, toks)]
        elif name in ("if", "elif") and not toks:
            toks.append(self._mark(directive, f"#{name} with no expression",
                                   self._col(directive) + len(name)))
        elif name == "pragma" and not toks:
            # do_pragma(): no namespace, no name; -Wall warns of it
            self.diags.append(self._diag(directive.source, directive.lineno, 0, "warning",
                                         "ignoring '#pragma  ' [-Wunknown-pragmas]"))
            raise _ignore()
        return True

    def _unnamed(self, directive, toks: list[Any]) -> Any:
        """A stand-in name that is never defined; it reports libcpp's error
        if pcpp acts on the directive (in a group not skipped)."""
        if not toks:
            return self._mark(directive, f"no macro name given in #{directive.value} directive",
                              self._col(directive) + len(directive.value))
        if toks[0].value == "defined":
            return self._mark(toks[0], '"defined" cannot be used as a macro name',
                              self._col(toks[0]), span=len("defined"))
        return self._mark(toks[0], "macro names must be identifiers", self._col(toks[0]),
                          span=len(toks[0].value))

    def _mark(self, tok, message: str, col: int, span: int = 1) -> Any:
        mark = copy.copy(tok)
        mark.type, mark.value = self.t_ID, "\ue001"
        mark.kmodsim_error = self._diag(tok.source, tok.lineno, col, "error", message, span)
        return mark

    def _report_mark(self, tok) -> bool:
        diag = getattr(tok, "kmodsim_error", None)
        if diag is None:
            return False
        self.diags.append(diag)
        self.return_code += 1
        return True

    def define(self, tokens):
        if not isinstance(tokens, str) and tokens and self._report_mark(tokens[0]):
            return None
        if not isinstance(tokens, str) and (bad := self._empty_parameter(tokens)):
            self.diags.append(bad)
            self.return_code += 1
            return None
        return super().define(tokens)

    def _empty_parameter(self, tokens: list[Any]) -> Diagnostic | None:
        """parse_params(): a parameter list with an empty slot, `F(x, )`."""
        if len(tokens) < 2 or tokens[1].value != "(":
            return None
        prev = "("
        for tok in tokens[2:]:
            if tok.type in self.t_WS:
                continue
            if prev in "(," and tok.value in ",)" and not (prev == "(" and tok.value == ")"):
                return self._diag(tok.source, tok.lineno, self._col(tok), "error",
                                  f'expected parameter name, found "{tok.value}"')
            if tok.value == ")":
                return None
            prev = tok.value
        return None

    def undef(self, tokens):
        if not isinstance(tokens, str) and tokens and self._report_mark(tokens[0]):
            return None
        return super().undef(tokens)

    def on_unknown_macro_in_defined_expr(self, tok):
        if self._report_mark(tok):
            # do_ifdef()/do_ifndef() skip the group when the name is missing
            return self._ifndef_pending()
        return super().on_unknown_macro_in_defined_expr(tok)

    def _ifndef_pending(self) -> bool:
        return getattr(self.lastdirective, "value", "") == "ifndef"

    def evalexpr(self, tokens):
        if tokens and self._report_mark(tokens[0]):
            return 0, None
        return super().evalexpr([self._short_number(t) for t in tokens])

    def _short_number(self, tok):
        """An integer of more than 64 characters in #if, as cc1 is given it
        (values.short_number: pcpp's evaluator takes minutes on a million
        digits), with cpp_interpret_integer()'s pedwarn."""
        if tok.type != self.t_INTEGER or len(str(tok.value)) <= 64:
            return tok
        self.diags.append(self._diag(tok.source, tok.lineno, self._col(tok), "warning",
                                     "integer constant is too large for its type",
                                     span=len(str(tok.value))))
        short = copy.copy(tok)
        short.value = short_number(str(tok.value))
        return short

    def on_error(self, file, line, msg):
        col, msg, span = self._gcc_words(msg)
        self.diags.append(self._diag(file, line, col, "error", msg, span))
        self.return_code += 1

    def _gcc_words(self, msg: str) -> tuple[int, str, int]:
        """pcpp's message in libcpp's words, where they are known (directives.cc,
        macro.cc, expr.cc), with the column of the directive they concern."""
        d = getattr(self, "lastdirective", None)
        if (m := re.match(r"Misplaced #(\w+)", msg)) and d is not None:
            return self._col(d), f"#{m.group(1)} without #if", len(m.group(1))
        if m := re.match(r"Unterminated #\s*(\w+)", msg):
            return 0, f"unterminated #{m.group(1)}", 1
        if m := re.match(r"Macro (\w+) requires (\d+) arguments but was passed (\d+)", msg):
            name, want, got = m.groups()
            few = "only " if int(got) < int(want) else ""
            return 0, (f'macro "{name}" requires {want} arguments, but {few}{got} given'
                       if few else f'macro "{name}" passed {got} arguments, but takes just {want}'), 1
        if "ZeroDivisionError" in msg:
            return 0, "division by zero in #if", 1
        if m := re.match(r"Could not evaluate expression .*\(passed to evaluator: '(.*)'\)", msg):
            return 0, f"invalid #if expression '{m.group(1)}'", 1
        return 0, msg, 1

    def on_directive_unknown(self, directive, toks, ifpassthru, precedingtoks):
        # #error and #warning, as cpp reports them
        if directive.value in ("error", "warning"):
            text = "".join(t.value for t in toks).strip()
            sev = "error" if directive.value == "error" else "warning"
            self.diags.append(self._diag(directive.source, directive.lineno, 2,
                                         sev, f"#{directive.value} {text}"))
            if sev == "error":
                self.return_code += 1
            return None
        return super().on_directive_unknown(directive, toks, ifpassthru, precedingtoks)

    def on_unknown_macro_in_expr(self, ident):
        return 0  # C: an unknown identifier in #if is 0

    # -- bounds -----------------------------------------------------------------
    def expand_macros(self, tokens, expanding_from=[]):
        """Every replacement list pcpp builds counts against MAX_TOKENS: a
        macro that doubles at each level (M1 is M0 M0, ...) stops there, at
        the line that uses it (pcpp's linemacro)."""
        self._expanding += 1
        try:
            out = super().expand_macros(tokens, expanding_from)
        finally:
            self._expanding -= 1
        if self._expanding:
            self._spend(len(out), (self.source, self.linemacro, expanding_from[:1]))
        return out

    def _spend(self, n: int, site: tuple[str, int, list[str]] | None = None) -> None:
        self.work += n
        if self.work <= MAX_TOKENS:
            return
        file, line, names = site or (*self.where, [])
        col = self._line_text(file, line).find(names[0]) + 1 if names else 0
        self._fatal(file, line, max(col, 0), f"more than {MAX_TOKENS} preprocessing tokens "
                    "lexed or produced by macro expansion (kmodsim's limit)")

    def token(self):
        """The preprocessed tokens, as the parser will see them."""
        tok = super().token()
        if tok is None or tok.type in self.t_WS:
            return tok
        if tok.value == cpplex.UNTERMINATED:
            self._unterminated(tok)
        self.out_tokens += 1
        if self.out_tokens > MAX_OUTPUT_TOKENS:
            self._fatal(tok.source, tok.lineno, self._col(tok),
                        f"preprocessed source of more than {MAX_OUTPUT_TOKENS} tokens "
                        "(kmodsim's limit)")
        if tok.value in _OPEN:
            self.brackets += 1
            if self.brackets > MAX_BRACKET_DEPTH:
                self._fatal(tok.source, tok.lineno, self._col(tok),
                            f"bracket nesting level exceeded maximum of {MAX_BRACKET_DEPTH}")
        elif tok.value in _CLOSE:
            self.brackets = max(self.brackets - 1, 0)
        return tok

    def _unterminated(self, tok) -> None:
        """lex_raw_string()/lex_string(): a literal that does not end on its
        line; cc1 warns as cpp does, then the parser's error stops it."""
        col = self._col(tok)
        quote = self.quotes.get((tok.source, tok.lineno, col), '"')
        message = f"missing terminating {quote} character"
        self.diags.append(self._diag(tok.source, tok.lineno, col, "warning", message))
        self._fatal(tok.source, tok.lineno, col, message, severity="error")

    def _fatal(self, file: str, line: int, col: int, message: str,
               severity: str = "fatal error", span: int = 1) -> NoReturn:
        self.diags.append(self._diag(file, line, col, severity, message, span))
        raise _Fatal()

    # -- where ------------------------------------------------------------------
    def _text(self, file: str | None) -> str | None:
        if not file:
            return None
        return self.texts.get(file, self.texts.get(self._rewritten(file)))

    def _line_text(self, file: str | None, line: int) -> str:
        lines = (self._text(file) or "").split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def _col(self, tok) -> int:
        """The column of a token read from a file (0 for one a macro made)."""
        text = self._text(getattr(tok, "source", None))
        if text is None or getattr(tok, "expanded_from", None):
            return 0
        pos = getattr(tok, "lexpos", -1)
        if not 0 <= pos <= len(text):
            return 0
        return pos - (text.rfind("\n", 0, pos) + 1) + 1

    def _diag(self, file: str | None, line: int, col: int, severity: str, message: str,
              span: int = 1) -> Diagnostic:
        return Diagnostic(self._short(file), line, col, severity, message, span=span,
                          included_from=self._chain())

    def _chain(self) -> tuple[tuple[str, int], ...]:
        """gcc's "In file included from" lines, innermost first."""
        return tuple((self._short(f), n) for f, n in reversed(self.stack))

    def _short(self, file: str | None) -> str:
        if not file:
            return "?"
        if not os.path.isabs(file):
            return file                 # already rewritten: 'hi.c', 'linux/slab.h'
        p = Path(file)
        try:
            return str(p.resolve().relative_to(INCLUDE_DIR.resolve()))
        except (ValueError, OSError):
            return p.name



def _ignore() -> OutputDirective:
    return OutputDirective(Action.IgnoreAndRemove)


def _read(path: str) -> str:
    """A header as cpp reads it: bytes that are not UTF-8 pass as U+FFFD
    (gcc copies them through; in a comment they do not matter)."""
    with open(path, "rb") as f:
        data = f.read(MAX_TU_BYTES + 1)
    text = data.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def preprocess(path: Path, text: str, defines: dict[str, str]) -> Preprocessed:
    """Run cpp over one translation unit; file names in #line are basenames
    (headers relative to the include dir) so nothing of the host shows.
    A leading run of `#include <...>` lines is taken from headercache."""
    lines, names = headercache.include_prefix(text) if headercache.enabled() else (0, ())
    if names:
        key = headercache.index_key(names, defines)
        state = headercache.lookup(key, defines)
        if state is None and (state := _prefix_state(path, text, defines, lines)) is not None:
            headercache.store(key, state)
        if state is not None:
            return _after_prefix(path, text, defines, lines, state)
    cpp = _new_cpp(path, text, defines)
    out = io.StringIO()
    try:
        cpp.parse(cpp.scanned(text, str(path.resolve())), str(path.resolve()))
        cpp.write(out)
    except _Fatal:
        return _stopped(cpp, path, text)
    except (RecursionError, MemoryError):
        raise
    except Exception as e:          # pcpp's own failure on odd input
        cpp.diags.append(_pcpp_failed(cpp, e))
        return _stopped(cpp, path, text)
    return Preprocessed(_clean_line_directives(out.getvalue(), path), cpp.diags, cpp.headers)


def _new_cpp(path: Path, text: str, defines: dict[str, str]) -> _SandboxedCpp:
    cpp = _SandboxedCpp([INCLUDE_DIR, path.parent], path.parent)
    cpp.add_path(str(INCLUDE_DIR))
    for name, value in defines.items():
        cpp.define(f"{name} {value}")
    cpp.bytes_read = len(text)
    return cpp


def _after_prefix(path: Path, text: str, defines: dict[str, str], lines: int,
                  state: PrefixState) -> Preprocessed:
    """The rest of the file, preprocessed from the state its include
    prefix leaves (the prefix's lines blank, so lines and columns stay)."""
    cpp = _new_cpp(path, text, defines)
    for name, macro in state.macros.items():
        if macro is None:
            cpp.macros.pop(name, None)
        else:
            cpp.macros[name] = macro
    cpp.include_once.update(state.include_once)
    cpp.texts.update(state.texts)
    cpp.work, cpp.out_tokens, cpp.brackets = state.work, state.out_tokens, state.brackets
    main = str(path.resolve())
    cpp.counted = (cpp._rewritten(main), lines)
    rest = "\n" * lines + text.split("\n", lines)[lines]
    out = io.StringIO()
    try:
        cpp.parse(cpp.scanned(rest, main), main)
        cpp.write(out)
    except _Fatal:
        return _stopped(cpp, path, text)
    except (RecursionError, MemoryError):
        raise
    except Exception as e:          # pcpp's own failure on odd input
        cpp.diags.append(_pcpp_failed(cpp, e))
        return _stopped(cpp, path, text)
    head = _clean_line_directives(state.output, path)
    tail = out.getvalue()
    body = head + _clean_line_directives(tail, path) if tail else head
    return Preprocessed(body, cpp.diags, cpp.headers, head=len(head))


class _Watched(dict):
    """The macro table, noting which of `names` (the -D macros) cpp asks about."""

    def __init__(self, table: dict[str, Any], names: set[str]) -> None:
        super().__init__(table)
        self.names = names
        self.asked: set[str] = set()

    def __contains__(self, name: object) -> bool:
        if name in self.names:
            self.asked.add(name)
        return super().__contains__(name)

    def __getitem__(self, name: str) -> Any:
        if name in self.names:
            self.asked.add(name)
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        if name in self.names:
            self.asked.add(name)
        return super().get(name, default)


def _prefix_state(path: Path, text: str, defines: dict[str, str],
                  lines: int) -> PrefixState | None:
    """cpp over the include prefix alone; None unless it read only the
    simulator's headers and said nothing (then the whole file is run)."""
    cpp = _new_cpp(path, text, defines)
    names = {n.partition("(")[0] for n in defines}
    before = dict(cpp.macros)
    cpp.macros = watched = _Watched(cpp.macros, names)
    main = str(path.resolve())
    out = io.StringIO()
    try:
        cpp.parse(cpp.scanned("\n".join(text.split("\n")[:lines]) + "\n", main), main)
        cpp.write(out)
    except Exception:
        return None
    output = out.getvalue()
    if cpp.diags or cpp.headers or cpp.return_code or cpp.quoted_include \
            or not output.endswith("\n"):
        return None
    shown = {main, cpp._rewritten(main)}
    asked = set(watched.asked)
    after = dict(watched)
    macros: dict[str, Any] = {n: m for n, m in after.items()
                              if before.get(n) is not m and n != "__FILE__"}
    macros.update({n: None for n in before if n not in after})
    return PrefixState(output, macros,
                       {k: v for k, v in cpp.include_once.items() if k not in shown},
                       {k: v for k, v in cpp.texts.items() if k not in shown},
                       cpp.work, cpp.out_tokens, cpp.brackets,
                       {n: v for n, v in defines.items() if n.partition("(")[0] in asked})


def _stopped(cpp: _SandboxedCpp, path: Path, text: str) -> Preprocessed:
    return Preprocessed("", cpp.diags, cpp.headers)


def _pcpp_failed(cpp: _SandboxedCpp, e: Exception) -> Diagnostic:
    file, line = cpp.where
    return Diagnostic(cpp._short(file), line, 0, "fatal error",
                      "kmodsim's preprocessor (pcpp) cannot handle this line "
                      f"({type(e).__name__})", included_from=cpp._chain())


def _clean_line_directives(text: str, path: Path) -> str:
    """Rewrite #line file names: the module's own files by basename,
    headers as <linux/x.h> paths relative to the include dir."""
    inc = str(INCLUDE_DIR.resolve())
    out = []
    for line in text.splitlines():
        if line.startswith("#line ") and '"' in line:
            num, _, rest = line[6:].partition(" ")
            name = rest.strip().strip('"')
            if not os.path.isabs(name):
                shown = name                      # already rewritten by rewrite_paths
            elif os.path.realpath(name).startswith(inc + os.sep):
                shown = os.path.relpath(os.path.realpath(name), inc)
            else:
                shown = os.path.basename(name)
            line = f'#line {num} "{shown}"'
        out.append(line)
    return "\n".join(out) + "\n"

