"""kmodgui: a visual simulator of Linux loadable kernel modules.

Packages (data flows one way, top to bottom):
  kbuild     module C source -> .ko object (preprocess, parse, compile, modpost)
  kernel     the simulated kernel (cpu, memory, loader, printk, kapi, trace)
  userspace  the tools a user types (insmod, rmmod, lsmod, modinfo, dmesg, cat)
  cli        kmodsim, the headless shell
  gui        the Qt application (the only package importing PySide6/pyqtgraph)
"""
from pathlib import Path

__version__ = "0.1.0"

#: The project root (editable install): resources/ and modules/ live here.
ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
INCLUDE_DIR = RESOURCES / "include"
PROFILES_DIR = RESOURCES / "profiles"
LESSONS_DIR = RESOURCES / "lessons"
SAMPLES_DIR = ROOT / "modules"
