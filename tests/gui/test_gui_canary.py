"""PySide6 6.12.0 drops a reference to None on every void method call; on
CPython 3.11 None is mortal, so long sessions die with `deallocating None`.
This canary fails on such a build (pyproject pins PySide6-Essentials<6.12)."""
import sys

from PySide6.QtCore import QObject


def test_void_calls_keep_none_alive():
    before = sys.getrefcount(None)
    for _ in range(1000):
        QObject().setObjectName("x")
    after = sys.getrefcount(None)
    assert before - after < 50, (
        f"None lost {before - after} references in 1000 void calls: "
        "this PySide6 build has the 6.12.0 refcount bug")
