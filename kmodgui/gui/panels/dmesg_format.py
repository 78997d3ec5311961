"""How the dmesg pane writes a printk record.

The timestamp is printk's own `"[%5lu.%06lu]"` (kernel/printk/printk.c
print_time).  In front goes the level name as `dmesg -x` (util-linux
--decode) prints it, `%-6s` wide, so the level is readable without colour.
"""
from __future__ import annotations

#: util-linux dmesg level_names[], indexed by printk level 0..7.
LEVEL_NAMES = ("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug")


def timestamp(ts_ns: int) -> str:
    return f"[{ts_ns // 1_000_000_000:5d}.{ts_ns % 1_000_000_000 // 1000:06d}]"


def level_tag(level: int) -> str:
    return f"{LEVEL_NAMES[max(0, min(7, level))]:<6} "


def compact_time(ts_ns: int) -> str:
    """The same seconds and microseconds as print_time, without its padding."""
    return f"{ts_ns // 1_000_000_000}.{ts_ns % 1_000_000_000 // 1000:06d}"


#: the pane's layouts: level and time in a narrow gutter, or in the text
#: exactly as `dmesg` prints a record ("[    4.827454] hello").
LAYOUTS = ("columns", "dmesg")


def parse_levels(spec: str) -> set[int]:
    """`dmesg -l err,warn` style list -> set of levels (names or digits)."""
    out: set[int] = set()
    for item in spec.replace(" ", "").split(","):
        if not item:
            continue
        if item.isdigit() and int(item) < 8:
            out.add(int(item))
        elif item in LEVEL_NAMES:
            out.add(LEVEL_NAMES.index(item))
        else:
            raise ValueError(f"unknown level '{item}'")
    return out
