"""Export a debug session as a numbered PNG sequence (and an animated GIF
when Pillow is installed), one frame per statement, each with its step
caption burnt in below the picture.

The recorder drives kmodgui.debugger.Debugger on the window's own session,
so the frames show exactly what the window shows while stepping: the
current line in the source, the dmesg, the timeline.  If a debug session
is already paused (kmodsim's `debug insmod ...` in the Shell), recording
continues it from where it stands; otherwise it starts `debug insmod
NAME.ko` for the open module, with whatever faults are waiting to fire
(`inject ...`), and a note on every frame says a fault is injected.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtWidgets import QApplication

from kmodgui.gui.export import notes
from kmodgui.gui.export.images import grab, save_image, with_banners
from kmodgui.userspace.errnos import errno_name

if TYPE_CHECKING:
    from kmodgui.gui.mainwindow import MainWindow

MAX_FRAMES = 400
GIF_MAX_WIDTH = 1280
GIF_FRAME_MS = 900


@dataclass
class Recording:
    frames: list[Path] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    gif: Path | None = None
    finished: bool = False          # the debugged command ran to its end
    note: str = ""                  # the injected-fault note, if any


def gif_available() -> bool:
    try:
        import PIL.Image  # noqa: F401
    except ImportError:
        return False
    return True


def armed_faults(session: Any) -> str:
    """Fault rules waiting for (or armed in) the debugged command, in words."""
    faults = getattr(session.kernel, "faults", None)
    rules = list(getattr(faults, "pending", [])) + list(getattr(faults, "active", []))
    out = []
    for r in rules:
        what = f"{r.func}()" if r.func else f"injectable call #{r.nth}"
        if r.func and r.nth > 1:
            what += f" (call #{r.nth})"
        out.append(f"{what} -{errno_name(r.errno)}")
    return ("contains an injected fault (forced by kmodgui, not by the module): "
            + "; ".join(out)) if out else ""


def _debugger(win: "MainWindow", line: str | None) -> tuple[Any, Any]:
    """The paused debug session, or a new one running `line`.

    The window's debug controller (gui/debug) owns the session's debugger
    when there is one (`win.debug.dbg`): using it keeps the Debug toolbar,
    the current-line marker and the caption strip in step with the frames."""
    from kmodgui.debugger import Debugger
    session = win.bridge.session
    controller = getattr(win, "debug", None)
    d = getattr(controller, "dbg", None) if controller is not None else None
    if d is None:
        current = getattr(session, "debugger", None)
        if current is not None and current.active and current.session is session:
            return current, current.stop
        d = Debugger(session)
        session.debugger = d        # kmodsim's step/next/continue in the Shell reach it too
    if d.active:
        return d, d.stop
    return d, d.start(line or f"insmod {win.module()}.ko")


def _views_follow(win: "MainWindow") -> None:
    """Ask the debug controller to bring its views to the debugger's stop
    (what it does after each of its own motions)."""
    controller = getattr(win, "debug", None)
    settle = getattr(controller, "_settle", None)
    if callable(settle):
        settle()


def _code(win: "MainWindow", line: int) -> str:
    block = win.source.document().findBlockByNumber(line - 1)
    return block.text() if block.isValid() else ""


def _show(win: "MainWindow", stop: Any) -> None:
    """Let every pane show this stop before the picture is taken."""
    from kmodgui.gui.screenshot import finish_panes
    if callable(getattr(getattr(win, "debug", None), "_settle", None)):
        _views_follow(win)              # the controller marks the current line
    elif stop is not None and stop.site is not None and win.source_path is not None \
            and Path(stop.site.file).name == win.source_path.name:
        win.source.select_line(stop.site.line)
    finish_panes(win)
    QApplication.instance().processEvents()


def record_debug_session(win: "MainWindow", folder: Path, *, line: str | None = None,
                         region: str = "window", prefix: str = "frame",
                         max_frames: int = MAX_FRAMES, gif: bool = False,
                         progress: Callable[[int, str], None] | None = None) -> Recording:
    """Step the debugged command statement by statement, one frame per stop.

    region: "window" (the whole window) or "source" (the central source
    view).  Returns the frames written, FOLDER/PREFIX-001.png onwards."""
    if win.bridge.busy:
        raise RuntimeError("a command is running: wait for it, or interrupt it")
    win.bridge.start_engine()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    session = win.bridge.session
    note = armed_faults(session)
    d, stop = _debugger(win, line)
    rec = Recording()
    mark = len(session.trace.events)
    captioner = notes.make_captioner(session.trace.events[:mark])
    widget = win.centralWidget() if region == "source" else win
    while True:
        events = session.trace.events[mark:]
        mark = len(session.trace.events)
        note = note or notes.fault_note(session.trace.events)
        if stop.finished:
            caption = notes.finished_caption(stop.result)
        else:
            line_no = stop.site.line if stop.site else 0
            caption = notes.step_caption(stop.index, events, line_no, _code(win, line_no),
                                         captioner)
        if len(rec.frames) + 1 >= max_frames and not stop.finished:
            caption += f"  (recording stopped after {max_frames} frames; the debugger is paused)"
        _show(win, stop)
        image = with_banners(grab(widget), win.theme, caption, note)
        path = save_image(image, folder / f"{prefix}-{len(rec.frames) + 1:03d}.png")
        rec.frames.append(path)
        rec.captions.append(caption)
        if progress:
            progress(len(rec.frames), caption)
        if stop.finished or len(rec.frames) >= max_frames:
            break
        stop = d.step()
    rec.finished = bool(stop.finished)
    rec.note = note
    win.bridge.flush()
    if gif and gif_available():
        rec.gif = write_gif(rec.frames, folder / f"{prefix}.gif")
    return rec


def write_gif(frames: list[Path], path: Path, frame_ms: int = GIF_FRAME_MS) -> Path:
    """An animated GIF of the frames (Pillow), scaled to GIF_MAX_WIDTH."""
    from PIL import Image
    images = []
    for p in frames:
        with Image.open(p) as im:
            im = im.convert("RGB")
            if im.width > GIF_MAX_WIDTH:
                im = im.resize((GIF_MAX_WIDTH, round(im.height * GIF_MAX_WIDTH / im.width)),
                               Image.LANCZOS)
            images.append(im.convert("P", palette=Image.ADAPTIVE, colors=255))
    if not images:
        raise ValueError("no frames")
    durations = [frame_ms] * len(images)
    durations[-1] = frame_ms * 3            # linger on the outcome
    images[0].save(path, save_all=True, append_images=images[1:], duration=durations,
                   loop=0, optimize=False)
    return path
