"""kmemleak (mm/kmemleak.c), the kernel memory leak detector of
CONFIG_DEBUG_KMEMLEAK, and its debugfs file /sys/kernel/debug/kmemleak.

Without the option (Debian's 6.1) the file does not exist and a leak is
silent.  With it:
- kmemleak_scan() finds the objects nothing points to any more (here: the
  memory a module that is gone left allocated), older than MSECS_MIN_AGE
  (5 s) at the scan; each one not reported before is marked
  OBJECT_REPORTED and counted, and a scan that found new ones logs
  "kmemleak: N new suspected memory leaks (see /sys/kernel/debug/kmemleak)";
- reading the file (kmemleak_seq_show()) lists the reported objects in
  print_unreferenced()'s form;
- writing "scan" runs a scan (kmemleak_write()), "clear" paints the
  reported objects grey so they are never listed again (kmemleak_clear()),
  anything else is -EINVAL.
The scan thread's own scans (60 s after boot, then every 10 minutes) are
not simulated: `echo scan` does what they do.
"""
from __future__ import annotations

import errno as E

from kmodgui.kernel.ledger import Resource
from kmodgui.kernel.services import KernelServices

PATH = "/sys/kernel/debug/kmemleak"
#: MSECS_MIN_AGE: an object younger than this at a scan is not reported
MIN_AGE_NS = 5_000_000_000


def enabled(k: KernelServices) -> bool:
    return bool(k.config.get("DEBUG_KMEMLEAK"))


def _state(k: KernelServices) -> dict[str, set[int]]:
    """Per boot: the ledger ids marked OBJECT_REPORTED, and the grey ones."""
    st: dict[str, set[int]] = k.names.setdefault("kmemleak", {})
    st.setdefault("reported", set())
    st.setdefault("grey", set())
    return st


def _unreferenced(k: KernelServices) -> list[Resource]:
    """The memory whose owner is gone: no pointer to it is left anywhere."""
    return [r for r in k.ledger.held() if r.kind == "memory"
            and (r.left_behind or r.owner not in k.modules)]


def scan(k: KernelServices) -> int:
    """kmemleak_scan(): mark and count the new suspected leaks."""
    st = _state(k)
    new = [r for r in _unreferenced(k)
           if r.rid not in st["reported"] and r.rid not in st["grey"]
           and k.clock_ns - r.acquired_ts >= MIN_AGE_NS]
    st["reported"].update(r.rid for r in new)
    if new:
        k.log_line(k.profile.msg("kmemleak", n=len(new)), 6)
    return len(new)


def read(k: KernelServices) -> tuple[int, str]:
    """kmemleak_seq_show(): the objects reported and still unreferenced."""
    if not enabled(k):
        return -E.ENOENT, ""
    st = _state(k)
    shown = [r for r in _unreferenced(k) if r.rid in st["reported"]
             and r.rid not in st["grey"]]
    return 0, "".join(entries(k, shown))


def write(k: KernelServices, data: bytes) -> tuple[int, int]:
    """kmemleak_write(): "scan" or "clear" (other commands not modelled)."""
    if not enabled(k):
        return -E.ENOENT, 0
    cmd = data.decode("utf-8", "replace").strip()
    if cmd == "scan":
        scan(k)
    elif cmd == "clear":
        st = _state(k)
        st["grey"].update(st["reported"])
    else:
        return -E.EINVAL, 0
    return 0, len(data)


def entries(k: KernelServices, leaks: list[Resource]) -> list[str]:
    """print_unreferenced(), the 6.1 form (with the age)."""
    out = []
    for r in leaks:
        reg = k.mem.region_at(r.key) if isinstance(r.key, int) else None
        size = reg.size if reg else 0
        age = (k.clock_ns - r.acquired_ts) // 1_000_000
        jiffies = k.jiffies - (k.clock_ns - r.acquired_ts) * 250 // 1_000_000_000
        head = [reg.data[i:i + 16] for i in (0, 16) if reg and i < min(size, 32)]
        lines = [f"unreferenced object 0x{r.key:016x} (size {size}):",
                 f"  comm \"insmod\", pid {r.pid}, jiffies {jiffies} "
                 f"(age {age // 1000}.{age % 1000:03d}s)",
                 f"  hex dump (first {min(size, 32)} bytes):"]
        lines += ["    " + " ".join(f"{b:02x}" for b in row).ljust(48) + "  " +
                  "".join(chr(b) if 32 <= b < 127 else "." for b in row) for row in head]
        lines += ["  backtrace:",
                  f"    [<{0xffffffffc0000000 + (r.rid << 4):016x}>] "
                  f"{r.site.func if r.site else '?'}+0x1c/0x60 [{r.owner}]",
                  "    [<ffffffff81a3b2c0>] do_one_initcall+0x41/0x200"]
        out.append("\n".join(lines) + "\n")
    return out
