"""kmodgui: a visual simulator of Linux loadable kernel modules.

Packages (data flows one way, top to bottom):
  kbuild     module C source -> .ko object (preprocess, parse, compile, modpost)
  kernel     the simulated kernel (cpu, memory, loader, printk, kapi, trace)
  userspace  the tools a user types (insmod, rmmod, lsmod, modinfo, dmesg, cat)
  cli        kmodsim, the headless shell
  gui        the Qt application (the only package importing PySide6/pyqtgraph)
"""
from importlib.resources import files
from pathlib import Path

__version__ = "0.1.0"

#: The package's own data, found the same way in a checkout, a wheel, an
#: sdist install or pipx: headers, profiles, lessons, icons, sample modules.
PACKAGE_DIR = Path(str(files(__name__)))
RESOURCES = PACKAGE_DIR / "resources"
INCLUDE_DIR = RESOURCES / "include"
PROFILES_DIR = RESOURCES / "profiles"
LESSONS_DIR = RESOURCES / "lessons"
SAMPLES_DIR = PACKAGE_DIR / "modules"
