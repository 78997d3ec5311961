"""The bundled samples as a catalogue: which module each is, what it
teaches (its header's one-line summary), the topic it belongs to (the
comment above its obj-m lines in the samples' Makefile), the lessons that
use it, and what a copy of it needs beside it.  No Qt here.

What a module needs to be built and loaded elsewhere, as kbuild sees it:
its own sources (`NAME.c`, or the parts `NAME-objs := a.o b.o` lists), the
headers they include with quotes from their folder, the Makefile lines
that name them, and the modules whose exported symbols it calls (modpost
resolves those from the exporter's Module.symvers; insmod needs the
exporter loaded first).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kmodgui import PACKAGE_DIR, SAMPLES_DIR

LESSONS_DIR = PACKAGE_DIR / "resources" / "lessons"
BROKEN = "broken"
BROKEN_TITLE = "Bad input: what the build and the kernel refuse"

_OBJ = re.compile(r"^\s*obj-m\s*\+?=\s*(.+)$")
_PARTS = re.compile(r"^\s*([A-Za-z0-9_-]+)-(?:objs|y)\s*[:+]?=\s*(.+)$")
_EXPORT = re.compile(r"\bEXPORT_SYMBOL(?:_GPL)?\s*\(\s*([A-Za-z_]\w*)\s*\)")
_QUOTED_INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"/]+)"', re.M)


@dataclass
class Sample:
    module: str                          # the .ko's name
    sources: list[str]                   # its .c files, the one to open first
    topic: str
    summary: str = ""
    lessons: list[int] = field(default_factory=list)    # numbers of the lessons using it
    folder: Path = SAMPLES_DIR

    @property
    def path(self) -> Path:
        return self.folder / self.sources[0]

    @property
    def label(self) -> str:
        """'hi.c', or 'startstop: start.c + stop.c' for a module of parts."""
        if len(self.sources) == 1 and self.sources[0] == f"{self.module}.c":
            return self.sources[0]
        return f"{self.module}: {' + '.join(self.sources)}"


@dataclass
class Topic:
    title: str
    samples: list[Sample]

    def lessons(self) -> list[int]:
        return sorted({n for s in self.samples for n in s.lessons})


def summary_of(source: Path) -> str:
    """The header's 'NAME.c - what it shows' line, without the file name."""
    try:
        head = source.read_text(errors="replace")[:2000]
    except OSError:
        return ""
    m = re.search(rf"{re.escape(source.name)}\s+-\s+(.+)", head)
    if not m:
        return ""
    text = m.group(1).strip()
    return re.sub(r"\s*\*/\s*$", "", text).strip().rstrip(".")


def _makefile_topics(folder: Path) -> list[tuple[str, list[str], dict[str, list[str]]]]:
    """(topic, module names, parts) per comment-headed block of obj-m lines."""
    try:
        lines = (folder / "Makefile").read_text(errors="replace").splitlines()
    except OSError:
        return []
    topics: list[tuple[str, list[str], dict[str, list[str]]]] = []
    comment = ""
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            comment = stripped.lstrip("#").strip()
            continue
        m = _OBJ.match(line)
        if m:
            if not topics or topics[-1][0] != comment:
                topics.append((comment, [], {}))
            topics[-1][1].extend(o[:-2] for o in m.group(1).split() if o.endswith(".o"))
            continue
        parts = _PARTS.match(line)
        if parts and topics:
            topics[-1][2][parts.group(1)] = [o[:-2] + ".c" for o in parts.group(2).split()
                                             if o.endswith(".o")]
        if not stripped:
            comment = ""
    return topics


def _lessons_by_module() -> dict[str, list[int]]:
    """module -> the numbers of the lessons (NN-topic.toml) built on it."""
    out: dict[str, list[int]] = {}
    for f in sorted(LESSONS_DIR.glob("[0-9]*.toml")):
        try:
            data = tomllib.loads(f.read_text())
        except (OSError, tomllib.TOMLDecodeError):
            continue
        name, number = data.get("module"), f.name.split("-", 1)[0]
        if isinstance(name, str) and number.isdigit():
            out.setdefault(name, []).append(int(number))
    return out


def lessons_text(numbers: list[int]) -> str:
    """'lesson 4', 'lessons 1-3, 6-8'."""
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs]
    return ("lessons " if len(numbers) > 1 else "lesson ") + ", ".join(parts)


def catalogue(folder: Path = SAMPLES_DIR) -> list[Topic]:
    """The samples by topic, in the Makefile's order; then the bad input."""
    lessons = _lessons_by_module()
    topics = []
    for title, modules, parts in _makefile_topics(folder):
        samples = []
        for module in modules:
            sources = parts.get(module, [f"{module}.c"])
            if not (folder / sources[0]).is_file():
                continue
            samples.append(Sample(module, sources, title, summary_of(folder / sources[0]),
                                  lessons.get(module, []), folder))
        if samples:
            topics.append(Topic(title[:1].upper() + title[1:], samples))
    broken = sorted((folder / BROKEN).glob("*.c"))
    if broken:
        topics.append(Topic(BROKEN_TITLE, [Sample(p.stem, [p.name], BROKEN_TITLE, summary_of(p),
                                                  [], folder / BROKEN) for p in broken]))
    return topics


def find(source: Path, folder: Path = SAMPLES_DIR) -> Sample | None:
    """The sample a source file belongs to (a part of a module included)."""
    source = Path(source)
    for topic in catalogue(folder):
        for sample in topic.samples:
            if sample.folder.resolve() == source.parent.resolve() and source.name in sample.sources:
                return sample
    return None


# -- what a copy needs ---------------------------------------------------------------
@dataclass
class CopyPlan:
    files: list[str]                     # beside the copy: sources and headers, by name
    modules: list[Sample]                # whose Makefile lines the copy's Makefile needs


def copy_plan(source: Path, folder: Path = SAMPLES_DIR) -> CopyPlan:
    """What a copy of `source` needs beside it (itself excluded)."""
    sample = find(source, folder)
    if sample is None:
        return CopyPlan([], [])
    modules = [sample] + _exporters_used(sample, folder)
    files: list[str] = []
    for m in modules:
        for name in m.sources + _quoted_headers(m):
            if name != Path(source).name and name not in files:
                files.append(name)
    return CopyPlan(files, modules)


def _text(sample: Sample) -> str:
    out = []
    for name in sample.sources:
        try:
            out.append((sample.folder / name).read_text(errors="replace"))
        except OSError:
            continue
    return "\n".join(out)


def _quoted_headers(sample: Sample) -> list[str]:
    return [h for h in _QUOTED_INCLUDE.findall(_text(sample)) if (sample.folder / h).is_file()]


def _exporters_used(sample: Sample, folder: Path) -> list[Sample]:
    """Samples of the same folder that export a symbol this one calls."""
    text = _text(sample)
    out = []
    for topic in catalogue(folder):
        for other in topic.samples:
            if other.module == sample.module or other.folder != sample.folder:
                continue
            exported = _EXPORT.findall(_text(other))
            if any(re.search(rf"\b{re.escape(sym)}\s*\(", text) for sym in exported):
                out.append(other)
    return out


def makefile_lines(modules: list[Sample]) -> list[str]:
    """The obj-m (and parts) lines that build `modules`."""
    lines = []
    for m in modules:
        lines.append(f"obj-m += {m.module}.o")
        if m.label != m.sources[0]:
            lines.append(f"{m.module}-objs := {' '.join(Path(s).stem + '.o' for s in m.sources)}")
    return lines


MAKEFILE_HEAD = """\
# SPDX-License-Identifier: GPL-2.0
#
# kbuild makefile: each obj-m line is one module (<name>.o -> <name>.ko).
# On a real machine with the kernel headers installed:
#	make -C /lib/modules/$(uname -r)/build M=$(pwd) modules
"""
MAKEFILE_TAIL = """
KDIR ?= /lib/modules/$(shell uname -r)/build

all:
\t$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
\t$(MAKE) -C $(KDIR) M=$(CURDIR) clean
"""


def merged_makefile(existing: str | None, modules: list[Sample]) -> str | None:
    """The Makefile for a folder that gets copies of `modules`: a new one,
    or `existing` with the lines it lacks added (nothing of it changed);
    None when it already has them all."""
    wanted = makefile_lines(modules)
    if existing is None:
        return MAKEFILE_HEAD + "\n" + "\n".join(wanted) + "\n" + MAKEFILE_TAIL
    have = {" ".join(line.split()) for line in existing.splitlines()}
    missing = [line for line in wanted if " ".join(line.split()) not in have
               and not _names_module(existing, line)]
    if not missing:
        return None
    return existing.rstrip("\n") + "\n\n# copied with the samples\n" + "\n".join(missing) + "\n"


def _names_module(makefile: str, line: str) -> bool:
    """Does the Makefile already build the module this line adds?"""
    m = _OBJ.match(line)
    if not m:
        return False
    obj = m.group(1).strip()
    return any(obj in (_OBJ.match(x).group(1).split() if _OBJ.match(x) else [])
               for x in makefile.splitlines())
