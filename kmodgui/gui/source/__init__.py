"""The central source view: a C editor (undo, find, kernel-style indent)
with line numbers, highlighting, build diagnostics, goto arrows,
__init/__exit marks, discarded code, and the debugger's marks (paused
line, breakpoints, the goto taken, the unwind trace).  Files behind it:
kmodgui.gui.editing."""
