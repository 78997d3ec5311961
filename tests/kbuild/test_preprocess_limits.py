"""Untrusted module sources against the preprocessor and the build: odd
directives, bytes that are not text, self-inclusion, exploding macros, giant
literals and deep nesting end in a gcc-style diagnostic, never in kmodsim's
internal error, a traceback or a hang.

Ground truth: tests/kbuild/limits/*/ built by the real Debian 6.1 kbuild
(gcc-12, linux-headers-6.1.0-56-amd64, `LANG=C LC_ALL=C make` in the
folder), recorded under tests/kbuild/real/limits/.  For
source_includes_itself the real stderr is 18,934 lines (cc1 goes on after
the include-depth errors and reports the cascade); its first 208 lines,
stored, are the include chain and the three depth errors of hi.c, which is
where kmodsim stops.  The bounds gcc does not have (tokens, bytes, bracket
depth, parser depth) are kmodsim's own, documented in the README."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import HERE, internal_error, recorded, simulated

from kmodgui.kbuild import build, cpplex, preprocess
from kmodgui.kernel.kconfig import Kconfig
from kmodgui.kernel.profile import load_profile

CASES = sorted(p.name for p in (HERE / "limits").iterdir() if p.is_dir())
HEAD_ONLY = {"source_includes_itself": 208}

HI = ('#include <linux/module.h>\n'
      'static int __init t_init(void) { return 0; }\n'
      'static void __exit t_exit(void) { }\n'
      'module_init(t_init);\nmodule_exit(t_exit);\nMODULE_LICENSE("GPL");\n')


@pytest.mark.parametrize("name", CASES)
def test_builds_as_the_real_kbuild(tmp_path: Path, name: str) -> None:
    sim = simulated(HERE / "limits" / name, tmp_path)
    assert not internal_error(sim)
    if name in HEAD_ONLY:
        base = HERE / "real" / "limits" / name
        head = Path(f"{base}.stderr.head").read_text().splitlines()
        assert sim.stderr.splitlines()[:HEAD_ONLY[name]] == head
        assert (sim.stdout, sim.status) == (Path(f"{base}.stdout").read_text(),
                                            int(Path(f"{base}.status").read_text()))
        return
    assert sim == recorded("limits", name)


def _build(tmp_path: Path, source: str | bytes, **files: str) -> object:
    folder = tmp_path / "m"
    folder.mkdir()
    data = source.encode() if isinstance(source, str) else source
    (folder / "t.c").write_bytes(data)
    for fname, text in files.items():
        (folder / fname).write_text(text)
    prof = load_profile("6.1")
    return build(folder, "t", prof, Kconfig.for_profile(prof).defaults())


def _only_error(result) -> str:
    """The build failed with gcc-style diagnostics; the first non-warning one."""
    assert not result.ok and result.status == 2
    assert "Traceback" not in result.output and "internal error" not in result.output
    return next(str(d) for d in result.diagnostics if d.severity != "warning")


def test_doubling_macros_stop_at_the_token_bound(tmp_path: Path) -> None:
    """M29 would be 2**30 tokens (gcc writes them all); kmodsim stops at its
    bound, at the line that uses the macro."""
    src = "#define M0 x x\n" + "".join(f"#define M{i} M{i - 1} M{i - 1}\n" for i in range(1, 30))
    r = _build(tmp_path, src + "int v = M29;\n" + HI)
    assert _only_error(r) == (f"t.c:31:9: fatal error: more than {preprocess.MAX_TOKENS} "
                              "preprocessing tokens lexed or produced by macro expansion "
                              "(kmodsim's limit)")


def test_a_macro_below_the_bound_still_expands(tmp_path: Path) -> None:
    src = "#define M0 1 +\n" + "".join(f"#define M{i} M{i - 1} M{i - 1}\n" for i in range(1, 8))
    r = _build(tmp_path, src + "static int v = M7 1;\n" + HI)
    assert r.ok, r.output


@pytest.mark.parametrize("literal, col", [
    ('"' + "a" * 500_000 + '"', 16),
    ("'" + "a" * 100_000 + "'", 16),
])
def test_giant_literals_are_refused(tmp_path: Path, literal: str, col: int) -> None:
    r = _build(tmp_path, f"static int n = {literal};\n" + HI)
    assert _only_error(r) == (f"t.c:1:{col}: fatal error: literal longer than "
                              f"{cpplex.MAX_TOKEN_CHARS} characters (kmodsim's limit)")


@pytest.mark.parametrize("open_, close", [("(", ")"), ("{", "}"), ("[", "]")])
def test_deep_brackets_stop_at_clangs_bound(tmp_path: Path, open_: str, close: str) -> None:
    """gcc has no bound (it crashes near 50,000 parentheses); the limit and
    its words are clang's -fbracket-depth default."""
    inner = "static int n = " + open_ * 50_000 + "1" + close * 50_000 + ";\n"
    r = _build(tmp_path, inner + HI)
    msg = _only_error(r)
    assert msg == f"t.c:1:{16 + 256}: fatal error: bracket nesting level exceeded maximum of 256"


@pytest.mark.parametrize("body", ["if (1) " * 15_000 + "return 0;", "return " + "- " * 30_000 + "0;"])
def test_deep_statements_are_the_parsers_bound(tmp_path: Path, body: str) -> None:
    src = ("#include <linux/module.h>\nstatic int __init t_init(void) {\n" + body +
           " }\nstatic void __exit t_exit(void) { }\nmodule_init(t_init);\n"
           "module_exit(t_exit);\nMODULE_LICENSE(\"GPL\");\n")
    msg = _only_error(_build(tmp_path, src))
    assert msg.startswith("t.c:3:") and msg.endswith(
        "fatal error: statements or expressions nested too deeply (kmodsim's limit)")


def test_too_many_tokens(tmp_path: Path) -> None:
    body = "".join(f"static int v{i} = {i};\n" for i in range(25_000))
    msg = _only_error(_build(tmp_path, "#include <linux/module.h>\n" + body))
    assert msg.endswith(f"fatal error: more than {preprocess.MAX_TOKENS} preprocessing tokens "
                        "lexed or produced by macro expansion (kmodsim's limit)")


def test_too_many_output_tokens(tmp_path: Path) -> None:
    """A table of 60,000 numbers (no whitespace between tokens): within the
    lexing bound, over the bound on what the parser is given."""
    table = "static int a[] = {" + ",".join(["1"] * 60_000) + "};\n"
    msg = _only_error(_build(tmp_path, "#include <linux/module.h>\n" + table))
    assert msg.startswith("t.c:2:") and msg.endswith(
        f"fatal error: preprocessed source of more than {preprocess.MAX_OUTPUT_TOKENS} tokens "
        "(kmodsim's limit)")


def test_a_source_over_the_byte_bound(tmp_path: Path) -> None:
    r = _build(tmp_path, HI + "/*" + "x" * preprocess.MAX_TU_BYTES + "*/\n")
    assert _only_error(r) == "cc1: fatal error: t.c: file too large (more than 1 MiB, kmodsim's limit)"


def test_headers_of_the_folder_count_against_the_byte_bound(tmp_path: Path) -> None:
    half = "/*" + "x " * (preprocess.MAX_TU_BYTES // 4) + "*/\n"
    r = _build(tmp_path, '#include "a.h"\n#include "b.h"\n' + HI, **{"a.h": half, "b.h": half})
    assert _only_error(r) == ("t.c:2: fatal error: b.h: file too large (the translation unit "
                              "reads more than 1 MiB, kmodsim's limit)")


@pytest.mark.parametrize("line, quote", [('"\\' * 30_000, '"'), ("'\\" * 30_000, "'")])
def test_a_line_of_stray_quotes_is_linear(tmp_path: Path, line: str, quote: str) -> None:
    """pcpp's lexer rescans the rest of the line for each unterminated quote
    (minutes for this line); libcpp's lex_string() ends the literal at the
    end of the line, and cc1 reports it (gcc -fsyntax-only on the same line)."""
    r = _build(tmp_path, line + "\n" + HI)
    assert [str(d) for d in r.diagnostics] == [
        f"t.c:1:1: warning: missing terminating {quote} character",
        f"t.c:1:1: error: missing terminating {quote} character"]


def test_many_comment_starts(tmp_path: Path) -> None:
    """`/*/*/` is a comment; the last `/*` of the line is not closed.  gcc -E
    says "t.c:7: error: unterminated comment" (it keeps no column that far
    into a line; kmodsim shows it)."""
    r = _build(tmp_path, HI + "/*" * 40_000 + "\n")
    assert _only_error(r) == "t.c:7:79999: error: unterminated comment"


def test_a_nul_outside_literals_is_ignored_with_gccs_warning(tmp_path: Path) -> None:
    """lex.cc: "null character(s) ignored" (gcc -E on the same line)."""
    r = _build(tmp_path, HI.encode() + b"int x;\0\n")
    assert r.ok and [str(d) for d in r.diagnostics] == ["t.c:7:7: warning: null character(s) ignored"]


def test_pcpp_failures_are_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever pcpp itself raises is reported at the line it was reading."""
    from pcpp import Preprocessor

    def broken(self, *a, **k):
        raise IndexError("list index out of range")
    monkeypatch.setattr(Preprocessor, "evalexpr", broken)
    r = _build(tmp_path, "int x;\n#if 1\n#endif\n")
    assert _only_error(r) == ("t.c:2: fatal error: kmodsim's preprocessor (pcpp) cannot "
                              "handle this line (IndexError)")


def test_kmodsim_insmod_of_a_self_including_source(tmp_path: Path) -> None:
    """The headless shell: make's status 2 and gcc's depth error, no internal error."""
    folder = tmp_path / "self"
    folder.mkdir()
    (folder / "t.c").write_text('#include "t.c"\n' + HI)
    (folder / "Makefile").write_text("obj-m += t.o\n")
    p = subprocess.run([sys.executable, "-m", "kmodgui.cli", "-C", str(folder), "-c", "insmod t.ko"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert (f"{folder}/t.c:1:15: error: #include nested depth 200 exceeds maximum of 200 "
            "(use -fmax-include-depth=DEPTH to increase the maximum)") in p.stderr
    assert "internal error" not in p.stdout + p.stderr and "Traceback" not in p.stderr


# What `LC_ALL=C gcc -E t.c` (gcc 12.2.0, Debian) prints first for each file.
GCC_E = [
    ("#define F(x, )\n", 't.c:1:14: error: expected parameter name, found ")"'),
    ("#define defined 1\n", 't.c:1:9: error: "defined" cannot be used as a macro name'),
    ('#define "x" 1\n', "t.c:1:9: error: macro names must be identifiers"),
    ("#undef 3\n", "t.c:1:8: error: macro names must be identifiers"),
    ("#ifdef 3\n#endif\n", "t.c:1:8: error: macro names must be identifiers"),
    ("#if 0\n#elif\n#endif\n", "t.c:2:6: error: #elif with no expression"),
    ("#include\n", 't.c:1:9: error: #include expects "FILENAME" or <FILENAME>'),
    ("#include a.h\n", 't.c:1:10: error: #include expects "FILENAME" or <FILENAME>'),
    ("#else\n", "t.c:1:2: error: #else without #if"),
    ("#if 1\n", "t.c:1: error: unterminated #if"),
    ("#if 1/0\n#endif\n", "t.c:1:6: error: division by zero in #if"),
    ("#define F(x,y) x\nint a = F(1);\n", 't.c:2:12: error: macro "F" requires 2 arguments, but only 1 given'),
    ("char *s = \"abc;\n", 't.c:1:11: warning: missing terminating " character'),
    ("int x;\0\n", "t.c:1:7: warning: null character(s) ignored"),
]


# pcpp reports these without the column gcc gives (its expression evaluator
# and macro-argument check keep only the line): the rest of the line is gcc's.
NO_COLUMN = {"#if 1/0\n#endif\n", "#define F(x,y) x\nint a = F(1);\n"}


@pytest.mark.parametrize("source, first", GCC_E)
def test_cpp_says_what_gcc_says(tmp_path: Path, source: str, first: str) -> None:
    path = tmp_path / "t.c"
    path.write_text(source)
    pre = preprocess.preprocess(path, source, {})
    assert pre.diagnostics
    if source in NO_COLUMN:
        first = re.sub(r"^(t\.c:\d+):\d+:", r"\1:", first)
    assert str(pre.diagnostics[0]) == first


def test_a_million_digits_in_if(tmp_path: Path) -> None:
    """gcc -E: "t.c:1:9: warning: integer constant is too large for its type",
    and the group is kept (its output has `int big;`); pcpp's evaluator alone
    would take minutes on the number."""
    source = "#if 1 > " + "9" * 1_000_000 + "\nint big;\n#endif\n"
    path = tmp_path / "t.c"
    path.write_text(source)
    pre = preprocess.preprocess(path, source, {})
    assert [str(d) for d in pre.diagnostics] == [
        "t.c:1:9: warning: integer constant is too large for its type"]
    assert "int big;" in pre.text
