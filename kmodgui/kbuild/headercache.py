"""The kernel headers a module includes first, preprocessed once.

Most modules open with the same lines: comments and `#include <linux/...>`.
What cpp makes of that *include prefix* (its output, the macros and
include guards it leaves behind) depends only on the header names, the
simulator's headers, the -D macros the headers consult and the
preprocessor itself, never on the module.  It is kept here, in memory and
on disk under the user's cache folder, keyed by exactly those; the rest of
the file is preprocessed from that state.  A prefix that reads anything
else (a module-folder header, a `#include "..."` a header makes, a
diagnostic) is never kept.

The disk format is JSON behind a SHA-256 line (`MAGIC digest`): a file
that does not check, parse or validate is ignored and rebuilt.  The
folder is bounded (`MAX_FILES`, `MAX_FILE_BYTES`).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pcpp.parser import Macro
from pcpp.ply.ply.lex import LexToken

from kmodgui import INCLUDE_DIR, __version__

#: the cache folder; "off" keeps the cache in memory only
ENV = "KMODGUI_CACHE_DIR"
MAGIC = "kmodgui-headers-v1"
MAX_FILES = 32
MAX_FILE_BYTES = 4 << 20
MAX_MEMORY = 16             # prefixes kept in memory
MAX_VARIANTS = 4            # -D values one prefix is kept for

_INCLUDE = re.compile(r"[ \t]*#[ \t]*include[ \t]*<([A-Za-z0-9_./-]+)>[ \t]*")
_BAD = re.compile(r"[\\\0\r\f\v]|\?\?")     # splices, NULs, odd ends of line, trigraphs


class _Token(Protocol):
    type: str
    value: str
    lineno: int
    lexpos: int


@dataclass
class PrefixState:
    """What cpp leaves after the include prefix."""
    output: str                                  # what it wrote
    macros: dict[str, Macro | None]              # defined or changed (None: #undef'd)
    include_once: dict[str, str | None]
    texts: dict[str, str]                        # the headers as read (for columns)
    work: int                                    # see preprocess.MAX_TOKENS
    out_tokens: int
    brackets: int
    deps: dict[str, str] = field(default_factory=dict)   # -D macros consulted: value


# -- the prefix ------------------------------------------------------------------------
def include_prefix(text: str) -> tuple[int, tuple[str, ...]]:
    """(lines, header names) of the leading comments, blank lines and
    `#include <...>` lines of `text`; (0, ()) when there are none."""
    lines = text.split("\n")[:-1]            # a prefix line ends in a newline
    names: list[str] = []
    good = (0, 0)
    in_comment = False
    for i, line in enumerate(lines):
        if _BAD.search(line):
            break
        code, in_comment = _code(line, in_comment)
        if code.strip():
            m = _INCLUDE.fullmatch(code)
            if m is None:
                break
            names.append(m.group(1))
        if not in_comment:
            good = (i + 1, len(names))
    return (good[0], tuple(names[:good[1]])) if good[1] else (0, ())


def _code(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line without its comments (each one a space), and whether a
    block comment is still open at its end."""
    out: list[str] = []
    pos = 0
    while pos < len(line):
        if in_comment:
            end = line.find("*/", pos)
            if end < 0:
                return "".join(out), True
            pos, in_comment = end + 2, False
            out.append(" ")
            continue
        m = re.compile(r"/\*|//").search(line, pos)
        if m is None:
            out.append(line[pos:])
            break
        out.append(line[pos:m.start()])
        if m.group() == "//":
            break
        pos, in_comment = m.end(), True
    return "".join(out), in_comment


# -- keys ------------------------------------------------------------------------------
_fingerprint: str | None = None


def fingerprint() -> str:
    """The simulator's version, its preprocessor's sources and the bytes of
    every header under INCLUDE_DIR (and where that folder is)."""
    global _fingerprint
    if _fingerprint is None:
        h = hashlib.sha256(f"{MAGIC}\0{__version__}\0{INCLUDE_DIR.resolve()}\0".encode())
        here = Path(__file__).parent
        import pcpp
        h.update(str(getattr(pcpp, "__version__", "?")).encode())
        for name in ("preprocess.py", "cpplex.py", "headercache.py"):
            h.update((here / name).read_bytes())
        for p in sorted(INCLUDE_DIR.rglob("*")):
            if p.is_file():
                h.update(str(p.relative_to(INCLUDE_DIR)).encode() + b"\0" + p.read_bytes())
        _fingerprint = h.hexdigest()
    return _fingerprint


def index_key(names: tuple[str, ...], defines: dict[str, str]) -> str:
    h = hashlib.sha256(fingerprint().encode())
    h.update(json.dumps([list(names), sorted(defines)]).encode())
    return h.hexdigest()


def _matches(state: PrefixState, values: dict[str, str]) -> bool:
    return all(values.get(k) == v for k, v in state.deps.items())


# -- memory and disk ---------------------------------------------------------------------
_memory: OrderedDict[str, list[PrefixState]] = OrderedDict()
_enabled = True


@contextmanager
def disabled() -> Iterator[None]:
    """Preprocess without the cache (the reference the cache is tested against)."""
    global _enabled
    old, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = old


def enabled() -> bool:
    return _enabled


def lookup(key: str, values: dict[str, str]) -> PrefixState | None:
    variants = _memory.get(key)
    if variants is None:
        variants = _load(key)
        if variants:
            _remember(key, variants)
    else:
        _memory.move_to_end(key)
    return next((s for s in variants or [] if _matches(s, values)), None)


def store(key: str, state: PrefixState) -> None:
    variants = [s for s in _memory.get(key, []) if s.deps != state.deps]
    variants = [state, *variants][:MAX_VARIANTS]
    _remember(key, variants)
    _save(key, variants)


def _remember(key: str, variants: list[PrefixState]) -> None:
    _memory[key] = variants
    _memory.move_to_end(key)
    while len(_memory) > MAX_MEMORY:
        _memory.popitem(last=False)


def forget_memory() -> None:
    _memory.clear()


def cache_dir() -> Path | None:
    """$KMODGUI_CACHE_DIR, else $XDG_CACHE_HOME/kmodgui, else ~/.cache/kmodgui."""
    env = os.environ.get(ENV)
    if env == "off":
        return None
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "kmodgui"


def _path(key: str) -> Path | None:
    d = cache_dir()
    return d / "headers" / f"{key}.json" if d is not None else None


def _load(key: str) -> list[PrefixState]:
    path = _path(key)
    if path is None:
        return []
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
        return decode(data, key)
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return []


def _save(key: str, variants: list[PrefixState]) -> None:
    path = _path(key)
    if path is None:
        return
    data = encode(key, variants)
    if len(data) > MAX_FILE_BYTES:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError:
        pass        # a cache that cannot be written is only slower


def _prune(folder: Path) -> None:
    """Keep the MAX_FILES most recently written entries (and no stale
    half-written one)."""
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[MAX_FILES:]:
        old.unlink(missing_ok=True)
    for tmp in folder.glob(".tmp-*"):
        if tmp.stat().st_mtime < time.time() - 3600:
            tmp.unlink(missing_ok=True)


# -- the file format ---------------------------------------------------------------------
def encode(key: str, variants: list[PrefixState]) -> bytes:
    body = json.dumps({"key": key, "variants": [_state_json(s) for s in variants]},
                      separators=(",", ":")).encode()
    return f"{MAGIC} {hashlib.sha256(body).hexdigest()}\n".encode() + body


def decode(data: bytes, key: str) -> list[PrefixState]:
    """The entries of a cache file; ValueError unless it is exactly what
    `encode` wrote for `key`."""
    head, _, body = data.partition(b"\n")
    if len(data) > MAX_FILE_BYTES or head != f"{MAGIC} {hashlib.sha256(body).hexdigest()}".encode():
        raise ValueError("not a header cache file")
    doc = json.loads(body)
    if _str(doc["key"]) != key:
        raise ValueError("another key")
    return [_state(v) for v in _list(doc["variants"])][:MAX_VARIANTS]


def _state_json(s: PrefixState) -> dict[str, object]:
    return {"output": s.output, "include_once": s.include_once, "texts": s.texts,
            "work": s.work, "out_tokens": s.out_tokens, "brackets": s.brackets,
            "deps": s.deps,
            "macros": {n: None if m is None else _macro_json(m) for n, m in s.macros.items()}}


def _macro_json(m: Macro) -> dict[str, object]:
    """A macro after macro_prescan(): its replacement list and patch points."""
    return {"value": [[t.type, t.value, t.lineno, t.lexpos, getattr(t, "source", None)]
                      for t in m.value],
            "arglist": m.arglist, "variadic": bool(m.variadic), "source": m.source,
            "lineno": m.lineno,
            "patch": getattr(m, "patch", None), "str_patch": getattr(m, "str_patch", None),
            "var_comma_patch": getattr(m, "var_comma_patch", None)}


def _state(d: object) -> PrefixState:
    d = _dict(d)
    return PrefixState(
        output=_str(d["output"]),
        macros={_str(n): None if m is None else _macro(_str(n), m)
                for n, m in _dict(d["macros"]).items()},
        include_once={_str(k): _opt_str(v) for k, v in _dict(d["include_once"]).items()},
        texts={_str(k): _str(v) for k, v in _dict(d["texts"]).items()},
        work=_int(d["work"]), out_tokens=_int(d["out_tokens"]), brackets=_int(d["brackets"]),
        deps={_str(k): _str(v) for k, v in _dict(d["deps"]).items()})


def _macro(name: str, d: object) -> Macro:
    d = _dict(d)
    args = d["arglist"]
    arglist = None if args is None else [_str(a) for a in _list(args)]
    variadic = d["variadic"] is True
    if variadic and not arglist:
        raise ValueError("variadic macro without parameters")
    m = Macro(name, [_token(t) for t in _list(d["value"])], arglist, variadic)
    m.source, m.lineno = _opt_str(d["source"]), _opt_int(d["lineno"])
    if d["patch"] is not None:
        if arglist is None:
            raise ValueError("patch points of an object-like macro")
        n, k = len(m.value), len(arglist)
        m.patch = [(_one_of(p[0], "te"), _below(p[1], k), _below(p[2], n))
                   for p in map(_list, _list(d["patch"]))]
        m.str_patch = [(_below(p[0], k), _below(p[1], n)) for p in map(_list, _list(d["str_patch"]))]
        m.var_comma_patch = [_below(i, n) for i in _list(d["var_comma_patch"])]
    return m


def _one_of(x: object, allowed: str) -> str:
    if not isinstance(x, str) or len(x) != 1 or x not in allowed:
        raise ValueError("unexpected patch kind")
    return x


def _below(x: object, n: int) -> int:
    if _int(x) >= n:
        raise ValueError("index out of range")
    return _int(x)


def _token(t: object) -> LexToken:
    typ, value, lineno, lexpos, source = _list(t)
    tok = LexToken()
    tok.type, tok.value = _str(typ), _str(value)
    tok.lineno, tok.lexpos, tok.source = _int(lineno), _int(lexpos), _opt_str(source)
    return tok


def _dict(x: object) -> dict[str, object]:
    if not isinstance(x, dict):
        raise ValueError("expected an object")
    return x


def _list(x: object) -> list[object]:
    if not isinstance(x, list):
        raise ValueError("expected a list")
    return x


def _str(x: object) -> str:
    if not isinstance(x, str):
        raise ValueError("expected a string")
    return x


def _opt_str(x: object) -> str | None:
    return None if x is None else _str(x)


def _int(x: object) -> int:
    if not isinstance(x, int) or isinstance(x, bool) or not 0 <= x < 1 << 31:
        raise ValueError("expected a small integer")
    return x


def _opt_int(x: object) -> int | None:
    return None if x is None else _int(x)
