"""The broken-module corpus (tests/kbuild/broken/*/hi.c, small modules with one
mistake each) built by kmodsim's `make`, compared line for line (stdout,
stderr, exit status) with what the real Debian 6.1 kbuild printed for the same
folder (tests/kbuild/real/broken/, recorded with LANG=C on
linux-headers-6.1.0-56-amd64 and gcc-12)."""
from __future__ import annotations

import pytest
from corpus import HERE, internal_error, recorded, simulated

CASES = sorted(p.name for p in (HERE / "broken").iterdir() if p.is_dir())

# Where kmodsim deliberately or knowingly prints something else, and why.
_HEADER = "gcc names the lines of the real kernel headers the macro expands in (module.h, kern_levels.h); kmodsim's headers are its own"
_MANY = "gcc goes on after the first error and reports the next ones (e.g. control reaches end); kmodsim stops at the first"
_WARN = "warning not implemented: the module builds, with gcc's warning missing from the log"
_CHECK = "kmodsim does not detect this mistake yet"
_PARSE = "syntax errors: pycparser's recovery and token positions differ from gcc's parser"
_HINT = "gcc's spelling suggestion (did you mean) comes from names in all of the real headers"
KNOWN_DIFFERENT: dict[str, str] = {
    "array_subscript_non_array": _MANY,
    "assign_to_const": _CHECK,
    "call_non_function": _MANY,
    "conflicting_types": _CHECK,
    "conflicting_types_var": _CHECK,
    "deref_non_pointer": _MANY,
    "division_by_zero": _WARN,
    "exit_declared_not_defined": _HEADER,
    "exit_returns_int": _HEADER,
    "extra_brace": _PARSE,
    "format_int_as_string": _HEADER,
    "format_long_as_int": _HEADER,
    "format_ptr_as_int": _HEADER,
    "format_too_few_args": _HEADER,
    "format_too_many_args": _HEADER,
    "implicit_decl_kmalloc": _HINT,
    "implicit_decl_misspelt_printk": _MANY,
    "incompatible_ptr_arg": _CHECK,
    "incompatible_ptr_assign": _CHECK,
    "incompatible_ptr_init": _CHECK,
    "init_declared_not_defined": _HEADER,
    "init_wrong_signature": _HEADER,
    "int_from_ptr": _WARN,
    "missing_brace": _PARSE,
    "missing_header": _HEADER,
    "missing_paren": _PARSE,
    "missing_return": _CHECK,
    "missing_return_helper": _CHECK,
    "missing_semicolon": _PARSE,
    "missing_semicolon_decl": _PARSE,
    "ptr_from_int": _WARN,
    "redefinition_func": _CHECK,
    "redefinition_local": _CHECK,
    "return_no_value_in_int": _CHECK,
    "return_value_in_void": _CHECK,
    "storage_size_unknown": _MANY,
    "string_to_int": _WARN,
    "struct_no_member": _MANY,
    "too_few_args": _MANY,
    "undeclared_exit": _HEADER,
    "struct_arg_int": _MANY + "; and gcc's range labels (the argument's type under it, "
                      "the parameter's declaration underlined)",
    "struct_return_int": _MANY,
    "undeclared_init": _HEADER,
    "undeclared_misspelt_func_var": _HINT,
    "undeclared_var": _HINT,
    "undeclared_var_in_printk": _PARSE,
    "uninitialized_used": _WARN,
    "unknown_type": _HINT,
}


def test_corpus_is_large_and_recorded() -> None:
    assert len(CASES) >= 50
    for name in CASES:
        recorded("broken", name)                 # every case has its recording
    assert set(KNOWN_DIFFERENT) <= set(CASES)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, object]]:
    scratch = tmp_path_factory.mktemp("corpus")
    return {n: (simulated(HERE / "broken" / n, scratch), recorded("broken", n)) for n in CASES}


def test_no_internal_errors(outcomes) -> None:
    assert [n for n, (sim, _) in outcomes.items() if internal_error(sim)] == []


def test_matches_the_real_kbuild(outcomes, capsys: pytest.CaptureFixture[str]) -> None:
    same = [n for n, (sim, real) in outcomes.items() if sim == real]
    with capsys.disabled():
        print(f"\nbroken corpus: {len(same)} of {len(outcomes)} match the real kbuild exactly")
    assert sorted(set(CASES) - set(KNOWN_DIFFERENT) - set(same)) == []


@pytest.mark.parametrize("name", CASES)
def test_a_refused_module_is_refused(outcomes, name: str) -> None:
    """Whatever the wording, make's verdict (exit status) is the real one, except
    where listed: a build that fails for real never produces a .ko here."""
    sim, real = outcomes[name]
    if name in KNOWN_DIFFERENT and KNOWN_DIFFERENT[name] in (_CHECK, _HEADER) and sim.status != real.status:
        pytest.xfail(KNOWN_DIFFERENT[name])
    assert sim.status == real.status
