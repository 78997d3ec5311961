"""GNU getopt_long(3) as glibc implements it, for the tools' option parsing.

Options may follow operands (glibc permutes argv unless the option string
starts with '+'), `--` ends the options, short options cluster (`-fw`),
long options may be abbreviated to a unique prefix.  Errors are reported
with glibc's own wording, prefixed by the program name.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class GetoptError(Exception):
    """Bad command line; str() is glibc's message (without newline)."""


@dataclass
class Parsed:
    opts: list[tuple[str, str | None]] = field(default_factory=list)
    operands: list[str] = field(default_factory=list)


def _short_spec(optstring: str) -> tuple[dict[str, bool], bool]:
    permute = not optstring.startswith("+")
    spec: dict[str, bool] = {}
    chars = optstring.lstrip("+")
    i = 0
    while i < len(chars):
        c = chars[i]
        takes = i + 1 < len(chars) and chars[i + 1] == ":"
        spec[c] = takes
        i += 2 if takes else 1
    return spec, permute


def getopt_long(prog: str, args: list[str], optstring: str,
                longopts: dict[str, tuple[str, bool]] | None = None) -> Parsed:
    """Parse args (argv without argv[0]).

    longopts maps a long name to (the short letter it stands for, takes an
    argument).  Returns the options in order, as (letter, argument).
    """
    spec, permute = _short_spec(optstring)
    longopts = longopts or {}
    out = Parsed()
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            out.operands.extend(args[i + 1:])
            break
        if a.startswith("--"):
            i = _long(prog, args, i, longopts, out)
        elif a.startswith("-") and a != "-":
            i = _short(prog, args, i, spec, out)
        elif permute:
            out.operands.append(a)
            i += 1
        else:
            out.operands.extend(args[i:])
            break
    return out


def _short(prog: str, args: list[str], i: int, spec: dict[str, bool],
           out: Parsed) -> int:
    a = args[i]
    j = 1
    while j < len(a):
        c = a[j]
        if c not in spec:
            raise GetoptError(f"{prog}: invalid option -- '{c}'")
        if not spec[c]:
            out.opts.append((c, None))
            j += 1
            continue
        if j + 1 < len(a):
            out.opts.append((c, a[j + 1:]))
        elif i + 1 < len(args):
            i += 1
            out.opts.append((c, args[i]))
        else:
            raise GetoptError(f"{prog}: option requires an argument -- '{c}'")
        break
    return i + 1


def _long(prog: str, args: list[str], i: int,
          longopts: dict[str, tuple[str, bool]], out: Parsed) -> int:
    name, eq, value = args[i][2:].partition("=")
    if name in longopts:
        matches = [name]
    else:
        matches = [n for n in longopts if n.startswith(name)]
    if not matches:
        raise GetoptError(f"{prog}: unrecognized option '--{name}'")
    if len(matches) > 1:
        alts = " ".join(f"'--{m}'" for m in matches)
        raise GetoptError(f"{prog}: option '--{name}' is ambiguous; "
                          f"possibilities: {alts}")
    full = matches[0]
    letter, takes = longopts[full]
    if not takes:
        if eq:
            raise GetoptError(f"{prog}: option '--{full}' doesn't allow an argument")
        out.opts.append((letter, None))
        return i + 1
    if eq:
        out.opts.append((letter, value))
        return i + 1
    if i + 1 >= len(args):
        raise GetoptError(f"{prog}: option '--{full}' requires an argument")
    out.opts.append((letter, args[i + 1]))
    return i + 2
