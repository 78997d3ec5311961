"""kobjects, sysfs attributes and the platform bus against the real 6.1 kernel.

The sample modules' recordings are in tests/reference/real/ (module-kobjdemo,
module-platdemo, sysfs-boot-tree; replayed by tests/realkernel/test_recordings.py).
Here, recorded with `kmodsim record --real` on Debian's 6.1.0-56 from the
modules in data/devmodel/ (with the sample platdrv.c beside them):

real-kobjleak.txt: an exit that forgets kobject_put(): /sys/kernel/kobjleak
outlives the module, a second insmod meets its own directory (the sysfs
duplicate warning with its stack, kobject_add_internal's -EEXIST line,
kobject_create_and_add's "kobject_add error: -17", insmod's ENOMEM), and
cat of the orphaned attribute oopses in kobj_attr_show() reading the
freed module's kobj_attribute (taint D, cat Killed).
real-platfail.txt: probe() refusing a device without platform_data (dd.c's
"platdemo: probe of platdemo.1 failed with error -22", the device stays
unbound), a device name registered twice (-EEXIST from device_add()).
real-clsattr.txt: a class attribute (/sys/class/clsdemo/version, 0444: the
open for writing is refused) and a device attribute of a device_create()
device, with dev_info()'s "CLASS DEVICE: " prefix.
real-chardev-sysfs.txt: the sample chardev.c's class and device
directories (dev, uevent with MAJOR/MINOR/DEVNAME) and /sys/dev/char.
real-kset-uevent.txt: ksetdemo.c, kobjects embedded in the module's struct
with its own kobj_type (sysfs_ops, default_groups, a release that frees
them) in a kset, and /sys/kernel/uevent_seqnum around every load and
unload of the samples: a module's KOBJ_ADD once its init succeeded and
REMOVE when it goes, a kobject's event only through a kset (the kset of
kset_create_and_add() under kernel_kobj has none: no event), the auto
"remove" of an added kobject at its last put, a driver's ADD/REMOVE, a
device's ADD, BIND, UNBIND and REMOVE, a class's and a class device's.
real-platstatic.txt: a platform_device in the module's memory without a
release function: platform_device_unregister() ends in device_release()'s
WARN (its message at KERN_ERR, drivers/base/core.c:2510, via kobject_put).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kmodgui.kernel.events import ResourceProblem
from kmodgui.realkernel.compare import compare_file
from kmodgui.session import Session

DATA = Path(__file__).parent / "data" / "devmodel"
SAMPLES = Path(__file__).resolve().parents[2] / "kmodgui" / "modules"


def _folder(tmp_path: Path) -> Path:
    for src in DATA.glob("*.c"):
        shutil.copy(src, tmp_path)
    for name in ("platdrv.c", "platdemo.h", "platdev.c", "kobjdemo.c", "chardev.c"):
        shutil.copy(SAMPLES / name, tmp_path)
    return tmp_path


@pytest.fixture
def s(tmp_path: Path) -> Session:
    return Session("6.1", cwd=_folder(tmp_path))


@pytest.mark.parametrize("name", ["real-kobjleak.txt", "real-platfail.txt",
                                  "real-clsattr.txt", "real-chardev-sysfs.txt",
                                  "real-kset-uevent.txt", "real-platstatic.txt"])
def test_recording_replays_step_by_step(name: str, tmp_path: Path) -> None:
    c = compare_file(DATA / name, folder=_folder(tmp_path))
    for i, step in enumerate(c.steps, 1):
        assert step.real == step.sim, f"{name} step {i}: {step.command}"
        assert step.matches, f"{name} step {i}: {step.note}"


def _leaks(s: Session) -> list[tuple[str, str]]:
    return [(e.kind, e.name) for e in s.kernel.trace.events
            if isinstance(e, ResourceProblem) and e.problem == "leak"]


def test_a_kobject_not_put_at_rmmod_is_a_leak_with_its_file(s: Session) -> None:
    assert s.run("insmod kobjleak.ko").status == 0
    assert s.run("rmmod kobjleak").status == 0
    assert sorted(_leaks(s)) == [("kobject", "kobject /sys/kernel/kobjleak"),
                                 ("sysfs", "/sys/kernel/kobjleak/hits")]


def test_the_sysfs_sample_releases_everything_in_reverse(s: Session) -> None:
    assert s.run("insmod kobjdemo.ko").status == 0
    held = sorted(r.kind for r in s.kernel.ledger.held_by("kobjdemo"))
    assert held == ["kobject", "sysfs", "sysfs", "sysfs"]   # groups, stats group, reset
    assert s.run("rmmod kobjdemo").status == 0
    assert not s.kernel.ledger.held_by("kobjdemo") and not _leaks(s)


def test_drivers_and_devices_are_resources_until_unregistered(s: Session) -> None:
    assert s.run("insmod platdrv.ko").status == 0
    assert s.run("insmod platdev.ko").status == 0
    kinds = {r.kind for r in s.kernel.ledger.held()}
    assert {"platform_driver", "platform_device", "sysfs"} <= kinds
    assert s.run("rmmod platdev").status == 0
    assert s.run("rmmod platdrv").status == 0
    assert not [r for r in s.kernel.ledger.held() if r.kind.startswith("platform")]
    assert not _leaks(s)


def test_a_failed_kobject_creation_unwinds_the_init(s: Session) -> None:
    """kobject_create_and_add() made to fail: kobjdemo's init returns
    -ENOMEM before anything else (insmod prints the errno's text)."""
    s.run("inject kobject_create_and_add")
    r = s.run("insmod kobjdemo.ko")
    assert r.status == 1 and "Cannot allocate memory" in r.stderr
    assert s.run("ls /sys/kernel/kobjdemo").status == 2


def test_a_driver_name_taken_twice_is_ebusy(s: Session, tmp_path: Path) -> None:
    """drivers/base/driver.c driver_register(): "Error: Driver '%s' is
    already registered, aborting..." (pr_err) and -EBUSY."""
    (tmp_path / "platdrv2.c").write_text((tmp_path / "platdrv.c").read_text())
    (tmp_path / "Makefile").write_text("obj-m += platdrv.o platdrv2.o\n")
    assert s.run("insmod platdrv.ko").status == 0
    r = s.run("insmod platdrv2.ko")
    assert r.status == 1 and "Device or resource busy" in r.stderr
    assert "Error: Driver 'platdemo' is already registered, aborting..." in s.run("dmesg").stdout


def test_class_and_device_files_go_with_their_class(s: Session) -> None:
    assert s.run("insmod clsattr.ko").status == 0
    files = sorted(r.name for r in s.kernel.ledger.held_by("clsattr") if r.kind == "sysfs")
    assert files == ["/sys/class/clsdemo/version",
                     "/sys/devices/virtual/clsdemo/clsdev0/level"]
    assert s.run("rmmod clsattr").status == 0
    assert not s.kernel.ledger.held_by("clsattr") and not _leaks(s)
