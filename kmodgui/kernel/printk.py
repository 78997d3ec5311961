"""printk: the kernel log ring buffer (kernel/printk/printk.c).

Messages carry their level as a prefix: "\\001" + '0'..'7' since 3.6
(include/linux/kern_levels.h), "<0>".."<7>" in 2.6.30.  A message without
a level gets MESSAGE_LOGLEVEL_DEFAULT (4).  A message not ending in a
newline stays open; the next one continues it when it is KERN_CONT
(modern) or has no level prefix (2.6.30).  Embedded newlines give one
printed line each, all with the record's timestamp; the lines after the
first are marked `continued` (util-linux's dmesg indents them).
"""
from __future__ import annotations

from typing import Callable

from kmodgui.kernel.events import Printk, Trace

DEFAULT_LEVEL = 4     # MESSAGE_LOGLEVEL_DEFAULT: KERN_WARNING
#: CONFIG_LOG_BUF_SHIFT=17 (Debian 6.1): a 128 KiB text ring ...
LOG_BUF_LEN = 1 << 17
#: ... and 2^(LOG_BUF_SHIFT - PRB_AVGBITS) = 4096 record descriptors
LOG_DESCS = 1 << (17 - 5)
#: LOG_LINE_MAX = CONSOLE_LOG_MAX (1024) - PREFIX_MAX (32): vprintk_store()
#: formats into at most this many bytes, the terminating NUL included
LOG_LINE_MAX = 1024 - 32
#: console_loglevel of the recorded machine (booted with `quiet loglevel=4`):
#: records of a lower level are written to the console as well
CONSOLE_LOGLEVEL = 4
LEVEL_NAMES = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]


class LogBuffer:
    def __init__(self, trace: Trace, clock: Callable[[], int], modern: bool) -> None:
        self.trace = trace
        self.clock = clock
        self.modern = modern
        self.records: list[Printk] = []     # what dmesg can read
        self._ring_bytes = 0                # text bytes the records occupy
        self.seq = 0
        self._open: tuple[int, int, str, str | None] | None = None  # ts, level, text, module
        #: records that went to the console (level < CONSOLE_LOGLEVEL), ever
        self.console_records = 0

    def vprintk(self, msg: bytes, module: str | None, injected: bool = False) -> int:
        # vprintk_store(): the formatted text is cut to LOG_LINE_MAX - 1 bytes
        msg = msg[:LOG_LINE_MAX - 1]
        text = msg.decode("utf-8", "replace")
        level, cont, text = self._parse_prefix(text)
        if self._open is not None and cont:
            ts, lvl, prev, mod = self._open
            self._open = None
            self._store(ts, lvl, prev + text, mod, injected)
        else:
            self.flush()
            level = level if level is not None else DEFAULT_LEVEL
            if level < CONSOLE_LOGLEVEL:
                self.console_records += 1
            self._store(self.clock(), level, text, module, injected)
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
        for i, line in enumerate(lines):
            self._emit(ts, level, line, module, injected, continued=i > 0)

    def _emit(self, ts: int, level: int, line: str, module: str | None, injected: bool,
              continued: bool = False) -> None:
        self.seq += 1
        rec = Printk(ts, self.seq, level, line, module, injected, continued)
        self.records.append(rec)
        self._ring_bytes += _ring_size(line)
        self._overwrite_oldest()
        self.trace.emit(rec)

    def _overwrite_oldest(self) -> None:
        """prb_reserve(): a full ring makes room by dropping its oldest
        records (dmesg then starts later; nothing says so)."""
        drop = 0
        while self._ring_bytes > LOG_BUF_LEN or len(self.records) - drop > LOG_DESCS:
            self._ring_bytes -= _ring_size(self.records[drop].text)
            drop += 1
        if drop:
            del self.records[:drop]

    def flush(self) -> None:
        """Close an open (unterminated) line: it becomes a record of its own."""
        if self._open is not None:
            ts, lvl, text, mod = self._open
            self._open = None
            if text:
                self._emit(ts, lvl, text, mod, False)

    def line(self, text: str, level: int, module: str | None = None,
             injected: bool = False) -> None:
        """A whole message from the kernel itself (pr_warn(...) in kernel
        code); one with embedded newlines is one record of several lines."""
        self.flush()
        ts = self.clock()
        for i, part in enumerate(text.split("\n")):
            self._emit(ts, level, part, module, injected, continued=i > 0)

    def clear(self) -> None:
        self.flush()
        self.records.clear()
        self._ring_bytes = 0


def _ring_size(text: str) -> int:
    """A record's data block: its text after an 8-byte id, 8-byte aligned
    (kernel/printk/printk_ringbuffer.c, to_blk_size())."""
    return (len(text.encode("utf-8", "replace")) + 8 + 7) & ~7
