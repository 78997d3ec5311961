"""The central source view: C text, line numbers, highlighting, build
diagnostics, goto arrows, __init/__exit marks and discarded code."""
