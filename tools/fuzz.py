#!/usr/bin/env python3
"""Fuzz kmodsim's build and load path with mutated sample modules.

Each input is a sample module of kmodgui/modules with mutations (tokens
deleted, duplicated or swapped; truncation; random bytes; deep nesting; huge
literals; odd preprocessor directives; constructs that once broke the front
end), written as m.c into a folder of its own and run there with
`insmod m.ko; lsmod; rmmod m; dmesg` by a worker subprocess with a 5 s
limit (a worker that overruns is killed and the input counted as a hang) and
a 2 GiB address-space limit.  The limit is 5 s of wall time on an idle
machine; on a shared one it is counted in the worker's CPU time (wall time
is mostly waiting for a core under `nice`), with 120 s of wall time as a hard
stop, and answers later than 5 s of wall time are counted as slow.  Each
input is classified:

  ok          insmod's build succeeded (the module loaded, or its init failed)
  diagnostic  the build was refused with a compiler/make diagnostic
  internal    kmodsim: internal error, a Python traceback, or a dead worker
  hang        no answer within the limit
  host-path   the output names a host path (/etc, /root, /work, /home, the
              real home, Python's own files) that the input does not contain

  python tools/fuzz.py --count 20000 --seed 1 --jobs 1 --out fuzz-out
  python tools/fuzz.py --count 20000 --seed 1 --start 8000 --out fuzz-out   # 8000..19999
  python tools/fuzz.py --replay fuzz-out/internal      # re-run saved inputs

Inputs of the classes internal, hang and host-path are saved under --out
(CLASS/NNNNN.c with the output beside it as NNNNN.txt).
"""
from __future__ import annotations

import argparse
import faulthandler
import json
import os
import random
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "kmodgui" / "modules"
COMMANDS = "insmod m.ko; lsmod; rmmod m; dmesg"
LIMIT_SECONDS = 5.0          # CPU seconds an input may take (wall, on an idle machine)
HARD_SECONDS = 120.0         # wall seconds, whatever the machine's load
MEMORY_BYTES = 2 << 30
WORKER_INPUTS = 200          # a worker is replaced after this many inputs
CLASSES = ("ok", "diagnostic", "internal", "hang", "host-path")
BAD = ("internal", "hang", "host-path")

# -- mutations ------------------------------------------------------------

_TOKEN = re.compile(rb"""[A-Za-z_]\w*|0[xX][0-9a-fA-F]+|\d+|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
                    rb"""|//[^\n]*|/\*.*?\*/|\s+|\.\.\.|->|<<=|>>=|[-+*/%&|^<>=!]=|&&|\|\||"""
                    rb"""\+\+|--|<<|>>|##|.""", re.S)

DIRECTIVES = [
    b"#define", b"#undef", b"#ifdef", b"#ifndef", b"#if", b"#elif 1", b"#else", b"#endif",
    b"#include", b'#include "m.c"', b"#include <>", b'#include "a\0b.h"', b"#include <linux/",
    b"#line 0", b"#line 99999999999999999999", b'#line 5 "/etc/passwd"', b"#pragma once",
    b"#error stop", b"#warning careful", b"#define A A", b"#define F(x) F(x)", b"#", b"##",
    b"#define X(", b"#if 1/0", b"#if (", b"#define M0 x x\n#define M1 M0 M0\n#define M2 M1 M1\n"
    b"#define M3 M2 M2\nint big = M3;", b"#include __FILE__", b"#assert x", b"#ident \"x\"",
    b"#define KERN_INFO", b"#undef printk", b"#define module_init(x)", b"#define int long",
]

SNIPPETS = [
    b"module_init(0);", b"module_exit(1 + 2);", b"static int f { return 0; }",
    b"static int g(a);", b'static const char *s = "\\x";', b'static const char *u = u8"x";',
    b"static int __init t_init(void);", b"int x = 1 / 0;", b"static int y = -2147483648 / -1;",
    b"static char z[1 << 30];", b"struct s { struct s inner; };", b"typedef int t; t t;",
    b"static int a[-1];", b"enum { E = E };", b"static int w = sizeof(struct nothere);",
    b"static void *p = &p;", b"int main(void) { return 0; }", b"asm(\"nop\");",
    b"static int l = L'x';", b'static const char *ws = L"x";', b"_Static_assert(0, \"no\");",
    b"static int q = 0x" + b"f" * 40 + b";", b"static double d = 1.5;",
]


# statements spliced into a function body
STATEMENTS = [
    b"int a[3] = {[5] = 1};", b"switch (1) { case 1: case 1: ; }", b"goto nowhere;",
    b"struct { int b:3; } bf;", b'char c = "x"[10];', b"int *np = 0; *np = 1;",
    b"__label__ lab;", b"int se = ({ 1; });", b"typeof(1) ty = 0;",
    b"if (__builtin_expect(1, 1)) ;", b"(void)sizeof(void);", b"int v0[0];",
    b'char s2[2] = "abc";', b"1 ? (void)0 : 1;", b"int self = self;",
    b"return hi_init();", b"return init_module();", b"int big[1 << 20];",
    b"int d0 = 1 / 0;", b"int m0 = 1 % 0;", b"long sh = 1L << 64;", b"int neg = -2147483648 / -1;",
    b"static int st; st++;", b"char *vp = (char *)&vp; vp[100000] = 1;",
    b"void (*fp)(void) = 0; fp();", b"int arr[2]; arr[-1] = 0; arr[2] = 0;",
    b"unsigned char uc = 300;", b"printk(KERN_INFO \"%s %d %p %n\", 1, \"x\");",
    b"printk(\"%*d\\n\", 2147483647, 1);", b"while (1) ;", b"for (;;) { }",
    b"do { continue; } while (0);", b"{ int shadow = 1; { int shadow = 2; } }",
    b"asm volatile(\"\");", b"kfree((void *)1);", b"kfree(kmalloc(0, GFP_KERNEL));",
    b"memset((void *)0, 0, 1);", b"return 1 ? 2 : ;", b"int x = (int){ 1 };",
    b"struct sfoo *sp; sp->x = 1;", b"register int r asm(\"rax\");",
]


def tokens(src: bytes) -> list[bytes]:
    return _TOKEN.findall(src)


def _significant(toks: list[bytes]) -> list[int]:
    return [i for i, t in enumerate(toks) if not t.isspace()] or [0]


def m_delete(src: bytes, rng: random.Random) -> bytes:
    toks = tokens(src)
    for _ in range(rng.randint(1, 3)):
        if toks:
            del toks[rng.choice(_significant(toks))]
    return b"".join(toks)


def m_duplicate(src: bytes, rng: random.Random) -> bytes:
    toks = tokens(src)
    i = rng.choice(_significant(toks))
    j = min(len(toks), i + rng.randint(1, 8))
    toks[i:i] = toks[i:j] * rng.randint(1, 3)
    return b"".join(toks)


def m_swap(src: bytes, rng: random.Random) -> bytes:
    toks = tokens(src)
    sig = _significant(toks)
    i, j = rng.choice(sig), rng.choice(sig)
    toks[i], toks[j] = toks[j], toks[i]
    return b"".join(toks)


def m_truncate(src: bytes, rng: random.Random) -> bytes:
    return src[:rng.randrange(len(src) + 1)]


def m_bytes(src: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(src) + 1)
    junk = bytes(rng.choice((0, 0xFF, 0x80, 0x7F, rng.randrange(256)))
                 for _ in range(rng.randint(1, 16)))
    return src[:at] + junk + src[at:]


def m_nesting(src: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((50, 200, 1000, 5000, 20000))
    kind = rng.randrange(4)
    if kind == 0:
        deep = b"(" * depth + b"0" + b")" * depth
        return re.sub(rb"return\s+[^;]*;", b"return " + deep + b";", src, count=1)
    if kind == 1:
        deep = b"{" * depth + b"}" * depth
    elif kind == 2:
        deep = b"if (1) " * depth + b";"
    else:
        deep = b"int v = " + b"-" * depth + b"1; (void)v;"
    return re.sub(rb"\)\s*\{", b") {" + deep.replace(b"\\", b"\\\\"), src, count=1)


def m_literal(src: bytes, rng: random.Random) -> bytes:
    n = rng.choice((21, 400, 4301, 100000, 1000000))
    kind = rng.randrange(3)
    if kind == 0:
        big = rng.choice((b"9", b"1", b"0x", b"0")) + b"9" * n
    elif kind == 1:
        big = b'"' + b"a" * n + b'"'
    else:
        big = b"'" + b"a" * min(n, 1000) + b"'"
    toks = tokens(src)
    numbers = [i for i, t in enumerate(toks) if t[:1].isdigit()] or _significant(toks)
    toks[rng.choice(numbers)] = big
    return b"".join(toks)


def _at_line(src: bytes, rng: random.Random, text: bytes) -> bytes:
    lines = src.split(b"\n")
    lines.insert(rng.randrange(len(lines) + 1), text)
    return b"\n".join(lines)


def m_directive(src: bytes, rng: random.Random) -> bytes:
    return _at_line(src, rng, rng.choice(DIRECTIVES))


def m_snippet(src: bytes, rng: random.Random) -> bytes:
    return _at_line(src, rng, rng.choice(SNIPPETS))


def m_statement(src: bytes, rng: random.Random) -> bytes:
    """A statement at the start of a function body."""
    bodies = [m.end() for m in re.finditer(rb"\)\s*\{", src)]
    if not bodies:
        return src
    at = rng.choice(bodies)
    return src[:at] + b"\n\t" + rng.choice(STATEMENTS) + src[at:]


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "delete": m_delete, "duplicate": m_duplicate, "swap": m_swap, "truncate": m_truncate,
    "bytes": m_bytes, "nesting": m_nesting, "literal": m_literal, "directive": m_directive,
    "snippet": m_snippet, "statement": m_statement,
}


def samples() -> list[Path]:
    """The sample modules, the broken ones included."""
    return sorted(SAMPLES.glob("*.c")) + sorted((SAMPLES / "broken").glob("*.c"))


def mutate(src: bytes, rng: random.Random, kinds: list[str] | None = None) -> bytes:
    """One to three mutations, each of a kind drawn from `kinds`."""
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        src = MUTATIONS[rng.choice(kinds or list(MUTATIONS))](src, rng)
    return src


def inputs(count: int, seed: int, start: int = 0) -> Iterator[bytes]:
    """Inputs start..count-1 of the seed's sequence (the ones before start
    are generated and dropped: each mutation draws on the same generator)."""
    rng = random.Random(seed)
    seeds = [p.read_bytes() for p in samples()]
    for n in range(count):
        src = mutate(rng.choice(seeds), rng)
        if n >= start:
            yield src


# -- running one input ----------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    klass: str
    output: str
    seconds: float
    traceback: str = ""
    slow: bool = False       # over LIMIT_SECONDS of wall time, under it of CPU

    @property
    def in_preprocessor(self) -> bool:
        """An internal error raised, or a hang stopped, inside cpp (pcpp or
        kbuild/preprocess.py)."""
        return self.klass in ("internal", "hang") and (
            "kbuild/preprocess.py" in self.traceback or "/pcpp/" in self.traceback)


def _host_paths() -> re.Pattern[str]:
    words = [r"/etc/", r"/root\b", r"/work\b", r"/home/", r"site-packages", r"/usr/lib/python",
             r"\.py\b", re.escape(str(ROOT))]
    home = os.path.expanduser("~")
    if home not in ("/", "") and home != "/root":
        words.append(re.escape(home))
    return re.compile("|".join(words))


HOST_PATHS = _host_paths()


def classify(source: bytes, folder: str, result: dict | None, seconds: float) -> Verdict:
    if result is None:
        return Verdict("hang", "", seconds)
    out = result.get("stdout", "") + result.get("stderr", "")
    tb = result.get("traceback", "")
    if "error" in result:
        return Verdict("internal", result["error"], seconds, tb)
    if "internal error" in out or "Traceback (most recent call last)" in out:
        return Verdict("internal", out, seconds, tb)
    shown = out.replace(folder, "<dir>")
    text = source.decode("utf-8", "replace")
    leaked = [m.group(0) for m in HOST_PATHS.finditer(shown) if m.group(0) not in text]
    if leaked:
        return Verdict("host-path", out, seconds)
    refused = _MAKE_FAILED.search(out)
    return Verdict("diagnostic" if refused else "ok", out, seconds, slow=result.get("slow", False))


#: a build that failed ends with make's "*** ... Error N" or "Stop." line
_MAKE_FAILED = re.compile(r"^make(\[\d+\])?: \*\*\* ", re.M)


class Worker:
    """A kmodsim in a subprocess that runs inputs one at a time."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
        self.dump = tempfile.NamedTemporaryFile(prefix="kmodfuzz-stack-", suffix=".txt")
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker",
                                      "--stack-file", self.dump.name],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env, text=True,
                                     preexec_fn=_limit_memory)
        self.used = 0
        self.hung_cpu = 0.0
        self.hung_stack = ""

    def run(self, folder: str) -> dict | None:
        """The worker's answer, or None if it used LIMIT_SECONDS of CPU (or
        HARD_SECONDS of wall time) without one; the worker is then killed.
        An answer that came after more than LIMIT_SECONDS of wall time but
        less of CPU (the machine busy with other work) is marked slow."""
        assert self.proc.stdin and self.proc.stdout
        self.used += 1
        try:
            self.proc.stdin.write(json.dumps({"dir": folder}) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return {"error": "worker died"}
        cpu0, wall0 = self.cpu_seconds(), time.monotonic()
        while True:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.25)
            if ready:
                break
            self.hung_cpu = self.cpu_seconds() - cpu0
            if self.hung_cpu >= LIMIT_SECONDS or time.monotonic() - wall0 >= HARD_SECONDS:
                self.hung_stack = self.stack()
                self.kill()
                return None
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            return {"error": f"worker died (exit status {code})"}
        answer = json.loads(line)
        answer["slow"] = time.monotonic() - wall0 > LIMIT_SECONDS
        return answer

    def stack(self) -> str:
        """Where the worker is: its Python stack, dumped by faulthandler."""
        try:
            os.kill(self.proc.pid, signal.SIGUSR1)
        except OSError:
            return ""
        time.sleep(0.3)
        return Path(self.dump.name).read_text(errors="replace")

    def cpu_seconds(self) -> float:
        """User + system time the worker has used so far (a machine shared
        with other work makes wall time longer than CPU time)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def alive(self) -> bool:
        return self.proc.poll() is None and self.used < WORKER_INPUTS

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.dump.close()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


class Runner:
    """Runs inputs through a worker it replaces when it dies or hangs."""

    def __init__(self) -> None:
        self.worker: Worker | None = None
        self.scratch = Path(tempfile.mkdtemp(prefix="kmodfuzz-"))

    def run(self, source: bytes) -> Verdict:
        if self.worker is None or not self.worker.alive():
            if self.worker is not None:
                self.worker.kill()
            self.worker = Worker()
        folder = self.scratch / "m"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        (folder / "m.c").write_bytes(source)
        start = time.monotonic()
        result = self.worker.run(str(folder))
        seconds = time.monotonic() - start
        verdict = classify(source, str(folder), result, seconds)
        if result is None:
            verdict = Verdict("hang", f"no answer after {self.worker.hung_cpu:.1f} s of CPU "
                              f"and {seconds:.1f} s of wall time", seconds,
                              self.worker.hung_stack)
            self.worker = None
        return verdict

    def close(self) -> None:
        if self.worker is not None:
            self.worker.kill()
            self.worker = None
        shutil.rmtree(self.scratch, ignore_errors=True)


def worker_main(stack_file: str | None) -> int:
    """--worker: read {"dir": ...} lines, answer each with the output.
    SIGUSR1 dumps the Python stack into `stack_file` (where a hang is)."""
    from kmodgui.session import Session
    if stack_file:
        faulthandler.register(signal.SIGUSR1, file=open(stack_file, "w"), all_threads=True)
    for line in sys.stdin:
        folder = json.loads(line)["dir"]
        try:
            session = Session("6.1", cwd=Path(folder))
            r = session.run(COMMANDS)
            answer = {"stdout": r.stdout, "stderr": r.stderr, "status": r.status,
                      "traceback": getattr(session, "last_traceback", None) or ""}
        except BaseException as e:        # noqa: BLE001 - reported as internal
            answer = {"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


# -- campaigns --------------------------------------------------------------

def _save(out: Path | None, n: int, source: bytes, v: Verdict) -> None:
    if out is None or v.klass not in BAD:
        return
    d = out / v.klass
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{n:05d}.c").write_bytes(source)
    (d / f"{n:05d}.txt").write_text(v.output + ("\n" + v.traceback if v.traceback else ""))


def campaign(sources: Iterator[bytes], jobs: int, max_seconds: float | None,
             out: Path | None, first: int = 0) -> tuple[Counter[str], int, float]:
    from concurrent.futures import ThreadPoolExecutor
    counts: Counter[str] = Counter()
    start = time.monotonic()
    runners = [Runner() for _ in range(jobs)]
    free = list(runners)
    done = 0

    def one(n: int, src: bytes) -> tuple[int, bytes, Verdict]:
        r = free.pop()
        try:
            return n, src, r.run(src)
        finally:
            free.append(r)
    try:
        with ThreadPoolExecutor(jobs) as pool:
            pending = set()
            for n, src in enumerate(sources, first):
                if max_seconds is not None and time.monotonic() - start > max_seconds:
                    break
                pending.add(pool.submit(one, n, src))
                if len(pending) >= jobs:
                    done += _collect(pending, counts, out, wait_one=True)
            while pending:
                done += _collect(pending, counts, out, wait_one=True)
    finally:
        for r in runners:
            r.close()
    return counts, done, time.monotonic() - start


def _collect(pending: set, counts: Counter[str], out: Path | None, wait_one: bool) -> int:
    from concurrent.futures import FIRST_COMPLETED, wait
    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
    for f in finished:
        pending.discard(f)
        n, src, v = f.result()
        counts[v.klass] += 1
        if v.in_preprocessor:
            counts[f"{v.klass} in cpp"] += 1
        if v.slow:
            counts["slow"] += 1
        _save(out, n, src, v)
        if v.klass in BAD:
            print(f"input {n}: {v.klass}: {v.output.strip()[:200]}", file=sys.stderr)
        total = sum(counts[k] for k in CLASSES)
        if total % 250 == 0:
            # with the number of the input just finished: with --jobs 1 a
            # campaign stopped early goes on with --start at the next one
            print(f"{total} inputs (last {n}): " + "  ".join(f"{k} {counts[k]}" for k in CLASSES),
                  file=sys.stderr, flush=True)
    return len(finished)


def _replay(path: Path) -> Iterator[bytes]:
    files = sorted(path.rglob("*.c")) if path.is_dir() else [path]
    for f in files:
        yield f.read_bytes()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=1000, help="inputs to generate")
    ap.add_argument("--seed", type=int, default=0, help="random seed of the mutations")
    ap.add_argument("--start", type=int, default=0,
                    help="run inputs START..COUNT-1 of the seed (a campaign in parts)")
    ap.add_argument("--jobs", type=int, default=1, help="worker subprocesses in parallel")
    ap.add_argument("--max-seconds", type=float, default=None, help="stop starting inputs after")
    ap.add_argument("--out", type=Path, default=None, help="save bad inputs under this folder")
    ap.add_argument("--replay", type=Path, default=None, help="run these .c files (file or folder)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--stack-file", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        return worker_main(a.stack_file)
    # a campaign stopped with kill ends its workers too (finally clauses run)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sources = _replay(a.replay) if a.replay else inputs(a.count, a.seed, a.start)
    first = 0 if a.replay else a.start
    counts, done, seconds = campaign(sources, max(1, a.jobs), a.max_seconds, a.out, first)
    summary = "  ".join(f"{k} {counts[k]}" for k in CLASSES)
    summary += (f"  (of which in the preprocessor: internal {counts['internal in cpp']}, "
                f"hang {counts['hang in cpp']};"
                f" over {LIMIT_SECONDS:.0f} s of wall time but not of CPU: {counts['slow']})")
    print(f"{done} inputs in {seconds:.0f} s ({done / max(seconds, 1e-9):.1f}/s): {summary}")
    return 1 if any(counts[k] for k in BAD) else 0


if __name__ == "__main__":
    sys.exit(main())
