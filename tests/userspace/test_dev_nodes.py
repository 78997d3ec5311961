"""/dev nodes: what `cat`, `echo >` and `mknod` reach through them.

Ground truth:
- tests/userspace/data/real-chardev.txt is what Debian's 6.1.0-56 kernel
  printed for the chardev sample under `kmodsim --real` (recorded when the
  VM's userland was busybox; only stdout and dmesg are compared):
  the node appears with device_create() and goes with device_destroy(),
  each open()/close() calls the module's open and release once, a write
  replaces the message.
- fs/char_dev.c chrdev_open(): no cdev for the node's number is -ENXIO;
  fops_get() of a module that is going away is -ENXIO too.
- drivers/char/misc.c misc_open(): no misc device with the minor is
  -ENODEV; file->private_data is set to the struct miscdevice before the
  device's own open() runs.
- fs/read_write.c vfs_read()/vfs_write(): no method is -EINVAL.
- dash src/output.c xwrite(): a short write is repeated with the rest.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kmodgui import SAMPLES_DIR as MODULES
from kmodgui.session import Session

DATA = Path(__file__).parent / "data"

MISC_C = r"""
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
MODULE_LICENSE("GPL");

static int my_open(struct inode *inode, struct file *file);
static ssize_t my_write(struct file *file, const char __user *buf, size_t len, loff_t *off);

static const struct file_operations my_fops = {
	.owner = THIS_MODULE,
	.open = my_open,
	.write = my_write,
};

static struct miscdevice mydev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mymisc",
	.fops = &my_fops,
};

static int my_open(struct inode *inode, struct file *file)
{
	pr_info("open: private_data is the miscdevice: %d\n", file->private_data == &mydev);
	return 0;
}

static ssize_t my_write(struct file *file, const char __user *buf, size_t len, loff_t *off)
{
	pr_info("write of %zu\n", len);
	return 1;                  /* one byte at a time */
}

static int __init my_init(void) { return misc_register(&mydev); }
static void __exit my_exit(void) { misc_deregister(&mydev); }
module_init(my_init);
module_exit(my_exit);
"""

BUSY_C = r"""
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/module.h>
#include <linux/fs.h>
MODULE_LICENSE("GPL");

static int major;

static int busy_open(struct inode *inode, struct file *file) { return -EBUSY; }

static const struct file_operations busy_fops = {
	.owner = THIS_MODULE,
	.open = busy_open,
};

static int __init busy_init(void)
{
	major = register_chrdev(0, "busy", &busy_fops);
	pr_info("major %d\n", major);
	return major < 0 ? major : 0;
}
static void __exit busy_exit(void) { unregister_chrdev(major, "busy"); }
module_init(busy_init);
module_exit(busy_exit);
"""


def run(s: Session, line: str) -> tuple[str, str, int]:
    r = s.run(line)
    return r.stdout, r.stderr, r.status


def module_lines(s: Session, name: str) -> list[str]:
    """The dmesg lines a module printed, without their timestamps."""
    out = run(s, "dmesg")[0]
    return [re.sub(r"^\[[ \d.]+\] ", "", ln) for ln in out.splitlines()
            if f"] {name}: " in ln]


@pytest.fixture
def chardev(tmp_path: Path) -> Session:
    shutil.copy(MODULES / "chardev.c", tmp_path)
    return Session("6.1", cwd=tmp_path)


def real_recording() -> tuple[list[str], list[str]]:
    """(stdout lines, chardev's dmesg lines) of the real run."""
    text = (DATA / "real-chardev.txt").read_text()
    stdout = [ln for ln in text.splitlines() if not ln.startswith("[")]
    dmesg = [re.sub(r"^\[[ \d.]+\] ", "", ln) for ln in text.splitlines()
             if "] chardev: " in ln]
    return stdout, dmesg


def test_chardev_reads_and_writes_as_on_the_real_kernel(chardev: Session) -> None:
    real_out, real_dmesg = real_recording()
    out = []
    for line in ("insmod chardev.ko", "cat /dev/chardev", "echo hello world > /dev/chardev",
                 "cat /dev/chardev", "lsmod", "rmmod chardev"):
        stdout, stderr, status = run(chardev, line)
        assert (stderr, status) == ("", 0), line
        out += stdout.splitlines()
    assert out == [ln for ln in real_out if ln.startswith(("Hello", "hello", "Module", "chardev"))]
    assert module_lines(chardev, "chardev") == real_dmesg


def test_the_node_goes_with_device_destroy(chardev: Session) -> None:
    run(chardev, "insmod chardev.ko")
    assert "chardev" in run(chardev, "ls /dev")[0].split()
    run(chardev, "rmmod chardev")
    assert "chardev" not in run(chardev, "ls /dev")[0].split()
    assert run(chardev, "cat /dev/chardev") == (
        "", "cat: /dev/chardev: No such file or directory\n", 1)


def test_a_node_without_a_cdev_is_enxio(chardev: Session) -> None:
    assert run(chardev, "mknod /dev/nothing c 240 0") == ("", "", 0)
    assert run(chardev, "cat /dev/nothing") == (
        "", "cat: /dev/nothing: No such device or address\n", 1)
    assert run(chardev, "echo x > /dev/nothing") == (
        "", "sh: 1: cannot create /dev/nothing: No such device or address\n", 2)
    assert run(chardev, "mknod /dev/nothing c 240 0")[1] == "mknod: /dev/nothing: File exists\n"


def test_mknod_reaches_a_register_chrdev_major(tmp_path: Path) -> None:
    (tmp_path / "busy.c").write_text(BUSY_C)
    s = Session("6.1", cwd=tmp_path)
    run(s, "insmod busy.ko")
    major = int(next(ln for ln in module_lines(s, "busy") if "major" in ln).split()[-1])
    assert major == 246       # the first dynamic major free on the real machine
    run(s, f"mknod /dev/busy c {major} 0")
    assert run(s, "cat /dev/busy") == ("", "cat: /dev/busy: Device or resource busy\n", 1)
    assert run(s, "echo x > /dev/busy") == (
        "", "sh: 1: cannot create /dev/busy: Device or resource busy\n", 2)
    run(s, "rmmod busy")               # the node stays (mknod made it), the cdev went
    assert run(s, "cat /dev/busy")[1] == "cat: /dev/busy: No such device or address\n"


def test_a_misc_device_gets_its_node_and_private_data(tmp_path: Path) -> None:
    (tmp_path / "mymisc.c").write_text(MISC_C)
    s = Session("6.1", cwd=tmp_path)
    assert run(s, "insmod mymisc.ko")[2] == 0
    assert "mymisc" in run(s, "ls /dev")[0].split()
    # the real machine's dynamic misc minors 127..125 are taken at boot
    assert run(s, "cat /proc/misc")[0].splitlines()[0] == "124 mymisc"
    assert run(s, "echo hey > /dev/mymisc") == ("", "", 0)
    lines = [ln for ln in module_lines(s, "mymisc") if "taint" not in ln]
    assert lines == ["mymisc: open: private_data is the miscdevice: 1",
                     "mymisc: write of 4", "mymisc: write of 3", "mymisc: write of 2",
                     "mymisc: write of 1"]
    # no read method: vfs_read() refuses with -EINVAL
    assert run(s, "cat /dev/mymisc") == ("", "cat: /dev/mymisc: Invalid argument\n", 1)
    run(s, "rmmod mymisc")
    assert "mymisc" not in run(s, "ls /dev")[0].split()


def test_a_misc_node_without_its_device_is_enodev(chardev: Session) -> None:
    run(chardev, "mknod /dev/gone c 10 77")
    assert run(chardev, "cat /dev/gone")[1] == "cat: /dev/gone: No such device\n"


def test_nodes_are_gone_after_reboot(chardev: Session) -> None:
    run(chardev, "mknod /dev/x c 240 0")
    chardev.reboot()
    assert "x" not in run(chardev, "ls /dev")[0].split()


# -- how the tools call read(2) and write(2): real recordings ----------------
# tests/userspace/data/real-lenprobe.txt and real-lenproc.txt: `kmodsim --real`
# on Debian's 6.1.0-56 kernel (Debian's dash and coreutils in the VM) with the
# commands below.  The modules print the length and position of every read
# and write they get: cat asks for 128 KiB, head -c N for N and reads on
# when a read gave more, dd for bs bytes count times and writes each block
# as read; echo and printf write once.
LENPROBE = ["insmod lenprobe.ko", "cat /proc/misc | head -2", "cat /dev/lenprobe | wc -c",
            "dd if=/dev/lenprobe bs=100 count=2 | wc -c", "head -c 10 /dev/lenprobe", "echo",
            "printf abc > /dev/lenprobe", "echo hello >> /dev/lenprobe",
            "dd if=/proc/modules of=/dev/lenprobe bs=7 count=2",
            "cat /proc/modules > /dev/lenprobe"]
LENPROC = ["insmod lenproc.ko", "cat /proc/lenproc", "echo", "head -c 4 /proc/lenproc", "echo",
           "dd if=/proc/lenproc bs=3 count=2", "echo", "echo hello > /proc/lenproc"]


def _real(name: str, module: str) -> tuple[list[str], list[str], list[str]]:
    """(stdout, dd's records lines, the module's dmesg lines) of the real run
    (dd's stderr came after the rest; its timing line is not compared)."""
    lines = (DATA / f"real-{name}.txt").read_text().splitlines()
    records = [ln for ln in lines if " records " in ln]
    stdout = [ln for ln in lines if not ln.startswith("[") and ln not in records
              and " bytes copied" not in ln]
    dmesg = [re.sub(r"^\[[ \d.]+\] ", "", ln) for ln in lines if f"] {module}: " in ln]
    return stdout, records, dmesg


@pytest.mark.parametrize("name,commands", [("lenprobe", LENPROBE), ("lenproc", LENPROC)])
def test_read_and_write_sizes_are_the_real_tools(tmp_path: Path, name: str,
                                                  commands: list[str]) -> None:
    shutil.copy(DATA / f"{name}.c", tmp_path)
    s = Session("6.1", cwd=tmp_path)
    stdout, records = "", []
    for line in commands:
        out, err, status = run(s, line)
        assert status == 0, line
        stdout += out
        records += [ln for ln in err.splitlines() if " records " in ln]
    real_stdout, real_records, real_dmesg = _real(name, name)
    assert stdout.splitlines() == real_stdout
    assert records == real_records
    assert module_lines(s, name) == real_dmesg


def test_a_seq_iterator_is_driven_as_seq_read_and_seq_lseek_drive_it(tmp_path: Path) -> None:
    """real-seqiter.txt: `insmod seqiter.ko; cat /proc/seqiter; head -n 2
    /proc/seqiter; dmesg | grep seqiter` on the real machine.  cat's
    second read() at end of file is start() at the final index and stop()
    (fs/seq_file.c seq_read_iter()); head -n 2 has read past its two lines
    and seeks back to their end, which replays the iterator up to that
    offset (seq_lseek() -> traverse())."""
    shutil.copy(DATA / "seqiter.c", tmp_path)
    s = Session("6.1", cwd=tmp_path)
    out = ""
    for line in ("insmod seqiter.ko", "cat /proc/seqiter", "head -n 2 /proc/seqiter"):
        r = s.run(line)
        assert r.status == 0, line
        out += r.stdout
    lines = (DATA / "real-seqiter.txt").read_text().splitlines()
    assert out.splitlines() == [ln for ln in lines if not ln.startswith("[")]
    want = [re.sub(r"^\[[ \d.]+\] ", "", ln) for ln in lines if "] seqiter: " in ln]
    assert module_lines(s, "seqiter") == want


def test_an_open_file_knows_its_dentry(tmp_path: Path) -> None:
    """real-fname.txt: an open method printing file->f_path.dentry's d_name
    (the last component of the path; a long name is kept outside d_iname)
    and whether its d_inode is the inode open() was given, for a /proc
    entry and a misc device."""
    shutil.copy(DATA / "fname.c", tmp_path)
    s = Session("6.1", cwd=tmp_path)
    for line in ("insmod fname.ko", "cat /proc/fname_proc",
                 "cat /dev/fname_device_with_a_rather_long_name"):
        assert s.run(line).status == 0, line
    lines = (DATA / "real-fname.txt").read_text().splitlines()
    want = [re.sub(r"^\[[ \d.]+\] ", "", ln) for ln in lines if "] fname: " in ln]
    assert module_lines(s, "fname") == want
