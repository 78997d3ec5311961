#!/usr/bin/env bash
# One-command set-up for kmodgui on a fresh Debian/Ubuntu machine.
#   bash tools/bootstrap.sh run [ARGS...]   install, then start the app
#   bash tools/bootstrap.sh test [ARGS...]  install with test extras, run pytest
# Installs what is missing: Qt's system libraries (apt-get), a venv in .venv,
# the package in editable mode.  Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"; shift || true

# Qt needs these even offscreen; without a font every glyph is an empty box.
QT_LIBS="libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-dejavu-core"
missing=""
if command -v dpkg >/dev/null 2>&1; then
    for p in $QT_LIBS; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
fi
if [ -n "$missing" ]; then
    echo "bootstrap: installing system libraries:$missing"
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if [ "$mode" = "test" ]; then
    .venv/bin/python -m pip install -q -e '.[test]'
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
.venv/bin/python -m pip install -q -e .
exec .venv/bin/kmodgui "$@"
