"""The app on a real X server: Xvfb, Qt's xcb platform plugin (the libraries
tools/bootstrap.sh installs), a window shown, a screenshot, a clean exit."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
XVFB = shutil.which("Xvfb")
pytestmark = pytest.mark.skipif(XVFB is None, reason="Xvfb is not installed")


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    read, write = os.pipe()
    server = subprocess.Popen([XVFB or "Xvfb", "-displayfd", str(write), "-screen", "0",
                               "1600x1000x24", "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    assert number.isdigit(), "Xvfb did not report its display"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _app(display: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT),
               XDG_CONFIG_HOME=str(cwd / "config"), XDG_STATE_HOME=str(cwd / "state"))
    return subprocess.run([sys.executable, "-c", "import sys; from kmodgui.gui.app import "
                           "main; sys.exit(main())", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_window_opens_on_x_and_exits_cleanly(display: str, tmp_path: Path) -> None:
    run = _app(display, "--exit-after-first-frame", cwd=tmp_path)
    assert "Could not load the Qt platform plugin" not in run.stderr
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("first-frame ")


def test_a_screenshot_through_the_xcb_platform(display: str, tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    run = _app(display, "--screenshot", str(out), "--size", "1200x800", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image
    with Image.open(out) as img:
        assert img.size == (1200, 800)
        colors = img.convert("RGB").getcolors(maxcolors=1 << 24) or []
        assert len(colors) > 50                               # drawn, not blank
