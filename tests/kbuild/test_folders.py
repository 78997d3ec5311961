"""Folders as kbuild builds them, compared with the real Debian 6.1 kbuild's
output recorded under tests/kbuild/real/folders/: a Makefile doing
`$(MAKE) -C $(KDIR) M=$(PWD) modules` beside a Kbuild naming the module
(the M= pass reads Kbuild), and an exporter/user pair built in one pass
(every object, one modpost resolving the export, then each .ko)."""
from __future__ import annotations

import pytest
from corpus import HERE, recorded, simulated

FOLDERS = sorted(p.name for p in (HERE / "folders").iterdir() if p.is_dir())


@pytest.mark.parametrize("name", FOLDERS)
def test_folder_builds_as_the_real_kbuild(tmp_path, name: str) -> None:
    assert simulated(HERE / "folders" / name, tmp_path) == recorded("folders", name)


def test_make_clean_then_only_kbuild_is_not_a_makefile(tmp_path) -> None:
    """GNU make looks for GNUmakefile, makefile, Makefile: a folder with only
    a Kbuild file has no makefile (make's own message, exit status 2)."""
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "Kbuild").write_text("obj-m += hello.o\n")
    out = simulated(tmp_path / "k", tmp_path / "w")
    assert (out.stderr, out.status) == (
        "make: *** No targets specified and no makefile found.  Stop.\n", 2)
