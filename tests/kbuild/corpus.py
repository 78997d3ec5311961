"""Run a folder of modules through kmodsim's `make` and compare with what the
real Debian 6.1 kbuild (gcc-12, linux-headers-6.1.0-56-amd64) printed for the
same folder, recorded under tests/kbuild/real/ (`LC_ALL=C make` in the
folder; the folder's absolute path recorded as <dir>)."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from kmodgui.session import Session

HERE = Path(__file__).parent
REAL = HERE / "real"


@dataclass(frozen=True)
class Outcome:
    stdout: str
    stderr: str
    status: int


def recorded(kind: str, name: str, real: Path = REAL) -> Outcome:
    base = real / kind / name
    return Outcome(Path(f"{base}.stdout").read_text(), Path(f"{base}.stderr").read_text(),
                   int(Path(f"{base}.status").read_text()))


def simulated(case: Path, scratch: Path, command: str = "make") -> Outcome:
    """kmodsim's make in a copy of the case folder, its path shown as <dir>."""
    work = scratch / case.name
    shutil.copytree(case, work)
    s = Session("6.1", cwd=work)
    r = s.run(command)
    where = str(work)
    return Outcome(r.stdout.replace(where, "<dir>"), r.stderr.replace(where, "<dir>"), r.status)


def internal_error(o: Outcome) -> bool:
    text = o.stdout + o.stderr
    return "internal error" in text or "Traceback" in text or "not supported" in text
