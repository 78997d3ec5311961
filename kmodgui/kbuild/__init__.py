"""kbuild: module C source -> .ko object (see build.py)."""
from kmodgui.kbuild.build import BuildResult, build, module_sources

__all__ = ["BuildResult", "build", "module_sources"]
