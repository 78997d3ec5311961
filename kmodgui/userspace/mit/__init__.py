"""module-init-tools 3.9 (May 2009), the module tools of the 2.6.30 profile.

Each tool is its own small C program: insmod reads the file and calls
init_module(2); rmmod and lsmod parse /proc/modules (there is no
/sys/module/<m>/refcnt to read yet); modinfo parses the ELF .modinfo
section.  Errors have no program-name prefix except insmod's and modinfo's
own ("ERROR: Removing 'hi': Device or resource busy").
"""
from __future__ import annotations

import os


class Fatal(Exception):
    """fatal(): print and exit(1) at once, skipping the remaining modules."""


def filename2modname(path: str) -> str:
    """rmmod.c filename2modname(): basename up to the first '.', '-' -> '_'."""
    return os.path.basename(path).split(".", 1)[0].replace("-", "_")


def next_field(line: str) -> str:
    """rmmod.c next_field(): skip a word, then the spaces after it."""
    i = 0
    while i < len(line) and line[i] != " ":
        i += 1
    while i < len(line) and line[i] == " ":
        i += 1
    return line[i:]
