#!/usr/bin/env bash
# One-command set-up for kmodgui on a fresh Debian/Ubuntu machine.
#   bash tools/bootstrap.sh run [ARGS...]   install, then start the app
#   bash tools/bootstrap.sh test [ARGS...]  install with test extras, run pytest
#   bash tools/bootstrap.sh libs            only the system libraries (then exit)
# Installs what is missing: Qt's system libraries (apt-get), a venv in .venv,
# the package in editable mode.  Safe to run again.
#
# Which libraries: Qt draws offscreen with the first list alone.  A window on
# a real X display goes through Qt's xcb platform plugin (libqxcb.so), which
# Qt 6.5+ links against several xcb helper libraries a minimal Debian lacks;
# without them Qt aborts with 'Could not load the Qt platform plugin "xcb"'.
# So when a display is to be used (run with $DISPLAY set, `libs`, and `test`,
# whose suite opens a window in Xvfb) the xcb list is installed too, then
# `ldd libqxcb.so` is asked what is still missing, and the Debian package of
# each missing libfoo.so.N (libfooN) is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"; shift || true

# Qt needs these even offscreen; without a font every glyph is an empty box.
QT_LIBS="libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-dejavu-core"
# Qt's xcb platform plugin, for a window on an X display (Xvfb for the tests)
XCB_LIBS="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0"
XVFB="xvfb xauth"

apt_install() {   # apt_install WHY PKG...: install the packages dpkg does not know
    local why="$1"; shift
    local missing="" p
    command -v dpkg >/dev/null 2>&1 || { echo "bootstrap: not Debian: make sure $why has: $*"; return 0; }
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    [ -n "$missing" ] || return 0
    echo "bootstrap: installing$missing ($why)"
    local SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
    if [ -z "${APT_UPDATED:-}" ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
}

want_display=""
case "$mode" in
    test|libs) want_display=1 ;;
    run) [ -n "${DISPLAY:-}" ] && want_display=1 ;;
esac

apt_install "Qt, even offscreen" $QT_LIBS
if [ -n "$want_display" ]; then
    # shellcheck disable=SC2086
    apt_install "Qt's xcb plugin, for a window on X" $XCB_LIBS
fi
if [ "$mode" = "test" ]; then
    apt_install "the test that opens the window in a virtual X server" $XVFB
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if [ "$mode" != "test" ]; then
    .venv/bin/python -m pip install -q -e .
fi

xcb_check() {   # what ldd says libqxcb.so still lacks, as Debian package names
    local plugin so name ver pkgs=""
    plugin="$(.venv/bin/python -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins", "platforms", "libqxcb.so"))' 2>/dev/null)" || return 0
    [ -f "$plugin" ] || return 0
    for so in $(ldd "$plugin" 2>/dev/null | awk '/not found/ {print $1}'); do
        name="${so%%.so*}"; ver="${so##*.so.}"; ver="${ver%%.*}"
        case "$name" in *[0-9]) pkgs="$pkgs $name-$ver" ;; *) pkgs="$pkgs $name$ver" ;; esac
    done
    echo "$pkgs"
}
if [ "$mode" = "test" ]; then
    .venv/bin/python -m pip install -q -e '.[test]'
fi
if [ -n "$want_display" ]; then
    still="$(xcb_check)"
    if [ -n "$still" ]; then
        # shellcheck disable=SC2086
        apt_install "libraries ldd finds missing for libqxcb.so" $still ||
            echo "bootstrap: warning: could not install$still" >&2
        still="$(xcb_check)"
        [ -z "$still" ] || echo "bootstrap: warning: libqxcb.so still lacks:$still (a window may not open; offscreen works)" >&2
    fi
fi
[ "$mode" = "libs" ] && exit 0
if [ "$mode" = "test" ]; then
    set +e
    QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" .venv/bin/python -m pytest "$@"
    rc=$?
    set -e
    if [ "$rc" -eq 5 ]; then
        echo "bootstrap: pytest collected no tests: failing" >&2
        exit 1
    fi
    exit "$rc"
fi
exec .venv/bin/kmodgui "$@"
