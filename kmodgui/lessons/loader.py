"""Reading lesson files (TOML) into Lessons, with messages a teacher can act on.

Every error names the file, the step and, where it helps, the expectation:
    resources/lessons/02-init-failure.toml: step 1 (Return -1): expectation 2: unknown key 'lvl'
Unknown keys are errors, so a typo never silently turns a check off.
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from kmodgui import LESSONS_DIR, PROFILES_DIR, SAMPLES_DIR
from kmodgui.kernel.kconfig import Kconfig
from kmodgui.lessons.expect import parse_expectation
from kmodgui.lessons.model import Edit, Lesson, LessonError, Step
from kmodgui.userspace import TOOLS, shell

_LESSON_KEYS = {"title", "topic", "module", "explain", "profile", "config", "steps"}
_STEP_KEYS = {"title", "explain", "edit", "config", "commands", "expect"}
_EDIT_KEYS = {"find", "replace", "file"}


def load_lesson(path: Path | str) -> Lesson:
    """Read and validate one lesson file; raises LessonError."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise LessonError(f"{path}: cannot read: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise LessonError(f"{path}: not valid TOML: {e}") from None
    return parse_lesson(data, path)


def load_lessons(folder: Path = LESSONS_DIR) -> list[Lesson]:
    """Every *.toml of the folder, in file name order (01-..., 02-...)."""
    return [load_lesson(p) for p in sorted(folder.glob("*.toml"))]


def parse_lesson(data: dict[str, Any], path: Path) -> Lesson:
    where = str(path)
    _no_unknown(data, _LESSON_KEYS, where)
    profile = _text(data, "profile", where, default="6.1")
    if not (PROFILES_DIR / profile).is_dir():
        raise LessonError(f"{where}: unknown profile '{profile}'")
    module = _text(data, "module", where)
    if "/" in module or not (SAMPLES_DIR / f"{module}.c").is_file():
        raise LessonError(f"{where}: module '{module}' is not a sample "
                          f"(no modules/{module}.c)")
    kconfig = Kconfig.load(profile)
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise LessonError(f"{where}: a lesson needs [[steps]] (at least one)")
    return Lesson(
        path=path, title=_text(data, "title", where), topic=_text(data, "topic", where),
        module=module, explain=_text(data, "explain", where), profile=profile,
        config=_config(data.get("config"), kconfig, where),
        steps=tuple(_step(s, i + 1, f"{module}.c", kconfig, where)
                    for i, s in enumerate(steps)))


def _step(data: Any, number: int, source: str, kconfig: Kconfig, file: str) -> Step:
    where = f"{file}: step {number}"
    if not isinstance(data, dict):
        raise LessonError(f"{where}: a step is a [[steps]] table")
    title = _text(data, "title", where)
    where = f"{file}: step {number} ({title})"
    _no_unknown(data, _STEP_KEYS, where)
    expect = data.get("expect")
    if not isinstance(expect, list) or not expect:
        raise LessonError(f"{where}: 'expect' must list at least one expectation, "
                          "e.g. expect = [ { status = 0 } ]")
    return Step(
        number=number, title=title, explain=_text(data, "explain", where),
        commands=_commands(data.get("commands", []), where),
        expect=tuple(parse_expectation(e, f"{where}: expectation {i + 1}")
                     for i, e in enumerate(expect)),
        edits=_edits(data.get("edit"), source, where),
        config=_config(data.get("config"), kconfig, where))


def _commands(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise LessonError(f"{where}: 'commands' must be a list of texts")
    for line in value:
        _command(line, where)
    return tuple(value)


def _command(line: str, where: str) -> None:
    """One shell command per entry, of a tool kmodsim knows."""
    try:
        cmds = [c for c in shell.parse(line) if c.words]
    except shell.ShellSyntaxError as e:
        raise LessonError(f"{where}: command {line!r}: {e}") from None
    if len(cmds) != 1:
        raise LessonError(f"{where}: command {line!r}: write one command per entry "
                          "(split ';', '&&' and '||' lists into several entries)")
    words = cmds[0].words[1:] if cmds[0].words[0] == "sudo" else cmds[0].words
    if not words or words[0].rsplit("/", 1)[-1] not in TOOLS:
        raise LessonError(f"{where}: command {line!r}: unknown command "
                          f"'{words[0] if words else 'sudo'}'")


def _edits(value: Any, source: str, where: str) -> tuple[Edit, ...]:
    if value is None:
        return ()
    tables = value if isinstance(value, list) else [value]
    edits = []
    for i, t in enumerate(tables):
        at = f"{where}: edit" + (f" {i + 1}" if isinstance(value, list) else "")
        if not isinstance(t, dict):
            raise LessonError(f"{at}: an edit is a table {{ find = ..., replace = ... }}")
        _no_unknown(t, _EDIT_KEYS, at)
        file = _text(t, "file", at, default=source)
        if "/" in file or "\\" in file or file.startswith("."):
            raise LessonError(f"{at}: 'file' must be a file of the module's folder, "
                              f"not {file!r}")
        if not isinstance(t.get("replace"), str):
            raise LessonError(f"{at}: 'replace' must be a text (\"\" deletes)")
        edits.append(Edit(_text(t, "find", at), t["replace"], file))
    return tuple(edits)


def _config(value: Any, kconfig: Kconfig, where: str) -> tuple[tuple[str, bool], ...]:
    """{ MODULE_UNLOAD = false } or { CONFIG_MODULE_UNLOAD = "n" }."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise LessonError(f"{where}: 'config' is a table like {{ MODULE_UNLOAD = false }}")
    out = []
    for name, v in value.items():
        try:
            sym = kconfig.symbol(name).name
        except ValueError as e:
            raise LessonError(f"{where}: config: {e}") from None
        if isinstance(v, str) and v.lower() in ("y", "n"):
            v = v.lower() == "y"
        if not isinstance(v, bool):
            raise LessonError(f"{where}: config: {name} must be true/false or \"y\"/\"n\"")
        out.append((sym, v))
    return tuple(out)


def _text(data: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if value is None:
        raise LessonError(f"{where}: missing '{key}'")
    if not isinstance(value, str) or not value.strip():
        raise LessonError(f"{where}: '{key}' must be a non-empty text")
    return value.strip() if key not in ("find",) else value


def _no_unknown(data: dict[str, Any], known: set[str], where: str) -> None:
    for key in data:
        if key not in known:
            raise LessonError(f"{where}: unknown key '{key}' "
                              f"(known: {', '.join(sorted(known))})")
