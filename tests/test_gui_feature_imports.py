"""GUI features plug into the workbench: a feature never imports the main
window or another feature.  Reads the sources (no Qt needed).

`NOT_YET` lists the imports that still cross features (the move onto the
workbench is under way); a new crossing fails, and so does a listed one
that is gone (then strike it from the list)."""
from __future__ import annotations

import ast
from pathlib import Path

import kmodgui

GUI = Path(kmodgui.__file__).parent / "gui"
FEATURES = {"panels", "source", "editing", "debug", "audit", "lessons", "export", "lecture",
            "realkernel"}
#: (feature, what it imports) still to move behind the workbench
NOT_YET = {
    ("audit", "mainwindow"), ("debug", "audit"), ("debug", "lecture"), ("debug", "mainwindow"),
    ("debug", "source"), ("editing", "mainwindow"), ("editing", "source"),
    ("export", "debug"), ("export", "mainwindow"), ("export", "panels"),
    ("lecture", "debug"), ("lessons", "mainwindow"),
}


def _part(module: str) -> str | None:
    """The feature (or "mainwindow") a kmodgui.gui module belongs to."""
    parts = module.split(".")
    if parts[:2] == ["kmodgui", "gui"] and len(parts) > 2:
        if parts[2] in FEATURES or parts[2] == "mainwindow":
            return parts[2]
    return None


def _imported(tree: ast.AST) -> set[str]:
    """Every module an import statement names, TYPE_CHECKING ones included."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def crossings() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(GUI.rglob("*.py")):
        rel = path.relative_to(GUI.parent.parent).with_suffix("")
        mine = _part(".".join(rel.parts))
        if mine is None or mine == "mainwindow":
            continue
        for name in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            other = _part(name)
            if other is not None and other != mine:
                found.setdefault((mine, other), []).append(f"{path.name}: {name}")
    return found


def test_no_new_import_between_features_or_of_the_window():
    new = {pair: where for pair, where in crossings().items() if pair not in NOT_YET}
    assert not new, f"features must go through the workbench: {new}"


def test_the_list_of_remaining_crossings_is_current():
    gone = NOT_YET - set(crossings())
    assert not gone, f"no longer imported, strike from NOT_YET: {sorted(gone)}"


def test_the_workbench_imports_no_feature():
    for path in (GUI / "workbench").rglob("*.py"):
        named = {_part(n) for n in _imported(ast.parse(path.read_text(encoding="utf-8")))}
        assert named <= {None}, (path.name, named)


def test_the_walk_sees_a_crossing(tmp_path):
    """The detector itself: a feature importing the window is caught."""
    tree = ast.parse("from kmodgui.gui.mainwindow import MainWindow\n")
    assert {_part(n) for n in _imported(tree)} == {"mainwindow"}
