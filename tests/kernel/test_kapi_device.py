"""class_create/device_create and misc devices: names, numbers, sysfs clashes."""
from __future__ import annotations

import pytest

from kmodgui.kernel.kapi import device, misc
from kmodgui.kernel.kapi.chrdev import MKDEV
from kmodgui.kernel.kapi.common import is_err, s64
from kmodgui.kernel.kapi.procfs_read import builtin_text
from kmodgui.kernel.memory import MemoryFault
from tests.kernel.kapi_fake import setup

EEXIST, EBUSY, ENODEV = 17, 16, 19
KOBJ_EEXIST = ("kobject_add_internal failed for {} with -EEXIST, don't try to "
               "register things with the same name in the same directory.")


def test_class_create_and_destroy() -> None:
    kernel, k = setup()
    cls = device.class_create(k, 0, kernel.cstring("skull"))
    assert not is_err(cls)
    res = kernel.ledger.find("class", cls)
    assert (res.name, res.api, res.owner) == ('class "skull"', "class_create", "hi")
    device.class_destroy(k, cls)
    assert kernel.ledger.find("class", cls) is None
    with pytest.raises(MemoryFault):
        kernel.mem.read_int(cls, 8)


def test_duplicate_class_name_prints_sysfs_and_kobject_lines() -> None:
    kernel, k = setup()
    device.class_create(k, 0, kernel.cstring("skull"))
    cls = device.class_create(k, 0, kernel.cstring("skull"))
    assert s64(cls) == -EEXIST
    assert kernel.log[0] == (4, "sysfs: cannot create duplicate filename '/class/skull'", None)
    assert kernel.log[1][1].startswith("CPU: 0 PID:")          # dump_stack()
    assert kernel.log[-1] == (3, KOBJ_EEXIST.format("skull"), None)


def test_builtin_class_name_clashes() -> None:
    kernel, k = setup()
    assert s64(device.class_create(k, 0, kernel.cstring("misc"))) == -EEXIST


def test_2630_duplicate_class_is_a_warn() -> None:
    kernel, k = setup("2.6.30")
    device.class_create(k, 0, kernel.cstring("skull"))
    device.class_create(k, 0, kernel.cstring("skull"))
    assert k.warnings[0][2] == "sysfs: cannot create duplicate filename '/class/skull'"


def test_class_destroy_ignores_null_and_err_ptr() -> None:
    kernel, k = setup()
    device.class_destroy(k, 0)
    device.class_destroy(k, 2**64 - EEXIST)
    assert kernel.trace.events == []


def test_device_create_formats_name_and_tracks_devt() -> None:
    kernel, k = setup()
    cls = device.class_create(k, 0, kernel.cstring("skull"))
    dev = device.device_create(k, cls, 0, MKDEV(240, 1), 0,
                               kernel.cstring("skull%d"), 1)
    assert not is_err(dev)
    assert kernel.ledger.find("device", MKDEV(240, 1)).name == 'device "skull1" (240:1)'
    device.device_destroy(k, cls, MKDEV(240, 1))
    assert kernel.ledger.find("device", MKDEV(240, 1)) is None


def test_device_create_duplicates() -> None:
    kernel, k = setup()
    cls = device.class_create(k, 0, kernel.cstring("skull"))
    name = kernel.cstring("skull0")
    device.device_create(k, cls, 0, MKDEV(240, 0), 0, name)
    same_name = device.device_create(k, cls, 0, MKDEV(240, 1), 0, name)
    assert s64(same_name) == -EEXIST
    assert "'/devices/virtual/skull/skull0'" in kernel.lines()[0]
    same_dev = device.device_create(k, cls, 0, MKDEV(240, 0), 0, kernel.cstring("x"))
    assert s64(same_dev) == -EEXIST
    assert "sysfs: cannot create duplicate filename '/dev/char/240:0'" in kernel.lines()


def test_device_create_on_bad_class() -> None:
    kernel, k = setup()
    assert s64(device.device_create(k, 0, 0, 1, 0, kernel.cstring("x"))) == -ENODEV
    cls = device.class_create(k, 0, kernel.cstring("skull"))
    device.class_destroy(k, cls)
    with pytest.raises(MemoryFault) as e:
        device.device_create(k, cls, 0, 1, 0, kernel.cstring("x"))
    assert e.value.kind == "slab-use-after-free"


def test_device_destroy_of_unknown_number_does_nothing() -> None:
    kernel, k = setup()
    cls = device.class_create(k, 0, kernel.cstring("skull"))
    device.device_create(k, cls, 0, MKDEV(240, 0), 0, kernel.cstring("a"))
    device.device_destroy(k, cls, MKDEV(240, 9))
    assert kernel.ledger.find("device", MKDEV(240, 0)) is not None


# -- misc devices -------------------------------------------------------------
def miscdev(kernel, name: str, minor: int = misc.MISC_DYNAMIC_MINOR) -> int:
    return kernel.struct("miscdevice", minor=minor, name=kernel.cstring(name))


def test_misc_dynamic_minors_count_down_and_are_written_back() -> None:
    kernel, k = setup()
    a, b = miscdev(kernel, "one"), miscdev(kernel, "two")
    assert misc.misc_register(k, a) == 0
    assert misc.misc_register(k, b) == 0
    assert kernel.mem.read_int(a, 4) == 127
    assert kernel.mem.read_int(b, 4) == 126
    assert kernel.mem.read_int(a + 48, 8) != 0                 # this_device
    assert kernel.ledger.find("misc", a).name == 'misc "one" (10:127)'
    assert builtin_text(k, "/proc/misc") == "126 two\n127 one\n"


def test_2630_dynamic_misc_minors_start_at_63() -> None:
    kernel, k = setup("2.6.30")
    a = miscdev(kernel, "one")
    misc.misc_register(k, a)
    assert kernel.mem.read_int(a, 4) == 63


def test_misc_static_minor_busy_and_duplicate_name() -> None:
    kernel, k = setup()
    assert misc.misc_register(k, miscdev(kernel, "fixed", 42)) == 0
    assert misc.misc_register(k, miscdev(kernel, "other", 42)) == -EBUSY
    dup = miscdev(kernel, "fixed")
    assert misc.misc_register(k, dup) == -EEXIST
    assert "sysfs: cannot create duplicate filename '/devices/virtual/misc/fixed'" \
        in kernel.lines()
    assert kernel.mem.read_int(dup, 4) == misc.MISC_DYNAMIC_MINOR   # given back
    assert misc.misc_register(k, miscdev(kernel, "next")) == 0
    assert kernel.mem.read_int(dup, 4) == 255


def test_misc_register_twice_is_busy() -> None:
    kernel, k = setup()
    a = miscdev(kernel, "one")
    misc.misc_register(k, a)
    assert misc.misc_register(k, a) == -EBUSY


def test_misc_deregister_releases_name_and_minor() -> None:
    kernel, k = setup()
    a = miscdev(kernel, "one")
    misc.misc_register(k, a)
    misc.misc_deregister(k, a)
    assert kernel.ledger.held_by("hi") == []
    b = miscdev(kernel, "one")
    assert misc.misc_register(k, b) == 0
    assert kernel.mem.read_int(b, 4) == 127


def test_misc_deregister_never_registered_is_null_deref() -> None:
    kernel, k = setup()
    with pytest.raises(MemoryFault) as e:
        misc.misc_deregister(k, miscdev(kernel, "ghost"))
    assert (e.value.kind, e.value.addr, e.value.write) == ("null-ptr-deref", 8, True)


def test_misc_deregister_twice_hits_list_poison() -> None:
    kernel, k = setup()
    a = miscdev(kernel, "one")
    misc.misc_register(k, a)
    misc.misc_deregister(k, a)
    with pytest.raises(MemoryFault) as e:
        misc.misc_deregister(k, a)
    assert e.value.addr == 0xDEAD000000000108
