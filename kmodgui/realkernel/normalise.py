"""What may differ between two machines running the same session.

Two boots of the same kernel already differ in timestamps (printk's clock
is local_clock() since boot), load addresses (module_alloc() randomises
them with KASLR), module sizes (the layout of .text/.data a compiler
produced), PIDs (how many processes ran before), the folder the modules
were built in (modinfo prints a module's absolute path), and the bodies of stack
dumps (show_regs() values, the `? func+0x..` guesses of the unwinder).
Everything else -- wording, order, printk levels, exit codes, taint
flags, Used by, module states -- is behaviour and must be equal.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_TIME = re.compile(r"^(<\d>)?\[ *\d+\.\d{6}\]")
#: "func+0x18/0x1000": %pS's offset and size, which the compiler decides
_OFFSET = re.compile(r"\+0x[0-9a-f]+/0x[0-9a-f]+")
#: "RAX: 000000000000001e RBX: ...": one of __show_regs()'s register lines
_REGS = re.compile(r"^\s*(?:[A-Z][A-Z0-9]*|knlGS):\s*[0-9a-f]{4,16}(?:\(\d{4}\))?\s+"
                   r"(?:[A-Za-z][A-Za-z0-9_]*:\s*[0-9a-f]{4,16}(?:\(\d{4}\))?\s*)+$")
_RIP = re.compile(r"^(\s*RIP: [0-9a-f]{4}:)(?:0x[0-9a-f]+|\S+)")
_CODE = re.compile(r"^(\s*)Code: .*$")
_STAMPED = re.compile(r"^(?:(?:<\d>)?\[TIME\] )?")
_PID = re.compile(r"(PID: |\[insmod:|\[rmmod:|note: [\w./-]+\[)\d+")
#: an address in the module area (a module's code or data: where it was loaded)
_MODADDR = re.compile(r"((?:for address: |CR2: ))ffffffffc[0-9a-f]{7}$")


def dmesg_line(line: str) -> str:
    """`<6>[   11.625143] text` -> `<6>[TIME] text` (printk's timestamp)."""
    return _TIME.sub(lambda m: (m.group(1) or "") + "[TIME]", line)


def lsmod_line(line: str) -> str:
    """Keep kmod's columns ("%-19s %8ld  %d" in tools/lsmod.c), hide the
    size's digits."""
    m = re.match(r"^(.{19}) ( *)(\d+)(  .*)$", line)
    if not m or len(m.group(2)) + len(m.group(3)) != 8:
        return line
    return f"{m.group(1)} {'SIZE':>8}{m.group(4)}"


def proc_modules_line(line: str) -> str:
    """m_show() in kernel/module/procfs.c: name, size, refcount, users,
    state, address; the size and the address may differ."""
    return re.sub(r"^(\S+) \d+ (.*) 0x[0-9a-f]{16}\b", r"\1 SIZE \2 0xADDR", line)


def registers(text: str) -> str:
    """A register dump line (show_regs() in arch/x86/kernel/process_64.c,
    show_ip() and show_opcodes() in dumpstack.c) with its values hidden:
    which lines a dump has is behaviour, what the registers held is not."""
    if _CODE.match(text):
        return _CODE.sub(r"\1Code: BYTES", text)
    if re.match(r"^\s*RSP: [0-9a-f]{4}:[0-9a-f]{16} ", text):
        return re.sub(r"\b[0-9a-f]{8,16}\b", "N", text)
    if _REGS.match(text):
        return re.sub(r"(:\s*)[0-9a-f]{4,16}", r"\1N", text)
    m = _RIP.match(text)
    if m:
        where = text[m.end(1):]
        if where.startswith("0x"):                  # a user-space RIP
            return m.group(1) + "ADDR"
        return m.group(1) + _OFFSET.sub("+OFF", where)
    return _OFFSET.sub("+OFF", text)


#: modinfo's "filename:" field (or `modinfo -n`'s line): the module's path
_MODULE_PATH = re.compile(r"^(filename:\s+)?/(?:[^/\s]+/)*(?=[^/\s]+\.ko$)")


def module_path(line: str) -> str:
    """`filename:       /m/hi.ko` -> `filename:       DIR/hi.ko`: kmod's
    modinfo prints kmod_module_get_path(), the absolute path of the file
    (modinfo_do() in tools/modinfo.c); which folder holds it is the
    machine's, not the module's."""
    return _MODULE_PATH.sub(lambda m: (m.group(1) or "") + "DIR/", line)


def pid(line: str) -> str:
    """A PID as the soft-lockup report (`[insmod:109]`), dump_stack()'s
    header (`PID: 109`) and do_exit()'s note (`cat[187]`) print it; an
    address in the module area (a page fault's, CR2) depends on where the
    module was loaded."""
    return _MODADDR.sub(r"\1MODADDR", _PID.sub(r"\1N", line))


#: the state checks of a transcript, and the normaliser of each
STATE = {"dmesg -r -c": dmesg_line, "lsmod": lsmod_line,
         "cat /proc/modules": proc_modules_line}


def for_command(command: str) -> Callable[[str], str]:
    """The normaliser of a command's stdout: the state a tool prints
    differs as the state checks do."""
    words = command.split()
    if words[:1] == ["dmesg"]:
        return dmesg_line
    if words[:1] == ["lsmod"]:
        return lsmod_line
    if words[:2] == ["cat", "/proc/modules"]:
        return proc_modules_line
    if words[:1] == ["modinfo"]:
        return module_path
    return lambda s: s


def without_dump_body(lines: Iterable[str]) -> list[str]:
    """Drop what lies between "Call Trace:" and "</TASK>" (the frames that
    show_trace_log_lvl() prints)."""
    out, skipping = [], False
    for line in lines:
        if line.endswith("</TASK>"):
            skipping = False
        elif not skipping:
            out.append(line)
            skipping = line.endswith("Call Trace:")
    return out


def _frame(text: str) -> str:
    return re.sub(r"[0-9a-f]{8,}", "N", text.split("+")[0])


def dump_shape(lines: Iterable[str]) -> list[str]:
    """What must still match inside a dump: the kernel frames (without the
    unreliable '? ' guesses, offsets and addresses)."""
    out, inside = [], False
    for line in lines:
        text = re.sub(r"^<\d>\[TIME\] ", "", line)
        if text.endswith("Call Trace:"):
            inside = True
        elif text.endswith("</TASK>"):
            inside = False
        elif inside and not text.lstrip().startswith("? "):
            out.append(_frame(text))
    return out


def dmesg(lines: Iterable[str]) -> list[str]:
    """Kernel log lines as they compare: timestamps and PIDs hidden,
    register values and code offsets hidden, each Call Trace reduced to
    its reliable frames (names only)."""
    out, inside = [], False
    for line in (pid(dmesg_line(x)) for x in lines):
        m = _STAMPED.match(line)
        prefix = m.group(0) if m else ""
        text = registers(line[len(prefix):])
        line = prefix + text
        if inside and text.endswith("</TASK>"):
            inside = False
            out.append(line)
        elif inside:
            if not text.lstrip().startswith("? "):
                out.append("  " + _frame(text).strip())
        else:
            out.append(line)
            inside = text.endswith("Call Trace:")
    return out
