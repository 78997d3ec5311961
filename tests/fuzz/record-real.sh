#!/usr/bin/env bash
# Re-record tests/fuzz/real/: what the real Debian 6.1 kbuild (gcc-12,
# linux-headers-6.1.0-56-amd64) prints for each folder of tests/fuzz/cases/,
# built with `LANG=C make` in a scratch copy of the folder (the kernel's
# Makefile unexports LC_ALL, so gcc's quotes follow LANG: ASCII 'x' here).  The copy's
# absolute path is written as <dir>, as tests/kbuild/real/ records it.
#
# The cases' Makefiles say /lib/modules/$(shell uname -r)/build; on a host
# whose running kernel is not 6.1.0-56-amd64 (a container), a `uname` on PATH
# answers -r with that release and passes everything else to the real one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
release=6.1.0-56-amd64
[ -d "/lib/modules/$release/build" ] || {
    echo "record-real.sh: linux-headers-$release is not installed" >&2; exit 1; }
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/bin"
cat > "$scratch/bin/uname" <<EOF
#!/bin/sh
[ "\$1" = "-r" ] && [ \$# -eq 1 ] && { echo $release; exit 0; }
exec /bin/uname "\$@"
EOF
chmod +x "$scratch/bin/uname"
out="$here/real"
mkdir -p "$out"
for case in "$here"/cases/*/; do
    name="$(basename "$case")"
    [ $# -gt 0 ] && [[ " $* " != *" $name "* ]] && continue
    work="$scratch/$name"
    cp -r "$case" "$work"
    status=0
    (cd "$work" && env -u LC_ALL -u LC_CTYPE -u LC_MESSAGES PATH="$scratch/bin:$PATH" LANG=C make >"$scratch/o" 2>"$scratch/e") || status=$?
    sed "s|$work|<dir>|g" "$scratch/o" > "$out/$name.stdout"
    sed "s|$work|<dir>|g" "$scratch/e" > "$out/$name.stderr"
    echo "$status" > "$out/$name.status"
    echo "$name: status $status"
done
