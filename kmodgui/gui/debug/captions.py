"""Step captions: what just happened, in words, from trace events (no Qt).

    register_those() failed with -ENOMEM; jumping to fail_those
    unregister_that() released that "skull"
    init returned -12: insmod fails with Cannot allocate memory

The lecture caption, the debugger's message line and exported slides use
these.  A `Captioner` keeps what a sentence needs from earlier steps (the
failure a later goto is jumping away from, where a resource was acquired,
whether init had started) so each step's caption reads on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kmodgui.kernel.events import (CallFailed, CommandRun, Event, Jump,
                                   ModuleStateChanged, Oops, Printk,
                                   ResourceAcquired, ResourceProblem,
                                   ResourceReleased, Site)
from kmodgui.userspace.errnos import ERRNOS, errno_name

#: caption kinds, most important last (the caption takes the strongest)
KINDS = ("idle", "info", "acquire", "release", "jump", "done", "fail", "problem")
#: a symbol per kind: colour is never the only cue
#: sentences one caption keeps (a continue over many events: the last ones)
MAX_PARTS = 3
SYMBOLS = {"idle": "·", "info": "›", "acquire": "+", "release": "−", "jump": "↷",
           "done": "✔", "fail": "✖", "problem": "⚠"}


@dataclass(frozen=True)
class Caption:
    text: str
    kind: str = "info"

    @property
    def symbol(self) -> str:
        return SYMBOLS.get(self.kind, "›")

    def __str__(self) -> str:
        return self.text


def errno_text(errno: int) -> str:
    """-ENOMEM for 12."""
    return f"-{errno_name(abs(errno))}"


def errno_from_message(text: str) -> int | None:
    """The errno whose strerror() ends a tool's error line ("...: Cannot
    allocate memory", 2.6.30's "-1 Device or resource busy")."""
    text = text.strip()
    best = None
    for num, msg in ERRNOS.values():
        if text.endswith(msg) and (best is None or len(msg) > len(best[1])):
            best = (num, msg)
    return best[0] if best else None


@dataclass
class Captioner:
    """Turns each step's events into one caption."""
    failure: CallFailed | None = None
    acquired: dict[int, Site | None] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    init_failed: set[str] = field(default_factory=set)

    def learn(self, events: list[Event]) -> None:
        """Read earlier events (no caption): acquisition sites, module states."""
        for ev in events:
            self._note(ev)

    def caption(self, events: list[Event]) -> Caption | None:
        """The caption of one step; None when nothing worth saying happened."""
        parts: list[tuple[str, str]] = []
        printed: list[str] = []
        for ev in events:
            said = self._say(ev)
            self._note(ev)
            if said:
                parts.append(said)
            elif isinstance(ev, Printk) and not ev.injected:
                printed.append(ev.text)
        if not parts and printed:
            parts = [(f'printk: "{printed[-1]}"', "info")]
        if not parts:
            return None
        texts = _merge([p[0] for p in parts])
        text = "; ".join(texts[-MAX_PARTS:])
        if len(texts) > MAX_PARTS:          # a long run (continue): its last sentences
            text = "… " + text
        kind = max((p[1] for p in parts), key=KINDS.index)
        return Caption(text, kind)

    # -- one event -------------------------------------------------------------
    def _note(self, ev: Event) -> None:
        if isinstance(ev, ResourceAcquired):
            self.acquired[ev.rid] = ev.site
        elif isinstance(ev, CallFailed):
            self.failure = ev
        elif isinstance(ev, ModuleStateChanged):
            if ev.state == "GOING" and self.states.get(ev.name) == "COMING":
                self.init_failed.add(ev.name)
            elif ev.state == "COMING":
                self.init_failed.discard(ev.name)
                self.failure = None
            self.states[ev.name] = ev.state

    def _say(self, ev: Event) -> tuple[str, str] | None:
        if isinstance(ev, CallFailed):
            return _failed(ev), "fail"
        if isinstance(ev, Jump):
            return self._jump(ev), "jump"
        if isinstance(ev, ResourceAcquired):
            return f"{ev.api}() acquired {ev.name}", "acquire"
        if isinstance(ev, ResourceReleased):
            return self._released(ev)
        if isinstance(ev, ResourceProblem):
            return self._problem(ev), "problem"
        if isinstance(ev, ModuleStateChanged):
            return self._state(ev)
        if isinstance(ev, CommandRun):
            return self._command(ev)
        if isinstance(ev, Oops):
            return f"{ev.kind}: {ev.summary}", "problem"
        return None

    def _jump(self, ev: Jump) -> str:
        """A goto after a failure says which failure it unwinds."""
        f = self.failure
        if f is not None and (f.site is None or f.site.func == ev.func):
            self.failure = None     # said once
            return f"{_failed(f)}; jumping to {ev.label}"
        return f"goto {ev.label} (line {ev.from_line} → {ev.to_line})"

    def _released(self, ev: ResourceReleased) -> tuple[str, str]:
        site = self.acquired.get(ev.rid)
        where = f" (acquired at line {site.line})" if site is not None else ""
        if ev.in_order:
            return f"{ev.api}() released {ev.name}{where}", "release"
        return (f"{ev.api}() released {ev.name} OUT OF REVERSE ORDER: something "
                f"acquired after it is still held", "problem")

    def _problem(self, ev: ResourceProblem) -> str:
        where = f" (acquired at line {ev.site.line})" if ev.site else ""
        if ev.problem == "leak":
            return f"LEAK: {ev.name}{where} was never released"
        if ev.problem == "double-release":
            return f"{ev.name} released twice"
        return f"{ev.name} released but never acquired"

    def _state(self, ev: ModuleStateChanged) -> tuple[str, str] | None:
        before = self.states.get(ev.name)
        if ev.state == "COMING":
            return f"insmod: {ev.name} loading, its init runs", "info"
        if ev.state == "LIVE":
            return f"init returned 0: {ev.name} is live", "done"
        if ev.state == "GOING" and before == "LIVE":
            return f"rmmod: {ev.name} unloading, its exit runs", "info"
        return None

    def _command(self, ev: CommandRun) -> tuple[str, str] | None:
        if not ev.argv or ev.argv[0] not in ("insmod", "rmmod"):
            return None
        tool = ev.argv[0]
        target = ev.argv[1] if len(ev.argv) > 1 else ""
        if ev.status == 0:
            return (f"rmmod {target} done: the module is gone", "done") if tool == "rmmod" else None
        message = ev.stderr.strip().splitlines()[-1] if ev.stderr.strip() else ""
        errno = errno_from_message(message)
        reason = ERRNOS_TEXT.get(errno, message) if errno else message
        name = target.removesuffix(".ko").replace("-", "_")
        if tool == "insmod" and name in self.init_failed and errno:
            return f"init returned -{errno}: insmod fails with {reason}", "fail"
        return f"{tool} fails: {reason}", "fail"


def _failed(ev: CallFailed) -> str:
    extra = " (injected)" if ev.injected else ""
    return f"{ev.api}() failed with {errno_text(ev.errno)}{extra}"


ERRNOS_TEXT: dict[int, str] = {num: text for num, text in ERRNOS.values()}


def _merge(texts: list[str]) -> list[str]:
    """Sentences of one step, without repeating a failure a jump already names."""
    out: list[str] = []
    for t in texts:
        if out and t.startswith(out[-1] + "; "):
            out[-1] = t
        else:
            out.append(t)
    return out
