"""The command line language of the simulated shell: a small subset of sh.

Words are split on blanks; '...' quotes literally, "..." quotes with $
expansion, a backslash escapes one character; `;`, `&&` and `||` join
commands; `#` starts a comment.  `$?` is the last command's exit status
(expanded when the command runs, so `false; echo $?` prints 1); `$PWD` and
`$HOME` are known, other variables are empty.  Pipes, redirections,
background jobs and command substitution are refused with a clear message.
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: stands for `$?` inside a word until the command runs
STATUS = "\x00?"


class ShellSyntaxError(ValueError):
    pass


@dataclass
class Command:
    op: str                       # how it joins the previous one: "", ";", "&&", "||"
    words: list[str] = field(default_factory=list)

    def argv(self, status: int) -> list[str]:
        return [w.replace(STATUS, str(status)) for w in self.words]


_UNSUPPORTED = {"|": "pipes", ">": "redirections", "<": "redirections",
                "&": "background jobs", "`": "command substitution"}


class _Lexer:
    def __init__(self, line: str, env: dict[str, str]) -> None:
        self.s, self.i, self.env = line, 0, env
        self.commands = [Command("")]
        self.word: list[str] | None = None

    def end_word(self) -> None:
        if self.word is not None:
            self.commands[-1].words.append("".join(self.word))
            self.word = None

    def add(self, text: str) -> None:
        if self.word is None:
            self.word = []
        self.word.append(text)

    def end_command(self, op: str) -> None:
        self.end_word()
        if not self.commands[-1].words and op != ";":
            raise ShellSyntaxError(f"syntax error near unexpected token `{op}'")
        self.commands.append(Command(op))

    def run(self) -> list[Command]:
        while self.i < len(self.s):
            self.step(self.s[self.i])
        self.end_word()
        return [c for c in self.commands if c.words]

    def step(self, c: str) -> None:
        s, i = self.s, self.i
        if c in " \t\n":
            self.end_word()
            self.i += 1
        elif c == "#" and self.word is None:
            self.i = len(s)
        elif s.startswith("&&", i) or s.startswith("||", i):
            self.end_command(s[i:i + 2])
            self.i += 2
        elif c == ";":
            self.end_command(";")
            self.i += 1
        elif c in _UNSUPPORTED:
            raise ShellSyntaxError(f"{_UNSUPPORTED[c]} are not supported")
        elif c == "'":
            self.single_quoted()
        elif c == '"':
            self.double_quoted()
        elif c == "\\":
            self.add(s[i + 1:i + 2])
            self.i += 2
        elif c == "$":
            self.dollar()
        else:
            self.add(c)
            self.i += 1

    def single_quoted(self) -> None:
        end = self.s.find("'", self.i + 1)
        if end < 0:
            raise ShellSyntaxError("unexpected EOF while looking for matching `''")
        self.add(self.s[self.i + 1:end])
        self.i = end + 1

    def double_quoted(self) -> None:
        self.add("")
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
            raise ShellSyntaxError('unexpected EOF while looking for matching `"\'')
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
            raise ShellSyntaxError("bad substitution")
        value = self.env.get(body[:n], "")
        if value or self.word is not None:     # unquoted and empty: no word at all
            self.add(value)
        self.i += 1 + n + (2 if braced else 0)


def parse(line: str, env: dict[str, str] | None = None) -> list[Command]:
    """Split one input line into commands; raises ShellSyntaxError."""
    return _Lexer(line, env or {}).run()
