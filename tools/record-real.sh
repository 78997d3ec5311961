#!/usr/bin/env bash
# Re-record the real-kernel transcripts in tests/reference/real/ on Debian's
# 6.1 kernel in QEMU (the packages: see README, "The real kernel beside the
# simulator").  Each session starts on a freshly booted machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
out=tests/reference/real
rec() { "$PY" -m kmodgui.cli record --real -C kmodgui/modules -c "$2" -o "$out/$1.txt"; }
rec hi           'insmod hi.ko; lsmod; rmmod hi'
rec init-return  'insmod hi_eio.ko; insmod hi_42.ko; rmmod hi_42'
rec permanent    'insmod hi_permanent.ko; rmmod hi_permanent; rmmod -f hi_permanent'
rec params       'insmod hellop.ko howmany=2 whom=Mom; rmmod hellop; insmod hellop.ko howmany=abc'
rec depends      'insmod expo.ko; insmod user.ko; lsmod; rmmod expo; rmmod user; rmmod expo'
rec skull-param  'insmod skull_param.ko; cat /proc/skull_param; rmmod skull_param; insmod skull_param.ko fail_at=3; insmod skull_param.ko fail_at=1'
