"""Build, pack, boot and read back one session on a real kernel."""
from __future__ import annotations

import gzip
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kmodgui import sandbox

#: the 6.1 profile is Debian 12's kernel package of this exact version
DEFAULT_VERSION = "6.1.0-56-amd64"
#: the kmod tools: called by full path (busybox's shell prefers its applets)
KMOD_TOOLS = ("insmod", "rmmod", "lsmod", "modinfo", "modprobe", "depmod")
#: a command still running after this long is left (a runaway init spins
#: into the soft-lockup report after about 22-26 s, so wait for that)
COMMAND_SECONDS = 30
BOOT_SECONDS = 60
BOOT_ATTEMPTS = 3
MARK = "### "
#: the user's commands run with Debian's own userland, as on a Debian
#: machine (dash as sh, coreutils, grep, util-linux's dmesg), copied from
#: the host with their libraries; busybox only runs the recorder's /init
DEBIAN_TOOLS = {"dash": "dash", "cat": "coreutils", "ls": "coreutils", "head": "coreutils",
                "tail": "coreutils", "wc": "coreutils", "dd": "coreutils",
                "mknod": "coreutils", "uname": "coreutils", "sleep": "coreutils",
                "true": "coreutils", "false": "coreutils", "printf": "coreutils",
                "echo": "coreutils", "pwd": "coreutils", "grep": "grep",
                "dmesg": "util-linux"}


def _host_tool(name: str) -> str | None:
    return next((f"{d}/{name}" for d in ("/usr/bin", "/bin") if Path(f"{d}/{name}").is_file()),
                None)


@dataclass
class Step:
    """One command as the real machine ran it."""
    command: str
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    status: int | None = None          # None: still running when the VM stopped
    dmesg: list[str] = field(default_factory=list)   # "<6>[    1.23] text", new since the last step
    lsmod: list[str] = field(default_factory=list)
    proc_modules: list[str] = field(default_factory=list)
    tainted: str = ""
    not_run: str = ""                  # why the real machine did not run it
    #: (file, find, replace): the sources were edited so just before it
    edits: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Session:
    version: str
    build_output: str
    build_status: int
    steps: list[Step]
    note: str = ""                      # how the VM ended, when it did not power off


def installed_versions() -> list[str]:
    """Kernels with both an image and headers, newest last."""
    boot = Path("/boot")
    found = [p.name[len("vmlinuz-"):] for p in boot.glob("vmlinuz-*")] if boot.is_dir() else []
    return sorted(v for v in found if Path(f"/lib/modules/{v}/build").is_dir())


def pick_version(wanted: str | None) -> str | None:
    have = installed_versions()
    if wanted:
        return wanted if wanted in have else None
    if DEFAULT_VERSION in have:
        return DEFAULT_VERSION
    return have[-1] if have else None


def missing_packages(version: str) -> list[str]:
    """Debian packages the backend needs that are not installed."""
    need = {
        "qemu-system-x86": shutil.which("qemu-system-x86_64"),
        "busybox-static": Path("/bin/busybox").is_file() or None,
        "kmod": Path("/usr/bin/kmod").is_file() or Path("/bin/kmod").is_file() or None,
        "build-essential": shutil.which("make") and shutil.which("gcc"),
        **{pkg: _host_tool(tool) for tool, pkg in DEBIAN_TOOLS.items()},
        f"linux-image-{version}": Path(f"/boot/vmlinuz-{version}").is_file() or None,
        f"linux-headers-{version}": Path(f"/lib/modules/{version}/build").is_dir() or None,
    }
    return [pkg for pkg, ok in need.items() if not ok]


def install_hint(packages: list[str]) -> str:
    return "apt-get install --no-install-recommends " + " ".join(packages)


# -- kbuild ----------------------------------------------------------------
_PART_LINE = re.compile(r"^\s*([\w-]+-(objs|y)|ccflags-y|EXTRA_CFLAGS)\s*[:+]?=")


_INCLUDE = re.compile(r"^\s*#\s*(include|include_next|import)\b\s*(.*)$")
_SAFE_INCLUDE = re.compile(r'^(<[\w./+-]+>|"[\w./+-]+")')
_HOST_PATH = re.compile(r"(^|[\s<\"'=])(/|\.\./|~)|(/\.\.(/|$))")


def _reaches_host(name: str, text: str, flags: bool = False) -> str:
    """Why a source (or a kbuild flag line) would make the host's gcc or
    make read or run something outside the module folder: the real build
    runs on this machine, not in the VM.  "" when it would not."""
    for n, line in enumerate(text.splitlines(), 1):
        where = f"{name}:{n}: "
        if flags:
            value = line.split("=", 1)[-1]
            if any(c in value for c in "$`~/") or ".." in value \
                    or re.search(r"-(include|imacros|specs|wrapper|fplugin)\b", line):
                return where + "a kbuild flag line that reaches outside the module folder"
            continue
        m = _INCLUDE.match(line)
        safe = _SAFE_INCLUDE.match(m.group(2)) if m else None
        # what follows the name (`#include <linux/kernel.h> /* for sprintf() */`)
        # is no part of the path cpp opens
        if m and (safe is None or _HOST_PATH.search(safe.group(1)[1:])):
            return where + f"#{m.group(1)} {m.group(2).strip()}: only the kernel's headers " \
                "and the module's own files may be included"
        if ".incbin" in line:
            return where + ".incbin would read a file of this machine"
    return ""


def _compiled(work: Path, wanted: list[str], own: str) -> list[Path]:
    """The sources the build would read: the wanted modules' .c files (or
    the parts their NAME-objs lines name) and every header of the folder."""
    names: set[str] = set()
    for w in wanted:
        m = re.search(rf"^\s*{re.escape(w)}-(?:objs|y)\s*[:+]?=(.*)$", own, re.M)
        names |= {o[:-2] + ".c" for o in m.group(1).split() if o.endswith(".o")} if m \
            else {f"{w}.c"}
    return sorted(p for p in work.glob("*.[ch]") if p.suffix == ".h" or p.name in names)


def build(folder: Path, work: Path, version: str,
          wanted: list[str]) -> tuple[int, str, list[Path]]:
    """Copy the folder's sources (through the sandbox) and run the real
    kbuild: `make -C /lib/modules/V/build M=work modules`.  A folder with
    no Makefile or Kbuild gets a Kbuild naming the modules the commands
    use (`wanted`), as a student would write it."""
    work.mkdir(parents=True, exist_ok=True)
    for p in sorted(Path(folder).iterdir()):
        if p.suffix in (".c", ".h") or p.name in ("Makefile", "Kbuild"):
            text = sandbox.read_source(folder, p.name)
            if text is not None:
                (work / p.name).write_text(text)
    # kbuild reads Kbuild before Makefile in the M= pass: one naming just
    # the modules the session uses, with the folder's own composite-object
    # and flag lines, so a sample the real kernel cannot build (one using
    # a simulator-only header) does not stop the others
    own = "".join((work / mk).read_text(errors="replace") for mk in ("Kbuild", "Makefile")
                  if (work / mk).exists())
    parts = [ln + "\n" for ln in own.splitlines() if _PART_LINE.match(ln)]
    why = _reaches_host("Kbuild", "".join(parts), flags=True) or next(
        (w for w in (_reaches_host(c.name, c.read_text(errors="replace"))
                     for c in _compiled(work, wanted, own)) if w), "")
    if why:
        return 2, (f"kmodsim: {why}\nkmodsim: the real backend builds with this machine's "
                   "gcc and make, so it refuses what would reach outside the module folder\n"), []
    objs = [f"{name}.o" for name in wanted
            if (work / f"{name}.c").exists() or re.search(rf"^\s*{re.escape(name)}-(objs|y)\b",
                                                        own, re.M)]
    if not objs:
        return 0, "", []
    (work / "Kbuild").write_text("".join(parts) + "".join(f"obj-m += {o}\n" for o in objs))
    proc = subprocess.run(["make", "-C", f"/lib/modules/{version}/build", f"M={work}",
                           "modules"], capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout + proc.stderr, sorted(work.glob("*.ko"))


# -- initramfs ---------------------------------------------------------------
def _cpio_entry(name: str, mode: int, data: bytes = b"", ino: int = 0) -> bytes:
    """One "newc" cpio header plus name and data, each padded to 4 bytes."""
    namez = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(namez), 0]
    head = b"070701" + b"".join(f"{f:08x}".encode() for f in fields)
    pad = lambda n: b"\0" * ((4 - n % 4) % 4)   # noqa: E731
    return head + namez + pad(len(head) + len(namez)) + data + pad(len(data))


def _libraries(binary: str) -> list[str]:
    out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    return re.findall(r"(/\S+)\s+\(0x", out)


def initramfs(kos: list[Path], script: str, into: list[str] | None = None) -> bytes:
    """busybox, kmod and its libraries, the modules (in /m, or in
    /m/into[i] for kos[i]) and /init."""
    files: dict[str, tuple[int, bytes]] = {}
    dirs = ["bin", "sbin", "proc", "sys", "dev", "tmp", "m", "lib", "lib64",
            "lib/x86_64-linux-gnu", "usr", "usr/bin", "usr/sbin"]
    files["bin/busybox"] = (0o100755, Path("/bin/busybox").read_bytes())
    kmod = "/usr/bin/kmod" if Path("/usr/bin/kmod").is_file() else "/bin/kmod"
    files["sbin/kmod"] = (0o100755, Path(kmod).read_bytes())
    binaries = [kmod]
    for tool in DEBIAN_TOOLS:
        path = _host_tool(tool)
        if path:
            files[f"usr/bin/{tool}"] = (0o100755, Path(path).read_bytes())
            binaries.append(path)
    for lib in sorted({lib for b in binaries for lib in _libraries(b)}):
        real = os.path.realpath(lib)
        files[lib.lstrip("/")] = (0o100755, Path(real).read_bytes())
    for i, ko in enumerate(kos):
        sub = into[i] + "/" if into and into[i] else ""
        files[f"m/{sub}{ko.name}"] = (0o100644, ko.read_bytes())
    files["init"] = (0o100755, script.encode())
    links = {f"sbin/{t}": "kmod" for t in KMOD_TOOLS}
    out = bytearray()
    ino = 1
    for d in dirs:
        out += _cpio_entry(d, 0o040755, ino=ino)
        ino += 1
    for name, (mode, data) in files.items():
        parent = str(Path(name).parent)
        while parent not in (".", "") and parent not in dirs:
            dirs.append(parent)
            out += _cpio_entry(parent, 0o040755, ino=ino)
            ino += 1
            parent = str(Path(parent).parent)
        out += _cpio_entry(name, mode, data, ino=ino)
        ino += 1
    for name, target in links.items():
        out += _cpio_entry(name, 0o120777, target.encode(), ino=ino)
        ino += 1
    out += _cpio_entry("TRAILER!!!", 0)
    return gzip.compress(bytes(out), compresslevel=1)


_TOOL_AT_START = re.compile(r"(^|[;&|]\s*|\bsh -c\s+['\"]?)(" + "|".join(KMOD_TOOLS) + r")\b")


def _full_paths(command: str) -> str:
    return _TOOL_AT_START.sub(lambda m: m.group(1) + "/sbin/" + m.group(2), command)


def init_script(commands: list[str], record_state: bool,
                dirs: list[str] | None = None) -> str:
    """The /init the real machine runs: mounts, a quiet console, each
    command through `sh -c` (so a crash of the tool is reported as the
    shell reports a signal), its outputs marked line by line.  With
    `dirs`, command i runs in /m/dirs[i] (the modules of its sources)."""
    state = (f'echo "{MARK}[lsmod]"; /sbin/lsmod; echo "{MARK}[cat /proc/modules]"; '
             f'cat /proc/modules; echo "{MARK}[cat /proc/sys/kernel/tainted] '
             '$(cat /proc/sys/kernel/tainted)"') if record_state else ":"
    lines = [
        "#!/bin/busybox sh",
        "/bin/busybox --install -s /bin",
        "for t in " + " ".join(KMOD_TOOLS) + "; do rm -f /bin/$t; done",
        "export PATH=/sbin:/bin",
        "mount -t proc proc /proc; mount -t sysfs sysfs /sys",
        "mount -t devtmpfs devtmpfs /dev; mount -t tmpfs tmpfs /tmp",
        "dmesg -n 1",
        "dmesg -c > /dev/null",              # the session starts with an empty log
        "dmesg -r > /tmp/seen",
        "cd /m",
        "nl='",
        "'",
        "step() {",                          # step LABEL COMMAND
        f'  echo "{MARK}$ $1"',
        # the command runs on CPU 0 (as on a one-CPU machine), the watcher
        # on CPU 1, so a spinning init cannot starve the watcher
        # through Debian's sh (dash, named sh) with Debian's tools first on
        # PATH; the trailing `exit` keeps dash from exec'ing the command, so
        # dash waits for it and reports a signal that kills it ("Killed")
        '  PATH=/sbin:/usr/bin:/bin taskset 1 /usr/bin/dash -c "$2${nl}exit \\$?" sh '
        '>/tmp/o 2>/tmp/e </dev/null & pid=$!',
        "  i=0",
        f"  while kill -0 $pid 2>/dev/null && [ $i -lt {COMMAND_SECONDS * 5} ]; do sleep 0.2; i=$((i+1)); done",
        '  if kill -0 $pid 2>/dev/null; then rc=running; else wait $pid; rc=$?; fi',
        "  sed 's/^/1| /' /tmp/o; sed 's/^/2| /' /tmp/e",
        f'  echo "{MARK}exit=$rc"',
        f'  echo "{MARK}[dmesg -r]"',
        "  dmesg -r > /tmp/now; n=$(wc -l < /tmp/seen); tail -n +$((n+1)) /tmp/now; cp /tmp/now /tmp/seen",
        f"  {state}",
        '  [ "$rc" = running ] && { echo "' + MARK + 'END running"; poweroff -f; }',
        "}",
        f'echo "{MARK}BEGIN"',
    ]
    here = ""
    for i, c in enumerate(commands):
        there = dirs[i] if dirs else ""
        if there != here:
            lines.append(f"mkdir -p /m/{there}; cd /m/{there}")
            here = there
        lines.append(f"step {shlex.quote(c)} {shlex.quote(_full_paths(c))}")
    lines += [f'echo "{MARK}END"', "poweroff -f", ""]
    return "\n".join(lines)


def boot(version: str, initrd: Path, seconds: int,
         on_line: Callable[[str], None] | None = None) -> tuple[str, str]:
    """Boot the kernel on the initramfs; the serial console's text and how
    the VM ended ("" when /init powered it off).  `on_line` sees each
    console line as it arrives (the caller's progress)."""
    cmd = ["qemu-system-x86_64", "-m", "1024", "-smp", "2", "-nographic", "-no-reboot",
           "-kernel", f"/boot/vmlinuz-{version}", "-initrd", str(initrd),
           "-append", "console=ttyS0 panic=-1 quiet loglevel=4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    chunks: list[bytes] = []
    ended = threading.Event()
    reader = threading.Thread(target=_read_console, args=(proc, chunks, on_line, ended),
                              daemon=True)
    reader.start()
    try:
        note = _wait(proc, ended, seconds)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r", ""), note


#: after /init's last mark, how long the VM gets to power itself off (a
#: CPU still spinning in the kernel can keep `poweroff -f` from finishing)
POWEROFF_SECONDS = 5


def _wait(proc: subprocess.Popen, said: threading.Event, seconds: int) -> str:
    """Wait for the VM; "" when it ended on its own or /init said its END
    (`said`: set by the reader at END or when the console closes)."""
    if not said.wait(timeout=seconds):
        return f"the real machine did not finish within {seconds} s: the VM was stopped"
    try:
        proc.wait(timeout=POWEROFF_SECONDS)
    except subprocess.TimeoutExpired:
        pass                          # all was said; the VM is stopped by the caller
    return ""


def _read_console(proc: subprocess.Popen, chunks: list[bytes],
                  on_line: Callable[[str], None] | None,
                  ended: threading.Event | None = None) -> None:
    assert proc.stdout is not None
    for raw in iter(proc.stdout.readline, b""):
        chunks.append(raw)
        if on_line is not None:
            on_line(raw.decode("utf-8", "replace").rstrip("\r\n"))
        if ended is not None and raw.startswith(f"{MARK}END".encode()):
            ended.set()
    if ended is not None:
        ended.set()                   # the console closed: the VM is gone


def parse(console: str) -> tuple[list[Step], bool]:
    """The marked console text back into steps; True when /init got to
    the end or stopped at a command that was still running."""
    steps: list[Step] = []
    section = ""
    ended = False
    body = console.split(f"{MARK}BEGIN\n", 1)[-1] if f"{MARK}BEGIN\n" in console else ""
    for line in body.splitlines():
        if line.startswith(f"{MARK}$ "):
            steps.append(Step(line[len(MARK) + 2:]))
            section = "out"
        elif not steps:
            continue
        elif line.startswith(f"{MARK}exit="):
            v = line[len(MARK) + 5:]
            steps[-1].status = int(v) if v.isdigit() else None
        elif line.startswith(f"{MARK}[dmesg"):
            section = "dmesg"
        elif line == f"{MARK}[lsmod]":
            section = "lsmod"
        elif line == f"{MARK}[cat /proc/modules]":
            section = "modules"
        elif line.startswith(f"{MARK}[cat /proc/sys/kernel/tainted]"):
            steps[-1].tainted = line.rsplit(" ", 1)[-1]
            section = ""
        elif line.startswith(f"{MARK}END"):
            ended = True
            break
        elif section == "out" and line.startswith("1| "):
            steps[-1].stdout.append(line[3:])
        elif section == "out" and line.startswith("2| "):
            steps[-1].stderr.append(line[3:])
        elif section == "dmesg" and line.startswith("<"):
            steps[-1].dmesg.append(line)
        elif section == "lsmod":
            steps[-1].lsmod.append(line)
        elif section == "modules":
            steps[-1].proc_modules.append(line)
    return steps, ended


def run(folder: Path, commands: list[str], version: str, record_state: bool = False,
        progress: Callable[[str], None] | None = None) -> Session:
    """The whole session on the real machine.  Caller checks the packages.
    `progress` is told each phase: building, booting, running command k."""
    return run_stages([(folder, commands)], version, record_state, progress)


def _build_stages(stages: list[tuple[Path, list[str]]], tmp: Path, version: str,
                  say: Callable[[str], None]) -> tuple[int, str, list[Path], list[str]]:
    """Build each stage's folder (a state of the sources) on its own;
    its modules go to /m/sN (one stage: /m)."""
    status, outputs, kos, into = 0, [], [], []
    for n, (folder, commands) in enumerate(stages):
        work = tmp / f"build{n}"
        wanted = sorted(set(re.findall(r"([\w-]+)\.ko\b", " ".join(commands))))
        say("building " + (", ".join(f"{w}.ko" for w in wanted) or "nothing")
            + " with the real kbuild")
        st, output, built = build(folder, work, version, wanted)
        # display the folder as the user knows it, not the temp copy
        outputs.append(output.replace(str(work), str(Path(folder).resolve())))
        status = status or st
        kos += built
        into += [f"s{n}" if len(stages) > 1 else ""] * len(built)
    return status, "".join(outputs), kos, into


def run_stages(stages: list[tuple[Path, list[str]]], version: str, record_state: bool = False,
               progress: Callable[[str], None] | None = None) -> Session:
    """One boot running each stage's commands in turn, each with the
    modules built from its own folder (a lesson edits the sources between
    steps: the later commands use the edited module)."""
    say = progress or (lambda _text: None)
    commands = [c for _folder, cmds in stages for c in cmds]
    dirs = [f"s{n}" if len(stages) > 1 else "" for n, (_f, cmds) in enumerate(stages)
            for _c in cmds]
    with tempfile.TemporaryDirectory(prefix="kmodgui-real-") as tmp:
        status, output, kos, into = _build_stages(stages, Path(tmp), version, say)
        initrd = Path(tmp) / "initramfs.cpio.gz"
        initrd.write_bytes(initramfs(kos, init_script(commands, record_state, dirs), into))
        seconds = BOOT_SECONDS + (COMMAND_SECONDS + 5) * len(commands)
        say(f"booting {version} in QEMU")
        for attempt in range(BOOT_ATTEMPTS):
            console, note = boot(version, initrd, seconds, _step_reporter(len(commands), say))
            if f"{MARK}BEGIN" in console or note:
                break
            # the VM ended before /init ran a command (seen under a heavily
            # loaded host): nothing ran yet, so booting again changes nothing
            say(f"the real machine stopped before /init began; booting again ({attempt + 2})")
    steps, ended = parse(console)
    if not note and not ended:
        note = "the real machine stopped before the last command finished"
    if steps and steps[-1].status is None and not note:
        note = (f"'{steps[-1].command}' was still running after {COMMAND_SECONDS} s "
                "on the real machine: the VM was stopped")
    return Session(version, output, status, steps, note)


def _step_reporter(total: int, say: Callable[[str], None]) -> Callable[[str], None]:
    """Turns /init's step marks on the console into "running command k of n"."""
    seen = [0]

    def on_line(line: str) -> None:
        if line.startswith(f"{MARK}$ "):
            seen[0] += 1
            say(f"running command {seen[0]} of {total}: {line[len(MARK) + 2:]}")
    return on_line
