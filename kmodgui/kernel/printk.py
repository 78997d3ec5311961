"""printk: the kernel log ring buffer (kernel/printk/printk.c).

Messages carry their level as a prefix: "\\001" + '0'..'7' since 3.6
(include/linux/kern_levels.h), "<0>".."<7>" in 2.6.30.  A message without
a level gets MESSAGE_LOGLEVEL_DEFAULT (4).  A message not ending in a
newline stays open; the next one continues it when it is KERN_CONT
(modern) or has no level prefix (2.6.30).  Embedded newlines give one
printed line each, all with the record's timestamp.
"""
from __future__ import annotations

from kmodgui.kernel.events import Printk, Trace

DEFAULT_LEVEL = 4     # MESSAGE_LOGLEVEL_DEFAULT: KERN_WARNING
LEVEL_NAMES = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]


class LogBuffer:
    def __init__(self, trace: Trace, clock, modern: bool) -> None:
        self.trace = trace
        self.clock = clock
        self.modern = modern
        self.records: list[Printk] = []     # what dmesg can read
        self.seq = 0
        self._open: tuple[int, int, str, str | None] | None = None  # ts, level, text, module

    def vprintk(self, msg: bytes, module: str | None, injected: bool = False) -> int:
        text = msg.decode("utf-8", "replace")
        level, cont, text = self._parse_prefix(text)
        if self._open is not None and cont:
            ts, lvl, prev, mod = self._open
            self._open = None
            self._store(ts, lvl, prev + text, mod, injected)
        else:
            self.flush()
            self._store(self.clock(), level if level is not None else DEFAULT_LEVEL,
                        text, module, injected)
        return len(msg)

    def _parse_prefix(self, text: str) -> tuple[int | None, bool, str]:
        if self.modern:
            level, cont = None, False
            while len(text) >= 2 and text[0] == "\001":
                c = text[1]
                if c in "01234567":
                    level = int(c)
                elif c == "c":
                    cont = True
                text = text[2:]
            return level, cont and level is None, text
        if len(text) >= 3 and text[0] == "<" and text[2] == ">" and text[1] in "01234567":
            return int(text[1]), False, text[3:]
        return None, True, text

    def _store(self, ts: int, level: int, text: str, module: str | None,
               injected: bool) -> None:
        *lines, rest = text.split("\n")
        if rest:                      # no trailing newline: the line stays open
            self._open = (ts, level, rest, module)
        for line in lines:
            self._emit(ts, level, line, module, injected)

    def _emit(self, ts: int, level: int, line: str, module: str | None, injected: bool) -> None:
        self.seq += 1
        rec = Printk(ts, self.seq, level, line, module, injected)
        self.records.append(rec)
        self.trace.emit(rec)

    def flush(self) -> None:
        """Close an open (unterminated) line: it becomes a record of its own."""
        if self._open is not None:
            ts, lvl, text, mod = self._open
            self._open = None
            if text:
                self._emit(ts, lvl, text, mod, False)

    def line(self, text: str, level: int, module: str | None = None,
             injected: bool = False) -> None:
        """A whole line from the kernel itself (pr_warn(...) in kernel code)."""
        self.flush()
        self._emit(self.clock(), level, text, module, injected)

    def clear(self) -> None:
        self.flush()
        self.records.clear()
