"""Character device numbers and cdevs (fs/char_dev.c)."""
from __future__ import annotations

import pytest

from kmodgui.kernel.events import ResourceProblem
from kmodgui.kernel.kapi import chrdev
from kmodgui.kernel.kapi.chrdev import MKDEV
from kmodgui.kernel.memory import MemoryFault
from tests.kernel.kapi_fake import setup

EBUSY, EINVAL = 16, 22


def problems(kernel) -> list[str]:
    return [e.problem for e in kernel.trace.events if isinstance(e, ResourceProblem)]


def test_dynamic_majors_count_down_from_254() -> None:
    kernel, k = setup()
    name = kernel.cstring("skull")
    fops = kernel.struct("file_operations")
    assert chrdev.register_chrdev(k, 0, name, fops) == 254
    assert chrdev.register_chrdev(k, 0, name, fops) == 253   # same name is fine
    res = kernel.ledger.find("chrdev", 254)
    assert (res.name, res.owner, res.api) == ('chrdev 254 "skull"', "hi", "register_chrdev")


def test_static_major_returns_zero_and_collides_with_ebusy() -> None:
    kernel, k = setup()
    name = kernel.cstring("skull")
    assert chrdev.register_chrdev(k, 240, name, 0) == 0
    assert chrdev.register_chrdev(k, 240, kernel.cstring("other"), 0) == -EBUSY
    assert chrdev.register_chrdev(k, 0, name, 0) == 254


def test_dynamic_range_exhaustion_moves_to_extended_range_then_fails() -> None:
    kernel, k = setup()
    name = kernel.cstring("x")
    got = [chrdev.register_chrdev(k, 0, name, 0) for _ in range(21)]
    assert got == list(range(254, 233, -1))
    assert chrdev.register_chrdev(k, 0, name, 0) == 511
    for _ in range(510 - 383):
        chrdev.register_chrdev(k, 0, name, 0)
    assert chrdev.register_chrdev(k, 0, name, 0) == -EBUSY
    assert kernel.lines()[-1] == 'CHRDEV "x" dynamic allocation region is full'


def test_major_too_big_is_rejected_with_message() -> None:
    kernel, k = setup()
    assert chrdev.register_chrdev(k, 600, kernel.cstring("big"), 0) == -EINVAL
    assert kernel.log[-1] == (
        3, 'CHRDEV "big" major requested (600) is greater than the maximum (511)', None)


def test_unregister_releases_and_frees_the_major() -> None:
    kernel, k = setup()
    name = kernel.cstring("skull")
    major = chrdev.register_chrdev(k, 0, name, 0)
    chrdev.unregister_chrdev(k, major, name)
    assert kernel.ledger.find("chrdev", major) is None
    assert chrdev.register_chrdev(k, 0, name, 0) == major


def test_unregister_wrong_major_leaves_the_registration() -> None:
    kernel, k = setup()
    name = kernel.cstring("skull")
    major = chrdev.register_chrdev(k, 0, name, 0)
    chrdev.unregister_chrdev(k, major - 1, name)
    assert problems(kernel) == ["never-acquired"]
    assert kernel.ledger.held_by("hi")[0].key == major
    assert chrdev.register_chrdev(k, major, name, 0) == -EBUSY


def test_registration_outlives_the_module() -> None:
    """A major left registered by a module still blocks the next load."""
    kernel, k = setup()
    chrdev.register_chrdev(k, 250, kernel.cstring("skull"), 0)
    again = kernel.kcall(kernel.load("skull2"))
    assert chrdev.register_chrdev(again, 250, kernel.cstring("skull"), 0) == -EBUSY


def test_alloc_chrdev_region_writes_dev_t() -> None:
    kernel, k = setup()
    devp = kernel.buf(4)
    assert chrdev.alloc_chrdev_region(k, devp, 3, 4, kernel.cstring("scull")) == 0
    dev = kernel.mem.read_int(devp, 4)
    assert dev == MKDEV(254, 3)
    assert kernel.ledger.find("chrdev_region", dev).name == 'chrdev region 254:3-6 "scull"'
    chrdev.unregister_chrdev_region(k, dev, 4)
    assert kernel.ledger.held_by("hi") == []


def test_register_chrdev_region_minor_ranges() -> None:
    kernel, k = setup()
    name = kernel.cstring("scull")
    assert chrdev.register_chrdev_region(k, MKDEV(240, 0), 4, name) == 0
    assert chrdev.register_chrdev_region(k, MKDEV(240, 4), 4, name) == 0   # no overlap
    assert chrdev.register_chrdev_region(k, MKDEV(240, 2), 4, name) == -EBUSY
    assert chrdev.register_chrdev(k, 240, name, 0) == -EBUSY              # 0..255 overlaps


def test_unregister_region_with_wrong_count_leaks() -> None:
    kernel, k = setup()
    name = kernel.cstring("scull")
    chrdev.register_chrdev_region(k, MKDEV(240, 0), 4, name)
    chrdev.unregister_chrdev_region(k, MKDEV(240, 0), 2)
    assert kernel.ledger.find("chrdev_region", MKDEV(240, 0)) is not None
    assert chrdev.register_chrdev_region(k, MKDEV(240, 0), 1, name) == -EBUSY


def test_region_spanning_two_majors_rolls_back_on_failure() -> None:
    kernel, k = setup()
    name = kernel.cstring("wide")
    chrdev.register_chrdev_region(k, MKDEV(241, 0), 1, name)
    start = MKDEV(240, (1 << 20) - 2)
    assert chrdev.register_chrdev_region(k, start, 4, name) == -EBUSY
    assert chrdev.register_chrdev_region(k, start, 2, name) == 0          # 240 was freed


def test_2630_dynamic_majors_go_below_234() -> None:
    kernel, k = setup("2.6.30")
    name = kernel.cstring("x")
    got = [chrdev.register_chrdev(k, 0, name, 0) for _ in range(22)]
    assert got[-1] == 233


def test_cdev_lifecycle_and_ledger() -> None:
    kernel, k = setup()
    cdev = kernel.struct("cdev")
    fops = kernel.struct("file_operations")
    chrdev.cdev_init(k, cdev, fops)
    assert kernel.mem.read_int(cdev + 8, 8) == fops
    assert chrdev.cdev_add(k, cdev, MKDEV(240, 0), 1) == 0
    assert kernel.mem.read_int(cdev + 32, 4) == MKDEV(240, 0)
    assert kernel.ledger.find("cdev", cdev).name == "cdev 240:0"
    chrdev.cdev_del(k, cdev)
    assert kernel.ledger.find("cdev", cdev) is None


def test_cdev_alloc_is_freed_by_cdev_del() -> None:
    kernel, k = setup()
    cdev = chrdev.cdev_alloc(k)
    chrdev.cdev_add(k, cdev, MKDEV(240, 0), 1)
    chrdev.cdev_del(k, cdev)
    with pytest.raises(MemoryFault) as e:
        kernel.mem.read_int(cdev, 8)
    assert e.value.kind == "slab-use-after-free"
    with pytest.raises(MemoryFault):
        chrdev.cdev_del(k, cdev)


def test_cdev_del_of_uninitialised_cdev_warns() -> None:
    kernel, k = setup()
    chrdev.cdev_del(k, kernel.struct("cdev"))
    (where, func, msg), = k.warnings
    assert func == "kobject_put"
    assert msg.startswith("kobject: '(null)' (") and msg.endswith(
        "): is not initialized, yet kobject_put() is being called.")


def test_proc_devices_lists_registrations() -> None:
    kernel, k = setup()
    chrdev.register_chrdev(k, 0, kernel.cstring("skull"), 0)
    chrdev.register_chrdev(k, 60, kernel.cstring("low"), 0)
    assert chrdev.proc_devices_chr(kernel) == [" 60 low", "254 skull"]
