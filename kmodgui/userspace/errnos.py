"""errno numbers (include/uapi/asm-generic/errno*.h) and glibc's strerror().

Userspace tools print glibc's text (sysdeps/gnu/errlist.h), not the kernel
header comment: EIO is "Input/output error", EAGAIN "Resource temporarily
unavailable".  The numbers are the x86_64 values.
"""
from __future__ import annotations

#: name -> (number, glibc strerror text)
ERRNOS: dict[str, tuple[int, str]] = {
    "EPERM": (1, "Operation not permitted"),
    "ENOENT": (2, "No such file or directory"),
    "ESRCH": (3, "No such process"),
    "EINTR": (4, "Interrupted system call"),
    "EIO": (5, "Input/output error"),
    "ENXIO": (6, "No such device or address"),
    "E2BIG": (7, "Argument list too long"),
    "ENOEXEC": (8, "Exec format error"),
    "EBADF": (9, "Bad file descriptor"),
    "ECHILD": (10, "No child processes"),
    "EAGAIN": (11, "Resource temporarily unavailable"),
    "ENOMEM": (12, "Cannot allocate memory"),
    "EACCES": (13, "Permission denied"),
    "EFAULT": (14, "Bad address"),
    "ENOTBLK": (15, "Block device required"),
    "EBUSY": (16, "Device or resource busy"),
    "EEXIST": (17, "File exists"),
    "EXDEV": (18, "Invalid cross-device link"),
    "ENODEV": (19, "No such device"),
    "ENOTDIR": (20, "Not a directory"),
    "EISDIR": (21, "Is a directory"),
    "EINVAL": (22, "Invalid argument"),
    "ENFILE": (23, "Too many open files in system"),
    "EMFILE": (24, "Too many open files"),
    "ENOTTY": (25, "Inappropriate ioctl for device"),
    "ETXTBSY": (26, "Text file busy"),
    "EFBIG": (27, "File too large"),
    "ENOSPC": (28, "No space left on device"),
    "ESPIPE": (29, "Illegal seek"),
    "EROFS": (30, "Read-only file system"),
    "EMLINK": (31, "Too many links"),
    "EPIPE": (32, "Broken pipe"),
    "EDOM": (33, "Numerical argument out of domain"),
    "ERANGE": (34, "Numerical result out of range"),
    "EDEADLK": (35, "Resource deadlock avoided"),
    "ENAMETOOLONG": (36, "File name too long"),
    "ENOSYS": (38, "Function not implemented"),
    "ENOTEMPTY": (39, "Directory not empty"),
    "ENODATA": (61, "No data available"),
    "ETIME": (62, "Timer expired"),
    "ENOPKG": (65, "Package not installed"),
    "EBADMSG": (74, "Bad message"),
    "EOVERFLOW": (75, "Value too large for defined data type"),
    "EOPNOTSUPP": (95, "Operation not supported"),
    "EADDRINUSE": (98, "Address already in use"),
    "ETIMEDOUT": (110, "Connection timed out"),
    "ENOKEY": (126, "Required key not available"),
    "EKEYEXPIRED": (127, "Key has expired"),
    "EKEYREVOKED": (128, "Key has been revoked"),
    "EKEYREJECTED": (129, "Key was rejected by service"),
}

#: aliases the kernel headers define with `#define EWOULDBLOCK EAGAIN`
ALIASES: dict[str, str] = {"EWOULDBLOCK": "EAGAIN", "EDEADLOCK": "EDEADLK"}

_BY_NUMBER: dict[int, tuple[str, str]] = {
    num: (name, text) for name, (num, text) in ERRNOS.items()}

EPERM, ENOENT, EIO, ENOEXEC, EAGAIN, ENOMEM = 1, 2, 5, 8, 11, 12
EBUSY, EEXIST, ENOTDIR, EISDIR, EINVAL, ENOSYS = 16, 17, 20, 21, 22, 38


#: what the shell prints for a child killed by these signals (strsignal())
SIGNALS = {8: "Floating point exception", 9: "Killed", 11: "Segmentation fault"}


def strsignal(num: int) -> str:
    return SIGNALS.get(num, "Killed")


def strerror(num: int) -> str:
    """glibc strerror(); accepts -errno too, as the kernel returns it."""
    num = abs(num)
    if num in _BY_NUMBER:
        return _BY_NUMBER[num][1]
    return f"Unknown error {num}"


def errno_name(num: int) -> str:
    num = abs(num)
    return _BY_NUMBER[num][0] if num in _BY_NUMBER else str(num)


def parse_errno(text: str) -> int:
    """'ENOMEM', '-ENOMEM', '12' or '-12' -> 12 (positive); ValueError if unknown."""
    t = text.strip().lstrip("-")
    t = ALIASES.get(t.upper(), t.upper())
    if t.isdigit() and int(t) > 0:
        return int(t)
    if t in ERRNOS:
        return ERRNOS[t][0]
    raise ValueError(f"unknown errno '{text}'")
