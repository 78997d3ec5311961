"""Pipes, redirections and the files they reach: /sys parameters, /proc,
/tmp, the read-only module folder.

Expected texts: dash's redirection errors are src/redir.c openredirect()
(`cannot create %s: %s` / `cannot open %s: %s`, errmsg() turning ENOENT
into "Directory nonexistent" / "No such file"); a sysfs file without a
write bit refuses open(O_WRONLY) with -EACCES even for root
(fs/kernfs/file.c kernfs_fop_open()); a written parameter goes through
param_attr_store() -> param_set_int() (kernel/params.c); kmod's insmod
joins its arguments with single spaces (tools/insmod.c do_insmod()), and
parse_args()/next_arg() split that string at blanks outside double quotes.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kmodgui.session import Session

PW = """#include <linux/module.h>
#include <linux/init.h>
MODULE_LICENSE("GPL");
static int level = 1;
module_param(level, int, 0644);
static int fixed = 2;
module_param(fixed, int, 0444);
static char *whom = "world";
module_param(whom, charp, 0444);
static int __init pw_init(void) { pr_info("whom=%s level=%d\\n", whom, level); return 0; }
static void __exit pw_exit(void) { }
module_init(pw_init);
module_exit(pw_exit);
"""


@pytest.fixture
def session(tmp_path: Path) -> Session:
    (tmp_path / "pw.c").write_text(PW)
    (tmp_path / "notes.txt").write_text("one\ntwo\nthree\n")
    return Session("6.1", cwd=tmp_path)


def run(s: Session, line: str) -> tuple[str, str, int]:
    r = s.run(line)
    return r.stdout, r.stderr, r.status


def test_a_0644_parameter_is_written_and_read_back(session: Session) -> None:
    assert run(session, "insmod pw.ko")[2] == 0
    assert run(session, "echo 5 > /sys/module/pw/parameters/level") == ("", "", 0)
    assert run(session, "cat /sys/module/pw/parameters/level") == ("5\n", "", 0)


def test_a_0444_parameter_refuses_the_open(session: Session) -> None:
    run(session, "insmod pw.ko")
    assert run(session, "echo 7 > /sys/module/pw/parameters/fixed") == (
        "", "sh: 1: cannot create /sys/module/pw/parameters/fixed: Permission denied\n", 2)
    assert run(session, "cat /sys/module/pw/parameters/fixed") == ("2\n", "", 0)


def test_a_value_the_set_op_rejects_is_a_write_error(session: Session) -> None:
    """dash's echo builtin reports a failed write(2) only as "I/O error",
    whatever the errno (recorded: tests/reference/real/module-kobjdemo.txt)."""
    run(session, "insmod pw.ko")
    out, err, status = run(session, "echo abc > /sys/module/pw/parameters/level")
    assert (out, status) == ("", 1) and err == "sh: 1: echo: echo: I/O error\n"
    assert run(session, "cat /sys/module/pw/parameters/level") == ("1\n", "", 0)


def test_a_quoted_value_is_one_argument_that_kmod_joins(session: Session) -> None:
    # argv[2] is 'whom=Mom and Dad'; the kernel sees 'whom=Mom and Dad'
    # and next_arg() stops the value at the first blank
    out, err, status = run(session, 'insmod pw.ko whom="Mom and Dad"')
    assert status == 0
    log = run(session, "dmesg | tail -n 3")[0]
    assert "pw: unknown parameter 'and' ignored" in log
    assert "pw: unknown parameter 'Dad' ignored" in log
    assert log.rstrip().endswith("whom=Mom level=1")
    # quoting for the kernel too keeps the blanks (next_arg's double quotes)
    run(session, "rmmod pw")
    run(session, "insmod pw.ko 'whom=\"Mom and Dad\"'")
    assert run(session, "dmesg | tail -n 1")[0].rstrip().endswith("whom=Mom and Dad level=1")


def test_dmesg_piped_into_tail_keeps_the_last_lines(session: Session) -> None:
    run(session, "insmod pw.ko")
    full = run(session, "dmesg")[0].splitlines(keepends=True)
    assert run(session, "dmesg | tail -n 2") == ("".join(full[-2:]), "", 0)


def test_the_module_folder_is_read_only_and_tmp_is_scratch(session: Session) -> None:
    assert run(session, "echo x > notes.txt") == (
        "", "sh: 1: cannot create notes.txt: Read-only file system\n", 2)
    assert run(session, "echo x > /nope/y") == (
        "", "sh: 1: cannot create /nope/y: Directory nonexistent\n", 2)
    assert run(session, "grep t notes.txt > /tmp/t; echo more >> /tmp/t; cat < /tmp/t") == (
        "two\nthree\nmore\n", "", 0)
    assert run(session, "cat < /tmp/none") == (
        "", "sh: 1: cannot open /tmp/none: No such file\n", 2)


def test_redirections_apply_left_to_right(session: Session) -> None:
    assert run(session, "cat nope > /tmp/a 2>&1; cat /tmp/a") == (
        "cat: nope: No such file or directory\n", "", 0)
    assert run(session, "cat nope 2>&1 > /tmp/b") == (
        "cat: nope: No such file or directory\n", "", 1)
    assert run(session, "cat nope 2>/dev/null || echo $?") == ("1\n", "", 0)


def test_cd_into_sysfs_and_back(session: Session) -> None:
    run(session, "insmod pw.ko")
    assert run(session, "cd /sys/module/pw/parameters; ls; cat level; pwd") == (
        "fixed\nlevel\nwhom\n1\n/sys/module/pw/parameters\n", "", 0)
    assert run(session, "cd /nonexistent") == (
        "", "sh: 1: cd: can't cd to /nonexistent\n", 2)
    assert run(session, "cd; cat notes.txt | wc -l") == ("3\n", "", 0)


def test_host_files_stay_out_of_reach(session: Session) -> None:
    out, err, status = run(session, "cat /etc/passwd ../../etc/passwd")
    assert out == "" and status == 1
    assert err == ("cat: /etc/passwd: No such file or directory\n"
                   "cat: ../../etc/passwd: No such file or directory\n")


PWR = """#include <linux/module.h>
#include <linux/init.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
MODULE_LICENSE("GPL");
static char msg[64];
static ssize_t pwr_write(struct file *f, const char __user *buf, size_t len, loff_t *off)
{
\tsize_t n = len < sizeof(msg) - 1 ? len : sizeof(msg) - 1;
\tif (copy_from_user(msg, buf, n))
\t\treturn -EFAULT;
\tmsg[n] = 0;
\tpr_info("pwr: got %zu bytes: %s", len, msg);
\treturn len;
}
static const struct proc_ops pwr_ops = { .proc_write = pwr_write };
static int __init pwr_init(void) { proc_create("pwr", 0644, NULL, &pwr_ops); return 0; }
static void __exit pwr_exit(void) { remove_proc_entry("pwr", NULL); }
module_init(pwr_init);
module_exit(pwr_exit);
"""


def test_echo_into_a_proc_entry_calls_its_write_handler(tmp_path: Path) -> None:
    (tmp_path / "pwr.c").write_text(PWR)
    s = Session("6.1", cwd=tmp_path)
    assert run(s, "insmod pwr.ko")[2] == 0
    assert "pwr\n" in run(s, "ls /proc")[0]
    # echo's one write(): the text and its newline, 12 bytes
    assert run(s, "echo hello there > /proc/pwr") == ("", "", 0)
    assert run(s, "dmesg | tail -n 1")[0].endswith("] pwr: got 12 bytes: hello there\n")
    # no such entry: procfs has no ->create (fs/namei.c lookup_open: -EACCES)
    assert run(s, "echo x > /proc/nope") == (
        "", "sh: 1: cannot create /proc/nope: Permission denied\n", 2)
