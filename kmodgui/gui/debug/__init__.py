"""The debugger in the window (issue 4) and what lectures need (issue 6).

    controller.py   DebugController: drives kmodgui.debugger for the window's
                    session, in slices from a QTimer; starting, motions,
                    breakpoints, the Shell's debug commands
    views.py        ... how a stop is shown (the one place that turns
                    debugger stops into view updates)
    faults.py       ... faults by right-click, Paths replays (audit)
    playback.py     ... auto-play and animation settings
    engine.py       GuiDebugger: the engine's Debugger plus a statement log
                    (no Qt), sliced motions and a pause predicate
    captions.py     step captions in words, from trace events (no Qt)
    actions.py      Debug menu, debug toolbar (step counter, scrubber, pace)
    callstack.py    the Call stack dock (frames, locals, print EXPR)
    paths.py        the Paths dock: every fault point's unwind path (audit)
    caption_bar.py  the caption strip under the source view
    fader.py        released resources fade out of the Resources pane
    timeline_cursor.py  the paused moment on the Timeline, draggable
    settings.py     animation and pace preferences (QSettings)

Lecture mode (issue 6) is kmodgui/gui/lecture.py.
"""
from kmodgui.gui.debug.controller import DebugController

__all__ = ["DebugController"]
