"""kmodsim at a terminal: GNU readline line editing, a history file kept
across sessions, Ctrl-R (readline's reverse search), Tab completion.

History lives in $XDG_STATE_HOME/kmodsim/history (~/.local/state when the
variable is unset), as the XDG base directory spec puts state data.
Completion: the first word from the command table; an option from the
command's synopsis; paths under /proc, /sys, /dev, /tmp from the simulated
files; `.ko` and source names of the module folder; loaded module names
for rmmod and modinfo.  Ctrl-C at the prompt drops the line and gives a new
prompt; Ctrl-D on an empty line ends the session.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Callable, TextIO

from kmodgui.session import CommandResult, Session
from kmodgui.userspace import fs, makefile
from kmodgui.userspace.base import ERR, SUMMARIES, TOOLS

PROMPT = "# "
HISTORY_LINES = 1000
#: commands whose operands are modules already loaded
_LOADED = {"rmmod", "modinfo"}
#: commands whose operands are .ko files
_KO = {"insmod", "modinfo", "debug", "audit"}


def history_file() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state")
    return Path(state) / "kmodsim" / "history"


def options_of(command: str) -> list[str]:
    """The -x / --long options a command's synopsis shows."""
    text = SUMMARIES.get(command, "")
    found: set[str] = set()
    for tok in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", text):
        if tok.startswith("--") or len(tok) == 2:
            found.add(tok)
        else:                          # a cluster of letters: [-ivc] is -i -v -c
            found |= {f"-{c}" for c in tok[1:]}
    return sorted(found)


def _folder_names(session: Session, want_ko: bool) -> list[str]:
    folder = Path(session.cwd)
    names: set[str] = set()
    for p in folder.iterdir():
        if p.name.startswith("."):
            continue
        if p.suffix == ".c" and makefile.buildable(folder, p.stem):
            names.add(p.stem + ".ko")
        if not want_ko:
            names.add(p.name + ("/" if p.is_dir() else ""))
    mk = makefile.parse(folder)
    if mk is not None:
        names |= {f"{m}.ko" for m in mk.modules}
    return sorted(names)


#: directories the kernel's list_dir does not enumerate
_TOP_DIRS = {"/sys": ("module", "kernel"), "/sys/kernel": ("debug",),
             "/sys/kernel/debug": ("kmemleak",), "/proc": ("devices", "misc", "modules", "sys"),
             "/proc/sys": ("kernel",), "/proc/sys/kernel": ("tainted",)}


def _virtual_paths(session: Session, text: str) -> list[str]:
    """Completions of a /proc, /sys, /dev or /tmp path, directories with '/'."""
    head, _, part = text.rpartition("/")
    err, names = fs.list_dir(session, head or "/")
    if err < 0 and head in _TOP_DIRS:
        err, names = 0, list(_TOP_DIRS[head])
    if err < 0:
        return []
    out = []
    for n in names:
        if n.startswith(part):
            full = f"{head}/{n}"
            is_dir = fs.list_dir(session, full)[0] == 0 or full in _TOP_DIRS
            out.append(full + ("/" if is_dir else ""))
    return out


def candidates(session: Session, line: str, text: str) -> list[str]:
    """What Tab may put in place of `text`, the word being typed in `line`."""
    before = line[:len(line) - len(text)] if line.endswith(text) else line
    words = before.split()
    if not words or before.rstrip().endswith(("|", ";", "&&", "||")):
        return sorted(c for c in TOOLS if c.startswith(text))
    cmd = words[-1] if before.rstrip().endswith(("|", ";")) else words[0]
    if cmd == "sudo" and len(words) == 1:
        return sorted(c for c in TOOLS if c.startswith(text))
    if text.startswith("-"):
        return [o for o in options_of(cmd) if o.startswith(text)]
    if text.startswith("/") and text != "/" and not text.startswith(("/proc", "/sys",
                                                                      "/dev", "/tmp")):
        return [d + "/" for d in ("/proc", "/sys", "/dev", "/tmp") if d.startswith(text)]
    if text.startswith(("/proc", "/sys", "/dev", "/tmp")) or text == "/":
        return _virtual_paths(session, text) if text != "/" else \
            ["/proc/", "/sys/", "/dev/", "/tmp/"]
    found: list[str] = []
    if cmd in _LOADED:
        found += fs.list_dir(session, "/sys/module")[1]
    if cmd == "modinfo" or cmd not in _LOADED:
        found += _folder_names(session, cmd in _KO)
    return sorted({f for f in found if f.startswith(text)})


def make_completer(session: Session) -> Callable[[str, int], str | None]:
    import readline
    matches: list[str] = []

    def complete(text: str, state: int) -> str | None:
        nonlocal matches
        if state == 0:
            try:
                matches = candidates(session, readline.get_line_buffer()
                                     [:readline.get_endidx()], text)
            except Exception:       # noqa: BLE001  a completer must never kill the prompt
                matches = []
            # a single match ends the word with a blank, as bash does; a
            # directory is left open for the rest of the path
            if len(matches) == 1 and not matches[0].endswith("/"):
                matches = [matches[0] + " "]
        return matches[state] if state < len(matches) else None
    return complete


def _setup_readline(session: Session) -> Path | None:
    try:
        import readline
    except ImportError:
        return None
    path = history_file()
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(HISTORY_LINES)
    readline.set_completer_delims(" \t\n;|&<>=")
    readline.set_completer(make_completer(session))
    readline.parse_and_bind("tab: complete")
    return path


def _save_history(path: Path | None) -> None:
    if path is None:
        return
    import readline
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(path)
    except OSError as e:
        print(f"kmodsim: cannot save history to {path}: {e.strerror}", file=sys.stderr)


def write_result(result: CommandResult, out: TextIO, err: TextIO) -> None:
    for fd, text in result.chunks:
        stream = err if fd == ERR else out
        stream.write(text)
        stream.flush()


def interactive(session: Session, echo: bool, out: TextIO, err: TextIO) -> int:
    """The read-eval loop at a terminal; returns the last status."""
    path = _setup_readline(session)
    status = 0
    try:
        while True:
            try:
                line = input(PROMPT)
            except KeyboardInterrupt:       # Ctrl-C: drop the line, new prompt
                out.write("\n")
                status = 130
                session.last_status = status
                continue
            except EOFError:                # Ctrl-D on an empty line
                out.write("\n")
                return status
            if not line.strip():
                continue
            if echo:
                out.write(f"# {line}\n")
            status = _run(session, line, out, err)
    finally:
        _save_history(path)


def _run(session: Session, line: str, out: TextIO, err: TextIO) -> int:
    try:
        result = session.run(line)
    except KeyboardInterrupt:
        # the command runs in the simulated kernel, in one system call: a
        # real task in init_module sleeps uninterruptibly (TASK_UNINTERRUPTIBLE
        # while it holds module_mutex), so ^C only reaches it afterwards
        err.write("^C\nkmodsim: interrupted; the simulated kernel's state may be "
                  "partial (a real insmod cannot be interrupted inside init_module)\n")
        session.last_status = 130
        return 130
    write_result(result, out, err)
    return result.status
