"""The devices a fresh boot has registered before any module loads.

A real kernel's drivers claim character majors (mem, tty, misc, input,
and dynamic ones such as rtc and gpiochip), misc minors (hpet, psaux, and
dynamic ones) and /dev nodes during boot, so the numbers a module is
given depend on them: the first dynamic major on Debian's 6.1 machine is
246, not 254.  The profile's machine.toml lists them as recorded on that
machine; the entries belong to "kernel" and are never released.
"""
from __future__ import annotations

from kmodgui.kernel.kapi.chrdev import MKDEV, CharRegion, regions
from kmodgui.kernel.kapi.device import ClassDevice
from kmodgui.kernel.kapi.devnodes import Node, nodes
from kmodgui.kernel.kapi.misc import MISC_MAJOR, MiscEntry, misc_devices, miscs
from kmodgui.kernel.services import KernelServices


class _BuiltIn:
    """The caller of a registration made by built-in code: no module."""
    module = None

    def __init__(self, kernel: KernelServices) -> None:
        self.kernel = kernel


def register_boot_devices(kernel: KernelServices) -> None:
    """What drivers/char/mem.c, drivers/tty, drivers/char/misc.c and the
    other built-in drivers registered during this boot."""
    machine = kernel.profile.machine
    k = _BuiltIn(kernel)
    for major, base, count, name in machine.get("chrdev", ()):
        regions(k)[(major, base)] = CharRegion(major, base, count, name, "kernel")
    kernel.names.setdefault("blkdev", {}).update(
        {major: name for major, name in machine.get("block", ())})
    for minor, name, dynamic in machine.get("misc", ()):
        dev = ClassDevice(0, name, MKDEV(MISC_MAJOR, minor), "kernel")
        misc_devices(k)[name] = dev
        miscs(k)[-1 - minor] = MiscEntry(0, name, minor, dynamic, "kernel", dev)
    for name, major, minor in machine.get("dev", ()):
        nodes(kernel)[f"/dev/{name}"] = Node(MKDEV(major, minor), builtin=True)
    for n in range(int(machine.get("vt_consoles", 0))):
        nodes(kernel)[f"/dev/tty{n}"] = Node(MKDEV(4, n), builtin=True)
