"""head, tail, grep, wc, printf: the filters a lesson pipes dmesg and /proc
into, with GNU coreutils' and GNU grep's options, output and messages (C
locale).  Input is the named files, or stdin (the pipe) without any or for
`-`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from kmodgui.kernel.kapi.reads import BUFSIZ, Reader
from kmodgui.userspace import errnos, fs
from kmodgui.userspace.base import ToolContext, ToolResult, tool
from kmodgui.userspace.getopt import GetoptError, getopt_long


@dataclass
class Input:
    name: str          # as the user typed it ("-" for stdin)
    err: int           # 0 or -errno of open()/read()
    text: str
    regular: bool      # a regular file (wc pads numbers to the total size)
    size: int = 0      # what stat() says its size is


def _stat_size(path: str, text: str) -> int:
    """st_size: procfs files say 0, sysfs attributes a page (kernfs sets
    PAGE_SIZE for attributes), other files their length."""
    if path.startswith("/proc/"):
        return 0
    if path.startswith("/sys/"):
        return 4096
    return len(text.encode("utf-8", "surrogateescape"))


def inputs(ctx: ToolContext, files: list[str],
           reader: Callable[[str], Reader] | None = None) -> Iterator[Input]:
    """Each operand's content, read as the tool reads it (`reader`: its
    read(2) calls on a file, cat's by default)."""
    for name in files or ["-"]:
        if name == "-":
            yield Input("-", 0, getattr(ctx, "stdin", ""), False)
            continue
        err, text = fs.read_text(ctx, name, reader(name) if reader else None)
        path = fs.resolve(ctx, name)
        yield Input(name, err, text, err == 0, _stat_size(path, text))


def lines_of(text: str) -> list[str]:
    """Lines with their newline (the last one may lack it)."""
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    return out + ([parts[-1]] if parts[-1] else [])


def _try(prog: str, res: ToolResult, e: GetoptError, status: int = 1) -> ToolResult:
    res.errln(str(e))
    res.errln(f"Try '{prog} --help' for more information.")
    return res.done(status)


def _obsolete_count(args: list[str]) -> list[str]:
    """`head -3` / `tail -3` mean -n 3 (the old POSIX form coreutils keeps)."""
    if args and re.fullmatch(r"-\d+", args[0]):
        return ["-n", args[0][1:], *args[1:]]
    return args


def _display(name: str) -> str:
    return "standard input" if name == "-" else name


# -- head / tail -------------------------------------------------------------
def _head_tail(ctx: ToolContext, argv: list[str], head: bool) -> ToolResult:
    prog, res = argv[0].rsplit("/", 1)[-1], ToolResult()
    longs = {"lines": ("n", True), "bytes": ("c", True), "quiet": ("q", False),
             "silent": ("q", False), "verbose": ("v", False)}
    try:
        p = getopt_long(prog, _obsolete_count(argv[1:]), "n:c:qv", longs)
    except GetoptError as e:
        return _try(prog, res, e)
    count, by_bytes, headers = "10", False, None
    for opt, val in p.opts:
        if opt in "nc":
            count, by_bytes = val or "", opt == "c"
        else:
            headers = opt == "v"
    unit = "bytes" if by_bytes else "lines"
    m = re.fullmatch(r"([+-]?)(\d+)", count)
    if m is None:
        res.errln(f"{prog}: invalid number of {unit}: '{count}'")
        return res.done(1)
    sign, n = m.group(1), int(m.group(2))
    show_names = headers if headers is not None else len(p.operands) > 1
    first = True
    readers: list[Reader] = []
    for inp in inputs(ctx, p.operands, _head_reader(n, by_bytes, readers)
                      if head and sign != "-" else None):
        if inp.err < 0:
            if inp.err == -errnos.EISDIR:
                res.errln(f"{prog}: error reading '{inp.name}': Is a directory")
            else:
                res.errln(f"{prog}: cannot open '{inp.name}' for reading: "
                          f"{errnos.strerror(inp.err)}")
            res.status = 1
            if inp.err != -errnos.EISDIR or not show_names:
                continue
        if show_names:
            res.out(("" if first else "\n") + f"==> {_display(inp.name)} <==\n")
        first = False
        if by_bytes and readers and sum(x for x in readers[-1].sizes if x > 0) > n:
            res.out(inp.text)      # a read gave more than asked: head writes it all
            readers.clear()
            continue
        readers.clear()
        res.out(_cut(inp.text, n, sign, by_bytes, head))
    return res


def _head_reader(n: int, by_bytes: bool, made: list[Reader]) -> Callable[[str], Reader]:
    """head -c N asks for min(N, BUFSIZ) and counts down to exactly N;
    head -n N reads BUFSIZ at a time until it has N lines.  The readers
    made go into `made` (what each read returned decides what is printed)."""
    def make(name: str) -> Reader:
        r = Reader(chunk=max(min(n, BUFSIZ), 1), want_bytes=n) if by_bytes else \
            Reader(chunk=BUFSIZ, want_lines=n)
        made.append(r)
        return r
    return make


def _cut(text: str, n: int, sign: str, by_bytes: bool, head: bool) -> str:
    items: list[str] = list(text) if by_bytes else lines_of(text)
    if head:
        kept = items[:max(len(items) - n, 0)] if sign == "-" else items[:n]
    elif sign == "+":
        kept = items[max(n - 1, 0):]
    else:
        kept = items[len(items) - n:] if n else []
    return "".join(kept)


@tool("head", "head [-n N|-c N] [FILE...]              the first lines")
def head(ctx: ToolContext, argv: list[str]) -> ToolResult:
    return _head_tail(ctx, argv, True)


@tool("tail", "tail [-n N|-n +N|-c N] [FILE...]        the last lines")
def tail(ctx: ToolContext, argv: list[str]) -> ToolResult:
    return _head_tail(ctx, argv, False)


# -- grep ----------------------------------------------------------------------
_GREP_LONG = {"ignore-case": ("i", False), "invert-match": ("v", False),
              "count": ("c", False), "line-number": ("n", False), "quiet": ("q", False),
              "silent": ("q", False), "extended-regexp": ("E", False),
              "fixed-strings": ("F", False), "word-regexp": ("w", False),
              "line-regexp": ("x", False), "regexp": ("e", True),
              "no-messages": ("s", False), "with-filename": ("H", False),
              "no-filename": ("h", False), "files-with-matches": ("l", False),
              "only-matching": ("o", False), "basic-regexp": ("G", False)}


def _bre_to_python(pattern: str, extended: bool) -> str:
    """POSIX BRE/ERE to Python: in a BRE, \\( \\) \\{ \\} \\| \\+ \\? are the
    operators and the bare characters are literals."""
    if extended:
        return pattern
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append(nxt if nxt in "(){}|+?" else c + nxt)
            i += 2
            continue
        out.append("\\" + c if c in "(){}|+?" else c)
        i += 1
    return "".join(out)


def _grep_regex(patterns: list[str], flags: set[str]) -> re.Pattern[str]:
    parts = [re.escape(p) if "F" in flags else _bre_to_python(p, "E" in flags)
             for p in patterns]
    body = "|".join(f"(?:{p})" for p in parts)
    if "w" in flags:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    if "x" in flags:
        body = rf"^(?:{body})$"
    return re.compile(body, re.IGNORECASE if "i" in flags else 0)


@tool("grep", "grep [-ivcnqEFwxHhlo] [-e] PATTERN [FILE...]  lines that match")
def grep(ctx: ToolContext, argv: list[str]) -> ToolResult:
    res = ToolResult()
    try:
        p = getopt_long("grep", argv[1:], "ivcnqEFwxe:sHhloG", _GREP_LONG)
    except GetoptError as e:
        res.errln(str(e))
        res.errln("Usage: grep [OPTION]... PATTERNS [FILE]...")
        res.errln("Try 'grep --help' for more information.")
        return res.done(2)
    flags = {o for o, _ in p.opts if o != "e"}
    patterns = [v or "" for o, v in p.opts if o == "e"]
    files = p.operands
    if not patterns:
        if not files:
            res.errln("Usage: grep [OPTION]... PATTERNS [FILE]...")
            res.errln("Try 'grep --help' for more information.")
            return res.done(2)
        patterns, files = files[0].split("\n"), files[1:]
    try:
        rx = _grep_regex(patterns, flags)
    except re.error:
        res.errln("grep: Unmatched ( or \\(")
        return res.done(2)
    names = ("H" in flags or len(files) > 1) and "h" not in flags
    matched, error = False, False
    for inp in inputs(ctx, files):
        if inp.err < 0:
            if "s" not in flags:
                res.errln(f"grep: {inp.name}: {errnos.strerror(inp.err)}")
            error = True
            continue
        matched |= _grep_one(res, rx, inp, flags, names)
        if matched and "q" in flags:
            return res.done(0)
    # an error makes the status 2, unless -q already found a line
    return res.done(2 if error else (0 if matched else 1))


def _grep_one(res: ToolResult, rx: re.Pattern[str], inp: Input, flags: set[str],
              names: bool) -> bool:
    prefix = f"{_display(inp.name) if inp.name == '-' else inp.name}:" if names else ""
    count = 0
    for num, line in enumerate(lines_of(inp.text), 1):
        body = line[:-1] if line.endswith("\n") else line
        hit = rx.search(body) is not None
        if hit == ("v" in flags):
            continue
        count += 1
        if flags & {"q", "c", "l"}:
            continue
        lead = prefix + (f"{num}:" if "n" in flags else "")
        if "o" in flags and "v" not in flags:
            for m in rx.finditer(body):
                if m.group(0):
                    res.outln(lead + m.group(0))
        else:
            res.outln(lead + body)
    if "c" in flags and "q" not in flags:
        res.outln(f"{prefix}{count}")
    if "l" in flags and count and "q" not in flags:
        res.outln(_display(inp.name) if inp.name == "-" else inp.name)
    return count > 0


# -- wc --------------------------------------------------------------------------
def _counts(text: str) -> tuple[int, int, int]:
    data = text.encode("utf-8", "surrogateescape")
    return text.count("\n"), len(text.split()), len(data)


@tool("wc", "wc [-lwc] [FILE...]                     count lines, words, bytes")
def wc(ctx: ToolContext, argv: list[str]) -> ToolResult:
    res = ToolResult()
    longs = {"lines": ("l", False), "words": ("w", False), "bytes": ("c", False),
             "chars": ("m", False)}
    try:
        p = getopt_long("wc", argv[1:], "lwcm", longs)
    except GetoptError as e:
        return _try("wc", res, e)
    chosen = {o for o, _ in p.opts} or {"l", "w", "c"}
    which = [i for i, o in enumerate("lwc") if o in chosen or (o == "c" and "m" in chosen)]
    rows: list[tuple[tuple[int, int, int], str]] = []
    regular, sizes = True, 0
    for inp in inputs(ctx, p.operands):
        if inp.err < 0:
            res.errln(f"wc: {inp.name}: {errnos.strerror(inp.err)}")
            res.status = 1
            if inp.err != -errnos.EISDIR:
                continue
        regular &= inp.regular
        sizes += inp.size
        rows.append((_counts(inp.text), "" if inp.name == "-" and not p.operands
                     else inp.name))
    total = tuple(sum(r[0][i] for r in rows) for i in range(3))
    width = _wc_width(which, rows, regular, sizes)
    for counts, name in rows:
        res.outln(_wc_line(counts, which, width, name))
    if len(p.operands) > 1:
        res.outln(_wc_line(total, which, width, "total"))   # type: ignore[arg-type]
    return res


def _wc_width(which: list[int], rows: list[tuple[tuple[int, int, int], str]],
              regular: bool, total_size: int) -> int:
    """coreutils wc.c compute_number_width(): one number for one input is not
    padded; a pipe or stdin pads to 7; files pad to the digits of the sum of
    their st_size (so /proc files, of size 0, are not padded)."""
    if len(which) == 1 and len(rows) == 1:
        return 1
    if not regular:
        return 7
    return max(len(str(total_size)), 1)


def _wc_line(counts: tuple[int, int, int], which: list[int], width: int, name: str) -> str:
    text = " ".join(str(counts[i]).rjust(width) for i in which)
    return f"{text} {name}" if name else text


# -- printf -------------------------------------------------------------------------
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "f": "\f",
            "r": "\r", "v": "\v", '"': '"'}


def _escape(fmt: str, i: int) -> tuple[str, int]:
    c = fmt[i + 1:i + 2]
    if c in _ESCAPES:
        return _ESCAPES[c], i + 2
    if c and c in "01234567":
        m = re.match(r"[0-7]{1,3}", fmt[i + 1:])
        assert m is not None
        return chr(int(m.group(0), 8)), i + 1 + len(m.group(0))
    return "\\" + c, i + 2 if c else i + 1


def _number(arg: str, res: ToolResult) -> int:
    try:
        return int(arg, 0) if arg.strip() else 0
    except ValueError:
        if arg[:1] in "'\"" and len(arg) > 1:
            return ord(arg[1])
        res.errln(f"printf: '{arg}': expected a numeric value")
        res.status = 1
        m = re.match(r"[+-]?\d+", arg)
        return int(m.group(0)) if m else 0


def _conversion(spec: str, conv: str, arg: str | None, res: ToolResult) -> str:
    if conv == "s":
        return ("%" + spec + "s") % (arg or "")
    if conv == "c":
        return ("%" + spec + "s") % ((arg or "")[:1])
    if conv == "b":
        text, i, out = arg or "", 0, []
        while i < len(text):
            if text[i] == "\\":
                piece, i = _escape(text, i)
                out.append(piece)
            else:
                out.append(text[i])
                i += 1
        return ("%" + spec + "s") % "".join(out)
    n = _number(arg, res) if arg is not None else 0
    if conv in "di":
        return ("%" + spec + "d") % n
    if conv == "u":
        return ("%" + spec + "d") % (n % (1 << 64))
    return ("%" + spec + conv) % (n % (1 << 64) if n < 0 else n)


def _format_once(fmt: str, args: list[str], res: ToolResult) -> tuple[str, int]:
    out, i, used = [], 0, 0
    while i < len(fmt):
        c = fmt[i]
        if c == "\\":
            piece, i = _escape(fmt, i)
            out.append(piece)
            continue
        if c != "%":
            out.append(c)
            i += 1
            continue
        m = re.match(r"%([-+ #0]*\d*(?:\.\d*)?)([diouxXscb%])", fmt[i:])
        if m is None:
            res.errln(f"printf: %{fmt[i + 1:i + 2]}: invalid conversion specification")
            res.status = 1
            return "".join(out), -1
        spec, conv = m.groups()
        i += len(m.group(0))
        if conv == "%":
            out.append("%")
            continue
        arg = args[used] if used < len(args) else None
        used += 1
        out.append(_conversion(spec, conv, arg, res))
    return "".join(out), used


@tool("printf", "printf FORMAT [ARG...]                  formatted output")
def printf(ctx: ToolContext, argv: list[str]) -> ToolResult:
    res = ToolResult()
    if len(argv) < 2:
        res.errln("printf: missing operand")
        res.errln("Try 'printf --help' for more information.")
        return res.done(1)
    fmt, args = argv[1], argv[2:]
    while True:
        text, used = _format_once(fmt, args, res)
        res.out(text)
        if used <= 0 or used >= len(args):
            break
        args = args[used:]
    return res
