"""The command line language of the simulated shell: a subset of sh (dash).

Words are split on blanks; '...' quotes literally, "..." quotes with $
expansion, a backslash escapes one character; `;`, `&&` and `||` join
pipelines, `|` joins commands into a pipeline; `#` starts a comment.
Redirections: `>`, `>>`, `<`, `N>`, `N>>`, `N>&M` (so `2>&1`,
`2>/dev/null`).  `$?` is the last command's exit status (expanded when the
command runs, so `false; echo $?` prints 1); `$PWD` and `$HOME` are known,
other variables are empty.  Background jobs and command substitution are
refused with a clear message.  Syntax errors use dash's words (parser.c
synexpect(): `Syntax error: "&&" unexpected`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: stands for `$?` inside a word until the command runs
STATUS = "\x00?"


class ShellSyntaxError(ValueError):
    pass


@dataclass
class Redirect:
    fd: int                 # the descriptor redirected
    op: str                 # ">", ">>", "<", ">&"
    target: str             # a file name, or the descriptor number of ">&"

    def expanded(self, status: int) -> "Redirect":
        return Redirect(self.fd, self.op, self.target.replace(STATUS, str(status)))


@dataclass
class Command:
    op: str                       # how it joins the previous one: "", ";", "&&", "||", "|"
    words: list[str] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)

    def argv(self, status: int) -> list[str]:
        return [w.replace(STATUS, str(status)) for w in self.words]

    @property
    def empty(self) -> bool:
        return not self.words and not self.redirects


_UNSUPPORTED = {"&": "background jobs", "`": "command substitution"}
_OPERATORS = ("&&", "||", ";", "|")


class _Lexer:
    def __init__(self, line: str, env: dict[str, str]) -> None:
        self.s, self.i, self.env = line, 0, env
        self.commands = [Command("")]
        self.word: list[str] | None = None
        self.quoted = False            # the current word has a quoted part
        self.pending: tuple[int, str] | None = None   # a redirection waiting for its word

    # -- words -----------------------------------------------------------------
    def end_word(self) -> None:
        if self.word is None:
            return
        text = "".join(self.word)
        self.word, self.quoted = None, False
        if self.pending is not None:
            fd, op = self.pending
            self.pending = None
            if op == ">&" and not text.isdigit():
                raise ShellSyntaxError(f"{text}: bad fd number" if text != "-" else
                                       "closing descriptors is not supported")
            self.commands[-1].redirects.append(Redirect(fd, op, text))
        else:
            self.commands[-1].words.append(text)

    def add(self, text: str) -> None:
        if self.word is None:
            self.word = []
        self.word.append(text)

    def end_command(self, op: str) -> None:
        self.end_word()
        self.need_target()
        if self.commands[-1].empty:
            raise ShellSyntaxError(f'Syntax error: "{op}" unexpected')
        self.commands.append(Command(op))

    def need_target(self) -> None:
        if self.pending is not None:
            raise ShellSyntaxError("Syntax error: end of file unexpected")

    def run(self) -> list[Command]:
        while self.i < len(self.s):
            self.step(self.s[self.i])
        self.end_word()
        self.need_target()
        last = self.commands[-1]
        if last.empty and last.op in ("&&", "||", "|"):
            raise ShellSyntaxError("Syntax error: end of file unexpected")
        return [c for c in self.commands if not c.empty]

    def step(self, c: str) -> None:
        s, i = self.s, self.i
        if c in " \t\n":
            self.end_word()
            self.i += 1
        elif c == "#" and self.word is None:
            self.i = len(s)
        elif any(s.startswith(op, i) for op in _OPERATORS):
            op = next(op for op in _OPERATORS if s.startswith(op, i))
            self.end_command(op)
            self.i += len(op)
        elif c in "<>":
            self.redirection()
        elif c in _UNSUPPORTED:
            raise ShellSyntaxError(f"{_UNSUPPORTED[c]} are not supported")
        elif c == "'":
            self.single_quoted()
        elif c == '"':
            self.double_quoted()
        elif c == "\\":
            self.add(s[i + 1:i + 2])
            self.quoted = True
            self.i += 2
        elif c == "$":
            self.dollar()
        else:
            self.add(c)
            self.i += 1

    def redirection(self) -> None:
        """[N]> [N]>> [N]< [N]>&M: an unquoted number right before is the fd."""
        s, i = self.s, self.i
        word = "".join(self.word) if self.word is not None else ""
        fd = int(word) if word.isdigit() and not self.quoted else None
        if fd is not None:
            self.word, self.quoted = None, False
        else:
            self.end_word()
        self.need_target()
        for op in (">>", ">&", ">|", ">", "<"):
            if s.startswith(op, i):
                break
        self.i += len(op)
        default = 0 if op == "<" else 1
        self.pending = (default if fd is None else fd, ">" if op == ">|" else op)

    def single_quoted(self) -> None:
        end = self.s.find("'", self.i + 1)
        if end < 0:
            raise ShellSyntaxError("Syntax error: Unterminated quoted string")
        self.add(self.s[self.i + 1:end])
        self.quoted = True
        self.i = end + 1

    def double_quoted(self) -> None:
        self.add("")
        self.quoted = True
        self.i += 1
        while self.i < len(self.s) and self.s[self.i] != '"':
            c = self.s[self.i]
            if c == "\\" and self.s[self.i + 1:self.i + 2] in ('"', "\\", "$", "`"):
                self.add(self.s[self.i + 1])
                self.i += 2
            elif c == "$":
                self.dollar()
            elif c == "`":
                raise ShellSyntaxError("command substitution is not supported")
            else:
                self.add(c)
                self.i += 1
        if self.i >= len(self.s):
            raise ShellSyntaxError("Syntax error: Unterminated quoted string")
        self.i += 1

    def dollar(self) -> None:
        rest = self.s[self.i + 1:]
        if rest.startswith("?") or rest.startswith("{?}"):
            self.add(STATUS)
            self.i += 2 if rest.startswith("?") else 4
            return
        if rest.startswith("("):
            raise ShellSyntaxError("command substitution is not supported")
        braced = rest.startswith("{")
        body = rest[1:] if braced else rest
        n = 0
        while n < len(body) and (body[n].isalnum() or body[n] == "_"):
            n += 1
        if n == 0:
            self.add("$")
            self.i += 1
            return
        if braced and body[n:n + 1] != "}":
            raise ShellSyntaxError("Bad substitution")
        value = self.env.get(body[:n], "")
        if value or self.word is not None:     # unquoted and empty: no word at all
            self.add(value)
        self.i += 1 + n + (2 if braced else 0)


def parse(line: str, env: dict[str, str] | None = None) -> list[Command]:
    """Split one input line into commands; raises ShellSyntaxError.
    A command whose op is "|" reads the previous one's output."""
    return _Lexer(line, env or {}).run()


def pipelines(commands: list[Command]) -> list[list[Command]]:
    """Group parsed commands into pipelines (the first keeps the list's op)."""
    out: list[list[Command]] = []
    for cmd in commands:
        if cmd.op == "|" and out:
            out[-1].append(cmd)
        else:
            out.append([cmd])
    return out
