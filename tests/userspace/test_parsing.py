"""getopt_long, the shell line parser, errno names, kbuild Makefiles."""
from __future__ import annotations

from pathlib import Path

import pytest

from kmodgui.userspace import errnos, makefile
from kmodgui.userspace.getopt import GetoptError, getopt_long
from kmodgui.userspace.shell import ShellSyntaxError, parse

LONG = {"force": ("f", False), "field": ("F", True), "verbose": ("v", False)}


def test_getopt_permutes_operands_and_clusters_short_options() -> None:
    p = getopt_long("rmmod", ["hi", "-fv", "x.ko", "-F", "license"], "fvF:", LONG)
    assert p.opts == [("f", None), ("v", None), ("F", "license")]
    assert p.operands == ["hi", "x.ko"]


def test_getopt_double_dash_ends_options() -> None:
    p = getopt_long("insmod", ["--", "-f"], "f", LONG)
    assert p.opts == [] and p.operands == ["-f"]


def test_getopt_long_prefixes_and_values() -> None:
    p = getopt_long("modinfo", ["--fo", "--field=author", "--fi", "name"], "fF:", LONG)
    assert p.opts == [("f", None), ("F", "author"), ("F", "name")]


@pytest.mark.parametrize("args,message", [
    (["-x"], "insmod: invalid option -- 'x'"),
    (["-F"], "insmod: option requires an argument -- 'F'"),
    (["--nope"], "insmod: unrecognized option '--nope'"),
    (["--f"], "insmod: option '--f' is ambiguous; possibilities: '--force' '--field'"),
    (["--force=1"], "insmod: option '--force' doesn't allow an argument"),
    (["--field"], "insmod: option '--field' requires an argument"),
])
def test_getopt_errors_use_glibc_wording(args: list[str], message: str) -> None:
    with pytest.raises(GetoptError) as e:
        getopt_long("insmod", args, "fvF:", LONG)
    assert str(e.value) == message


def test_shell_quotes_like_sh() -> None:
    (cmd,) = parse('insmod hellop.ko whom="Big Mom" howmany=3 \'$?\' a\\ b')
    assert cmd.argv(0) == ["insmod", "hellop.ko", "whom=Big Mom", "howmany=3", "$?", "a b"]


def test_shell_status_is_expanded_when_the_command_runs() -> None:
    cmds = parse('false; echo $? "${?}" && x || y # comment')
    assert [(c.op, c.argv(7)) for c in cmds] == [
        ("", ["false"]), (";", ["echo", "7", "7"]), ("&&", ["x"]), ("||", ["y"])]


def test_shell_variables_and_empty_words() -> None:
    (cmd,) = parse('echo $PWD/x "" $NOPE', {"PWD": "/w"})
    assert cmd.argv(0) == ["echo", "/w/x", ""]


@pytest.mark.parametrize("line,message", [
    ("insmod $(ls)", "command substitution is not supported"),
    ("sleep 1 &", "background jobs are not supported"),
    # dash's words (run `dash -c LINE` to see them)
    ("echo 'abc", "Syntax error: Unterminated quoted string"),
    ("&& ls", 'Syntax error: "&&" unexpected'),
    ("echo | | x", 'Syntax error: "|" unexpected'),
    ("echo a ||", "Syntax error: end of file unexpected"),
    ("echo >", "Syntax error: end of file unexpected"),
])
def test_shell_refuses_what_it_cannot_do(line: str, message: str) -> None:
    with pytest.raises(ShellSyntaxError) as e:
        parse(line)
    assert str(e.value) == message


def test_errno_names_numbers_and_glibc_texts() -> None:
    assert errnos.parse_errno("-ENOMEM") == 12
    assert errnos.parse_errno("16") == 16
    assert errnos.parse_errno("EWOULDBLOCK") == 11
    assert errnos.strerror(-5) == "Input/output error"
    assert errnos.strerror(-11) == "Resource temporarily unavailable"
    with pytest.raises(ValueError):
        errnos.parse_errno("ENOTATHING")


def test_makefile_modules_parts_and_default_goal(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text(
        "# samples\nobj-m += a.o \\\n\tb.o\nobj-m += both.o\n"
        "both-objs := x.o y.o\n\nall:\n\tmake -C $(KDIR) M=$(PWD) modules\n")
    (tmp_path / "x.c").write_text("int f(void) { return 0; }\nEXPORT_SYMBOL_GPL(f);\n")
    (tmp_path / "a.c").write_text("EXPORT_SYMBOL(g);\n")
    mk = makefile.parse(tmp_path)
    assert mk is not None
    assert mk.modules == ("a", "b", "both")
    assert mk.parts == {"both": ("x", "y")}
    # make's "[Makefile:N: all]" names the recipe line (recorded: tests/kbuild/real/)
    assert (mk.first_target, mk.first_target_line) == ("all", 8)
    assert makefile.buildable(tmp_path, "both") and not makefile.buildable(tmp_path, "y")
    assert makefile.folder_exports(tmp_path, "b") == {"g": "a", "f": "both"}
    assert makefile.folder_exports(tmp_path, "a") == {"f": "both"}


def test_shell_redirections_and_pipelines_are_parsed_as_dash_does() -> None:
    from kmodgui.userspace.shell import Redirect, pipelines
    cmds = parse("dmesg 2>&1 | tail -n 2 > /tmp/x; echo 2 >>f 2>/dev/null <in && echo a2>b")
    assert [(c.op, c.words) for c in cmds] == [
        ("", ["dmesg"]), ("|", ["tail", "-n", "2"]), (";", ["echo", "2"]),
        ("&&", ["echo", "a2"])]
    assert cmds[0].redirects == [Redirect(2, ">&", "1")]
    assert cmds[1].redirects == [Redirect(1, ">", "/tmp/x")]
    assert cmds[2].redirects == [Redirect(1, ">>", "f"), Redirect(2, ">", "/dev/null"),
                                 Redirect(0, "<", "in")]
    assert cmds[3].redirects == [Redirect(1, ">", "b")]
    assert [len(p) for p in pipelines(cmds)] == [2, 1, 1]
    # a quoted number is a word, not a descriptor
    (cmd,) = parse("echo '2'>f")
    assert cmd.words == ["echo", "2"] and cmd.redirects == [Redirect(1, ">", "f")]
