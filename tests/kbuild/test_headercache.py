"""The include-prefix cache (kmodgui/kbuild/headercache.py): a build that
takes the headers from it, from memory or from disk, prints and produces
exactly what a build without it does; a file it did not write is ignored."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kmodgui import SAMPLES_DIR
from kmodgui.kbuild import headercache, make, preprocess as pp
from kmodgui.session import Session

FUZZ = Path(__file__).parent.parent / "fuzz" / "cases"
DEFINES = {"KBUILD_MODNAME": '"hi"', "MODULE": "1", "__KERNEL__": "1", "CONFIG_X86_64": "1",
           "KERNEL_VERSION(a,b,c)": "(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))",
           "LINUX_VERSION_CODE": "393216"}
HI = (SAMPLES_DIR / "hi.c").read_text()


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv(headercache.ENV, str(tmp_path / "cache"))
    headercache.forget_memory()
    yield tmp_path / "cache"
    headercache.forget_memory()


def _signature(r: make.BuildResult) -> tuple:
    ko = r.ko
    return (r.ok, r.output, r.status, r.diagnostics,
            None if ko is None else (sorted(ko.functions), ko.modinfo, ko.undefined,
                                     [(g.name, g.init, g.section) for g in ko.globals],
                                     [(k, getattr(v, "name", v)) for k, v in ko.slots]))


def _build(folder: Path, name: str) -> tuple:
    s = Session()
    return _signature(make.build(folder, name, s.profile, dict(s.config), {}))


def _folders() -> list[tuple[Path, str]]:
    cases = [(SAMPLES_DIR, p.stem) for p in sorted(SAMPLES_DIR.glob("*.c"))]
    cases += [(p.parent, p.stem) for p in sorted(FUZZ.glob("*/*.c"))][:40]
    return cases


def test_prefix_is_the_leading_includes_and_comments() -> None:
    assert headercache.include_prefix(HI) == (6, ("linux/init.h", "linux/module.h",
                                                  "linux/kernel.h"))
    text = "/* a\n * b */ #include <a.h>\n#include <b.h> // c\n\nint x;\n"
    assert headercache.include_prefix(text) == (4, ("a.h", "b.h"))


@pytest.mark.parametrize("text", [
    "#define pr_fmt(f) f\n#include <linux/kernel.h>\n",      # a macro before: no prefix
    '#include "local.h"\n',                                  # the module's folder
    "#include <linux/kernel.h>",                             # no newline: not a whole line
    "#include <linux/kernel.h> ??/\nint x;\n",               # a trigraph splice
    "#include <linux/kernel.h> \\\nint x;\n",                # a line splice
    "#include LINUX_HEADER\n",                               # a computed include
])
def test_no_prefix(text: str) -> None:
    assert headercache.include_prefix(text) == (0, ())


def test_prefix_stops_before_an_open_comment() -> None:
    text = "#include <a.h>\n/* open\n#include <b.h>\nstill */ int x;\n"
    assert headercache.include_prefix(text) == (1, ("a.h",))


def test_every_sample_and_fuzz_case_builds_the_same_cold_warm_and_from_disk() -> None:
    for folder, name in _folders():
        with headercache.disabled():
            reference = _build(folder, name)
        assert _build(folder, name) == reference, f"{name}: cold"
        assert _build(folder, name) == reference, f"{name}: warm"
        headercache.forget_memory()
        make._parsed.clear()
        assert _build(folder, name) == reference, f"{name}: from disk"


def test_an_edit_after_the_includes_does_not_preprocess_the_headers_again(
        tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "hi.c").write_text(HI)
    first = _build(folder, "hi")
    assert first[0]
    calls: list[str] = []
    real = pp._prefix_state
    monkeypatch.setattr(pp, "_prefix_state", lambda *a: calls.append("prefix") or real(*a))
    (folder / "hi.c").write_text(HI.replace("return 0;", "return 0\n"))   # gcc's error now
    edited = _build(folder, "hi")
    assert calls == []
    with headercache.disabled():
        assert edited == _build(folder, "hi")
    assert "hi.c:12:1: error" in edited[1]        # the line after the edit, as without it


def test_the_headers_macro_state_follows_the_d_macros_they_consult() -> None:
    """<linux/version.h> reads LINUX_VERSION_CODE: each value its own entry."""
    path = SAMPLES_DIR / "hi.c"
    text = "#include <linux/version.h>\n#include <linux/module.h>\n" \
           "int v = LINUX_VERSION_CODE;\n#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 0, 0)\n" \
           "int new_kernel;\n#endif\n"
    for code in ("393216", "132640", "393216"):
        defines = {**DEFINES, "LINUX_VERSION_CODE": code}
        with headercache.disabled():
            reference = pp.preprocess(path, text, defines)
        got = pp.preprocess(path, text, defines)
        assert got.head > 0
        assert (got.text, got.diagnostics) == (reference.text, reference.diagnostics)
    key = headercache.index_key(("linux/version.h", "linux/module.h"), DEFINES)
    assert sorted(s.deps["LINUX_VERSION_CODE"] for s in headercache._memory[key]) == \
        ["132640", "393216"]


def _cache_file(cache: Path) -> Path:
    pp.preprocess(SAMPLES_DIR / "hi.c", HI, DEFINES)
    files = list((cache / "headers").glob("*.json"))
    assert len(files) == 1
    return files[0]


def _rehashed(body: bytes) -> bytes:
    import hashlib
    return f"{headercache.MAGIC} {hashlib.sha256(body).hexdigest()}\n".encode() + body


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong_hash", "bad_patch",
                                    "bad_type", "other_key"])
def test_a_damaged_or_foreign_cache_file_is_ignored(_own_cache: Path, damage: str) -> None:
    path = _cache_file(_own_cache)
    data = path.read_bytes()
    head, _, body = data.partition(b"\n")
    doc = json.loads(body)
    macros = doc["variants"][0]["macros"]
    if damage == "garbage":
        data = b"\x80\x04\x95 not json at all"
    elif damage == "truncated":
        data = data[:len(data) // 2]
    elif damage == "wrong_hash":
        data = head + b"\n" + body.replace(b"KERN_INFO", b"KERN_CRIT")
    elif damage == "bad_patch":     # a patch point past the replacement list
        name = next(n for n, m in macros.items() if m and m["patch"])
        macros[name]["patch"][0][2] = 10_000
        data = _rehashed(json.dumps(doc).encode())
    elif damage == "bad_type":
        doc["variants"][0]["work"] = "lots"
        data = _rehashed(json.dumps(doc).encode())
    else:
        doc["key"] = "0" * 64
        data = _rehashed(json.dumps(doc).encode())
    path.write_bytes(data)
    headercache.forget_memory()
    with pytest.raises(ValueError):
        headercache.decode(data, path.stem)
    with headercache.disabled():
        reference = pp.preprocess(SAMPLES_DIR / "hi.c", HI, DEFINES)
    got = pp.preprocess(SAMPLES_DIR / "hi.c", HI, DEFINES)
    assert (got.text, got.diagnostics) == (reference.text, reference.diagnostics)
    headercache.decode(path.read_bytes(), path.stem)      # rewritten, sound again


def test_the_cache_folder_is_bounded(_own_cache: Path, monkeypatch) -> None:
    monkeypatch.setattr(headercache, "MAX_FILES", 2)
    for extra in ("linux/slab.h", "linux/list.h", "linux/errno.h", "linux/mutex.h"):
        pp.preprocess(SAMPLES_DIR / "hi.c", f"#include <{extra}>\n" + HI, DEFINES)
    assert len(list((_own_cache / "headers").glob("*.json"))) == 2


def test_off_keeps_nothing_on_disk(_own_cache: Path, monkeypatch) -> None:
    monkeypatch.setenv(headercache.ENV, "off")
    assert pp.preprocess(SAMPLES_DIR / "hi.c", HI, DEFINES).head > 0
    assert not _own_cache.exists()


def test_a_folder_header_shadowing_nothing_is_still_the_modules_own(tmp_path: Path) -> None:
    """`#include <...>` searches the include path only: a module folder's
    linux/module.h is never read for it, cached or not."""
    folder = tmp_path / "m"
    shutil.copytree(SAMPLES_DIR, folder, ignore=lambda d, names: [n for n in names
                                                                   if n != "hi.c"])
    (folder / "linux").mkdir()
    (folder / "linux" / "module.h").write_text("#error not this one\n")
    with headercache.disabled():
        reference = _build(folder, "hi")
    assert _build(folder, "hi") == reference
    assert reference[0]
