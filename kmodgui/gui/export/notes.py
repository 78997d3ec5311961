"""Words for exported pictures and texts (no Qt here): the injected-fault
note every export carries when a fault was injected, and the step captions
burnt into an exported debug session.

An injected fault is marked everywhere it shows (design.md): a slide made
from kmodgui must not pass a forced failure off as something the module
did by itself, so every export whose content includes one says so.
"""
from __future__ import annotations

from typing import Any, Iterable

from kmodgui.kernel.events import (CallFailed, FaultInjected, Jump, ModuleStateChanged, Oops,
                                   Printk, ResourceAcquired, ResourceProblem, ResourceReleased)
from kmodgui.userspace.errnos import errno_name

MAX_CAPTION = 160


def injected_faults(events: Iterable[Any]) -> list[Any]:
    return [e for e in events if isinstance(e, FaultInjected)]


def fault_note(events: Iterable[Any]) -> str:
    """'contains an injected fault: register_those() -ENOMEM at skull.c:42'
    (or several, joined); empty when no fault was injected."""
    faults = injected_faults(events)
    if not faults:
        return ""
    seen: list[str] = []
    for f in faults:
        where = f" at {f.site}" if f.site else ""
        text = f"{f.api}() -{errno_name(f.errno)}{where}"
        if text not in seen:
            seen.append(text)
    shown = seen[:3] + ([f"and {len(seen) - 3} more"] if len(seen) > 3 else [])
    noun = "an injected fault" if len(seen) == 1 else f"{len(seen)} injected faults"
    return f"contains {noun} (forced by kmodgui, not by the module): " + "; ".join(shown)


def _what(ev: Any) -> str | None:
    """One event in a few words, or None when it is not worth a caption."""
    if isinstance(ev, CallFailed):
        how = " (injected fault)" if ev.injected else ""
        return f"{ev.api}() failed with -{errno_name(ev.errno)}{how}"
    if isinstance(ev, Jump):
        return f"jumping to {ev.label}"
    if isinstance(ev, ResourceAcquired):
        return f"{ev.api}() acquired {ev.name}"
    if isinstance(ev, ResourceReleased):
        order = "" if ev.in_order else " (out of reverse order!)"
        return f"{ev.api}() released {ev.name}{order}"
    if isinstance(ev, ResourceProblem):
        words = {"leak": "LEAKED", "double-release": "released TWICE",
                 "never-acquired": "released but never acquired"}
        return f"{ev.name}: {words.get(ev.problem, ev.problem)}"
    if isinstance(ev, ModuleStateChanged) and ev.state in ("LIVE", "GOING", "GONE"):
        return {"LIVE": f"{ev.name} is live", "GOING": f"{ev.name}: exit running",
                "GONE": f"{ev.name} is gone"}[ev.state]
    if isinstance(ev, Oops):
        return f"the kernel oopsed: {ev.summary}"
    if isinstance(ev, Printk) and ev.module and not ev.injected:
        return f"printk: “{ev.text}”"
    return None


def step_caption(step: int, events: Iterable[Any], line: int = 0, code: str = "",
                 captioner: Any = None) -> str:
    """'step 7: register_those() failed with -ENOMEM (injected); jumping to
    fail_those': what the last statement did, in the words of the debugger's
    own captions (gui/debug/captions.py's Captioner) when given one; when it
    did nothing worth saying, the line about to run."""
    events = list(events)
    said = ""
    if captioner is not None:
        cap = captioner.caption(events)
        said = cap.text if cap is not None else ""
    else:
        parts: list[str] = []
        for ev in events:
            what = _what(ev)
            if what and what not in parts:
                parts.append(what)
        said = "; ".join(parts)
    if said:
        text = f"step {step}: {said}"
    elif line:
        text = f"step {step}: line {line}: {' '.join(code.split())}".rstrip(": ")
    else:
        text = f"step {step}"
    return text if len(text) <= MAX_CAPTION else text[:MAX_CAPTION - 1] + "…"


def make_captioner(history: Iterable[Any]) -> Any:
    """The debugger's Captioner, primed with what happened before the
    recording started (where things were acquired, module states), or None
    if gui/debug is not available."""
    try:
        from kmodgui.gui.debug.captions import Captioner
    except ImportError:
        return None
    captioner = Captioner()
    captioner.learn(list(history))
    return captioner


def finished_caption(result: Any) -> str:
    """The debugged command's end: 'insmod skull.ko exited with status 1: ...'."""
    if result is None:
        return "the command ended"
    cmd = " ".join(getattr(result, "argv", ()) or ("command",))
    text = f"{cmd} exited with status {result.status}"
    err = (getattr(result, "stderr", "") or "").strip().splitlines()
    return f"{text}: {err[-1]}" if err else text
