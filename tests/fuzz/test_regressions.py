"""Inputs that once made the C front end fail with `kmodsim: internal error`
(tests/fuzz/cases/*/hi.c: hi.c with one change each), built by kmodsim's
`make` and compared with what the real Debian 6.1 kbuild printed for the same
folder (tests/fuzz/real/, recorded by tests/fuzz/record-real.sh with gcc-12
and linux-headers-6.1.0-56-amd64, LANG=C, the folder's path as <dir>)."""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "kbuild"))
from corpus import Outcome, recorded, simulated  # noqa: E402

from kmodgui.session import Session  # noqa: E402

HERE = Path(__file__).parent
CASES = sorted(p.name for p in (HERE / "cases").iterdir() if p.is_dir())

# Where kmodsim prints less than gcc, and why.  For these the errors and
# warnings kmodsim prints must still be ones gcc prints (same words, same
# place in the module's source), and make's verdict and stdout the same.
_HEADER = ("gcc reports module_init()/module_exit()'s alias errors in the real "
           "module.h (line 132/140) with 'in expansion of macro' at the invocation; "
           "kmodsim's headers are its own, so it reports them at the invocation")
_MANY = ("gcc also reports the __inittest()/__exittest() type check the real macro "
         "adds (-Wint-conversion, -Werror=incompatible-pointer-types, 'undeclared "
         "(first use in this function)'), and its 'did you mean' hints; kmodsim does not")
_GOES_ON = ("gcc goes on after the first error (to the end of the file's "
            "-Wunused-variable); kmodsim stops at it")
_NOTES = ("gcc follows the error with 'In file included from' and 'in definition "
          "of macro'/'in expansion of macro' notes through the real headers "
          "(moduleparam.h's __MODULE_INFO, __param_check); kmodsim's headers are its own, "
          "so it prints the error alone, at the place in the module's source")
KNOWN_DIFFERENT: dict[str, str] = {
    "modinfo_author_ident": _NOTES,
    "modinfo_called": _NOTES,
    "modinfo_license_int": _NOTES,
    "module_param_constant": _NOTES,
    "module_param_undeclared": _NOTES,
    "array_negative_size": _GOES_ON,
    "exit_declared_only_static": _HEADER,
    "exit_deleted": _MANY,
    "init_declared_only": _HEADER,
    "init_extern_only": _HEADER,
    "module_exit_string": _MANY,
    "module_init_cast": _HEADER,
    "module_init_null": _HEADER,
    "module_init_sum": _HEADER,
    "module_init_variable": _MANY,
    "module_init_zero": _HEADER,
}

_DIAG = re.compile(r"^(\S+?):(\d+):(\d+): (error|warning|note): (.*)$")


def gcc_diagnostics(stderr: str) -> list[str]:
    """Each error and warning as 'FILE:LINE:COL: severity: message' in the
    module's own source.  One gcc reports inside a real kernel header is
    placed where the 'in expansion of macro' note that follows it points in
    the module's source; 'did you mean' hints are dropped."""
    out: list[str] = []
    pending: str | None = None
    for line in stderr.splitlines():
        m = _DIAG.match(line)
        if m is None:
            continue
        file, ln, col, sev, msg = m.groups()
        msg = re.sub(r"; did you mean '[^']*'\?$", "", msg)
        if sev == "note":
            if pending and msg.startswith("in expansion of macro") and file.startswith("<dir>/"):
                out.append(f"{file}:{ln}:{col}: {pending}")
                pending = None
            continue
        if pending:
            out.append(f"<header>: {pending}")
            pending = None
        if file.startswith("<dir>/"):
            out.append(f"{file}:{ln}:{col}: {sev}: {msg}")
        else:
            pending = f"{sev}: {msg}"
    if pending:
        out.append(f"<header>: {pending}")
    return out


def internal_error(o: Outcome) -> bool:
    """kmodsim's own failure, or a construct it refuses as 'not supported'
    (gcc's 'alias ... is not supported' is gcc's own words)."""
    text = o.stdout + o.stderr
    return "internal error" in text or "Traceback" in text or "error: not supported:" in text


def _subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(x in it for x in small)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Outcome, Outcome]]:
    scratch = tmp_path_factory.mktemp("fuzz-cases")
    return {n: (simulated(HERE / "cases" / n, scratch), recorded(".", n, HERE / "real"))
            for n in CASES}


def test_every_case_is_recorded() -> None:
    assert len(CASES) >= 10
    for name in CASES:
        recorded(".", name, HERE / "real")
    assert set(KNOWN_DIFFERENT) <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_no_internal_error(outcomes, name: str) -> None:
    sim, _ = outcomes[name]
    assert not internal_error(sim), sim.stderr


@pytest.mark.parametrize("name", CASES)
def test_make_as_the_real_kbuild(outcomes, name: str) -> None:
    """make's verdict and stdout are the real ones; stderr is the real one,
    line for line, except where listed, and there every error and warning
    kmodsim gives is one gcc gives, in gcc's order."""
    sim, real = outcomes[name]
    assert (sim.status, sim.stdout) == (real.status, real.stdout)
    if name not in KNOWN_DIFFERENT:
        assert sim.stderr == real.stderr
        return
    mine, gccs = gcc_diagnostics(sim.stderr), gcc_diagnostics(real.stderr)
    assert mine and _subsequence(mine, gccs), (mine, gccs)
    assert any(": error: " in d for d in mine) == any(": error: " in d for d in gccs)
    assert sim.stderr.splitlines()[-3:] == real.stderr.splitlines()[-3:]


@pytest.mark.parametrize("name", CASES)
def test_insmod_builds_then_loads_or_refuses(tmp_path, name: str) -> None:
    """`insmod hi.ko` builds the folder first: a module the real kbuild
    refuses is never loaded (no half-loaded module left Used by 1), one it
    builds loads."""
    real = recorded(".", name, HERE / "real")
    sim = simulated(HERE / "cases" / name, tmp_path, "insmod hi.ko; lsmod")
    assert not internal_error(sim), sim.stderr
    listed = re.search(r"^hi\s+\d+\s+(\d+)", sim.stdout, re.M)
    if real.status != 0:
        assert listed is None, sim.stdout
    elif name in ("huge_literal", "hex_literal_too_large"):
        # gcc's -Woverflow line says init returns -1: -EPERM, the load fails
        assert listed is None
        assert "insmod: ERROR: could not insert module hi.ko: Operation not permitted" \
            in sim.stderr
    elif name == "array_huge_bss":
        # a 1 TiB .bss: arch/x86/kernel/module.c module_alloc() returns NULL
        # for PAGE_ALIGN(size) > MODULES_LEN (1008 MiB), load_module() fails
        # with -ENOMEM, and kmod's insmod prints strerror(ENOMEM)
        assert listed is None
        assert "insmod: ERROR: could not insert module hi.ko: Cannot allocate memory" \
            in sim.stderr
    else:
        assert listed is not None and listed.group(1) == "0", sim.stdout + sim.stderr


def test_huge_initialised_object_takes_no_host_memory(tmp_path) -> None:
    """`static char m[9999999999999999999999] = "..."` (a fuzzed chardev.c):
    gcc-12 warns 'integer constant is too large for its type' (c-lex.c
    interpret_integer) and keeps the size modulo 2**64, about 1.86e18 bytes.
    The build holds only the initialised bytes, never the object's size in
    host memory, and insmod is refused as module_alloc() refuses it
    (-ENOMEM, kmod's 'Cannot allocate memory')."""
    import tracemalloc
    case = tmp_path / "big"
    case.mkdir()
    (case / "big.c").write_text(
        '#include <linux/module.h>\n'
        'static char message[9999999999999999999999] = "Hello from chardev\\n";\n'
        'static int __init big_init(void) { return message[0] == 0; }\n'
        'static void __exit big_exit(void) { }\n'
        'module_init(big_init);\nmodule_exit(big_exit);\nMODULE_LICENSE("GPL");\n')
    shutil.copy(HERE / "cases" / "u8_string" / "Makefile", case / "Makefile")
    (case / "Makefile").write_text((case / "Makefile").read_text().replace("hi.o", "big.o"))
    tracemalloc.start()
    try:
        s = Session("6.1", cwd=case)
        r = s.run("make; insmod big.ko; lsmod")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20, peak
    text = r.stdout + r.stderr
    assert "internal error" not in text and "Traceback" not in text
    assert "warning: integer constant is too large for its type" in text
    assert "insmod: ERROR: could not insert module big.ko: Cannot allocate memory" in text
    assert not re.search(r"^big\s", r.stdout, re.M)


def test_declared_only_init_without_a_makefile(tmp_path) -> None:
    """The same declared-but-undefined init in a folder with no Makefile
    (insmod builds t.c on its own): refused at build time, nothing loaded."""
    case = tmp_path / "t"
    case.mkdir()
    (case / "t.c").write_text((HERE / "cases" / "init_declared_only" / "hi.c").read_text())
    sim = simulated(case, tmp_path / "w", "insmod t.ko; lsmod")
    assert not internal_error(sim), sim.stderr
    assert "error: 'init_module' aliased to external symbol 'hi_init'" in sim.stderr
    assert not re.search(r"^t\s", sim.stdout, re.M)


def test_a_million_digit_constant(tmp_path) -> None:
    """The huge_literal case with 1,000,000 digits instead of 4,301: gcc's
    words are the same (10**n - 1 wraps to 2**64 - 1 for every n >= 64), and
    the build takes no more than a few seconds and no GBs (the parser is
    given a short constant of the same value, type and overflow)."""
    case = tmp_path / "big"
    shutil.copytree(HERE / "cases" / "huge_literal", case)
    hi = case / "hi.c"
    hi.write_text(hi.read_text().replace("9" * 4301, "9" * 1_000_000))
    sim = simulated(case, tmp_path / "w")
    real = recorded(".", "huge_literal", HERE / "real")
    assert (sim.status, sim.stdout) == (real.status, real.stdout)
    assert sim.stderr == real.stderr.replace("9" * 4301, "9" * 1_000_000)
