"""What every tool shares: its result, the context it runs in, the registry.

A tool is `tool(ctx, argv) -> ToolResult`.  `ctx` is the Session (see
ToolContext for the part of it tools may use).  Tools reach kernel state
only the way the real programs do: syscalls (`kernel.init_module`,
`kernel.delete_module`) and files (`kernel.read_file`, `kernel.list_dir`).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

if TYPE_CHECKING:
    from kmodgui.kbuild.make import BuildResult
    from kmodgui.kernel.kernel import Kernel
    from kmodgui.kernel.profile import Profile

OUT, ERR = 1, 2


class ToolResult:
    """Exit status plus everything written to stdout (1) and stderr (2), in
    the order it was written (a terminal interleaves the two streams)."""

    def __init__(self, status: int = 0, stdout: str = "", stderr: str = "") -> None:
        self.status = status
        self.chunks: list[tuple[int, str]] = []
        if stdout:
            self.out(stdout)
        if stderr:
            self.err(stderr)

    def out(self, text: str) -> "ToolResult":
        if text:
            self.chunks.append((OUT, text))
        return self

    def err(self, text: str) -> "ToolResult":
        if text:
            self.chunks.append((ERR, text))
        return self

    def outln(self, line: str = "") -> "ToolResult":
        return self.out(line + "\n")

    def errln(self, line: str) -> "ToolResult":
        return self.err(line + "\n")

    def done(self, status: int) -> "ToolResult":
        self.status = status
        return self

    @property
    def stdout(self) -> str:
        return "".join(t for fd, t in self.chunks if fd == OUT)

    @property
    def stderr(self) -> str:
        return "".join(t for fd, t in self.chunks if fd == ERR)

    def __repr__(self) -> str:
        return f"ToolResult({self.status}, {self.stdout!r}, {self.stderr!r})"


class ToolContext(Protocol):
    """The part of kmodgui.session.Session a tool may use."""

    kernel: Kernel
    profile: Profile
    config: dict[str, bool]
    cwd: Path
    console_loglevel: int

    def build(self, srcdir: Path, modname: str) -> BuildResult: ...
    def is_built(self, srcdir: Path, modname: str) -> bool: ...
    def built_modules(self, srcdir: Path) -> list[str]: ...
    def forget_builds(self, srcdir: Path) -> None: ...
    def reboot(self, profile: str | None = None,
               config: dict[str, bool] | None = None) -> None: ...
    def set_config(self, changes: dict[str, bool]) -> dict[str, bool]: ...


Tool = Callable[[ToolContext, list[str]], ToolResult]

#: command name -> tool; filled by the tool modules (see userspace/__init__.py)
TOOLS: dict[str, Tool] = {}
#: command name -> one-line summary for `help`
SUMMARIES: dict[str, str] = {}


def tool(name: str, summary: str) -> Callable[[Tool], Tool]:
    """Register a command of the simulated shell."""
    def deco(fn: Tool) -> Tool:
        TOOLS[name] = fn
        SUMMARIES[name] = summary
        return fn
    return deco
