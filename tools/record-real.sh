#!/usr/bin/env bash
# Re-record the real-kernel transcripts in tests/reference/real/ on Debian's
# 6.1 kernel in QEMU (the packages: see README, "The real kernel beside the
# simulator").  Each session starts on a freshly booted machine; sessions
# run one after the other (each boot takes 10-35 s on two cores).
#
#   tools/record-real.sh            record them all
#   tools/record-real.sh hi ticker  record only these (names of the .txt files)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
out=tests/reference/real
want=" $* "
pick() { [ $# -eq 0 ] || [ "$want" = "  " ] || [[ "$want" == *" $1 "* ]]; }
rec() {   # rec NAME FOLDER COMMANDS
    pick "$1" || return 0
    "$PY" -m kmodgui.cli record --real -C "$2" -c "$3" -o "$out/$1.txt" || true
}
lesson() {   # lesson NAME LESSON
    pick "$1" || return 0
    "$PY" -m kmodgui.cli record --real --lesson "$2" -o "$out/$1.txt" || true
}
S=kmodgui/modules
B=kmodgui/modules/broken

# the first recordings (kept: the facts the simulator was first checked on)
rec hi           $S 'insmod hi.ko; lsmod; rmmod hi'
rec init-return  $S 'insmod hi_eio.ko; insmod hi_42.ko; rmmod hi_42'
rec permanent    $S 'insmod hi_permanent.ko; rmmod hi_permanent; rmmod -f hi_permanent'
rec params       $S 'insmod hellop.ko howmany=2 whom=Mom; rmmod hellop; insmod hellop.ko howmany=abc'
rec depends      $S 'insmod expo.ko; insmod user.ko; lsmod; rmmod expo; rmmod user; rmmod expo'
rec skull-param  $S 'insmod skull_param.ko; cat /proc/skull_param; rmmod skull_param; insmod skull_param.ko fail_at=3; insmod skull_param.ko fail_at=1'
# the session a hand-written transcript once held: modinfo, quoted and
# several parameters, a bad value, an unknown name
rec params-modinfo $S 'modinfo hellop.ko; insmod hellop.ko whom="Mom" howmany=3; cat /sys/module/hellop/parameters/whom /sys/module/hellop/parameters/howmany; rmmod hellop; insmod hellop.ko howmany=notanumber; insmod hellop.ko nosuchparam=1; lsmod; dmesg -r'

# every sample module: insmod, lsmod, /proc/modules, rmmod, dmesg
life() { echo "insmod $1.ko; lsmod; cat /proc/modules; rmmod $1; lsmod; dmesg"; }
failing() { echo "insmod $1.ko; lsmod; cat /proc/modules; rmmod $1; dmesg"; }
rec module-hi          $S "$(life hi)"
rec module-hi_42       $S "$(life hi_42)"
rec module-hi_eperm    $S "$(failing hi_eperm)"
rec module-hi_eio      $S "$(failing hi_eio)"
rec module-hi_enomem   $S "$(failing hi_enomem)"
rec module-hi_noexit   $S 'insmod hi_noexit.ko; lsmod; cat /proc/modules; cat /sys/module/hi_noexit/refcnt; rmmod hi_noexit; rmmod -f hi_noexit; lsmod; cat /proc/modules; dmesg'
rec module-hi_permanent $S 'insmod hi_permanent.ko; lsmod; cat /proc/modules; rmmod hi_permanent; rmmod -f hi_permanent; lsmod; cat /proc/modules; dmesg'
rec module-skull_param $S 'insmod skull_param.ko fail_at=2; lsmod; cat /proc/modules; insmod skull_param.ko fail_at=1; insmod skull_param.ko fail_at=3; insmod skull_param.ko; lsmod; cat /proc/modules; cat /proc/skull_param; rmmod skull_param; lsmod; dmesg'
rec module-leak        $S "$(life leak)"
rec module-chardev     $S 'insmod chardev.ko; lsmod; cat /proc/modules; cat /dev/chardev; rmmod chardev; lsmod; dmesg'
rec module-procfs      $S 'insmod procfs.ko; lsmod; cat /proc/modules; cat /proc/procfs_hello; rmmod procfs; cat /proc/procfs_hello; dmesg'
rec module-ticker      $S "$(life ticker)"
rec module-counters    $S "$(life counters)"
rec module-hellop      $S 'insmod hellop.ko howmany=3 whom=Mom; lsmod; cat /proc/modules; cat /sys/module/hellop/parameters/howmany; cat /sys/module/hellop/parameters/whom; rmmod hellop; insmod hellop.ko howmany=abc; insmod hellop.ko foo=1; rmmod hellop; dmesg'
rec module-expo-user   $S 'insmod user.ko; insmod expo.ko; insmod user.ko; lsmod; cat /proc/modules; rmmod expo; rmmod user; rmmod expo; lsmod; dmesg'
rec module-startstop   $S "$(life startstop)"
K=/sys/kernel/kobjdemo
rec module-kobjdemo    $S "insmod kobjdemo.ko; ls $K; ls $K/stats; cat $K/value; echo 42 > $K/value; cat $K/value; echo abc > $K/value; cat $K/value; cat $K/stats/writes; echo 5 > $K/stats/writes; cat $K/reset; echo now > $K/reset; cat $K/value; cat $K/stats/writes; rmmod kobjdemo; ls $K; cat $K/value; dmesg"
D=/sys/bus/platform/devices/platdemo.0
rec module-platdemo    $S "insmod platdrv.ko; ls /sys/bus/platform/drivers/platdemo; insmod platdev.ko; ls /sys/bus/platform/drivers/platdemo; ls $D; cat $D/greeting; cat $D/modalias; cat $D/uevent; cat $D/driver_override; ls /sys/module/platdrv; ls /sys/module/platdrv/drivers; rmmod platdrv; ls $D; cat $D/uevent; insmod platdrv.ko; rmmod platdev; ls $D; rmmod platdrv; ls /sys/bus/platform/drivers/platdemo; dmesg"
rec sysfs-boot-tree    $S 'ls /sys; ls /sys/kernel; ls /sys/bus; ls /sys/bus/platform; ls /sys/bus/platform/drivers; ls /sys/bus/platform/devices; ls /sys/devices/platform; ls /sys/class; ls /sys/devices/platform/serial8250; ls /sys/bus/platform/drivers/serial8250'
rec module-nullderef   $B 'insmod nullderef.ko; lsmod; cat /proc/modules; rmmod nullderef; cat /proc/sys/kernel/tainted; dmesg'
rec module-hugealloc   $B "$(failing hugealloc)"
rec module-spin        $B 'insmod spin.ko'

# blocked tasks, divide errors and %n (tests/kernel/data/hung/README.md)
hung=tests/kernel/data/hung
rech() {   # rech SECONDS COMMANDS NAME
    pick "$3" || return 0
    "$PY" -m kmodgui.cli record --real -C "$hung" --command-seconds "$1" -c "$2" -o "$hung/$3.txt" || true
}
rech 30 'insmod div_intmin.ko; insmod mod_intmin.ko; insmod div_zero.ko; insmod percent_n.ko; rmmod percent_n; insmod percent_n.ko' real-arith
rech 300 'insmod hang_msleep.ko & sleep 1
insmod hang_ssleep.ko & sleep 1
insmod hang_exit.ko
rmmod hang_exit & sleep 1
insmod kstop_sleep.ko
rmmod kstop_sleep & sleep 1
sleep 270
ps
sleep 125
ps' real-hung
rech 300 'insmod kstop_busy.ko
sleep 30
rmmod kstop_busy & sleep 1
sleep 270
ps' real-kstop-busy
rech 300 'echo 1 > /proc/sys/kernel/hung_task_warnings
insmod hang_exit.ko
rmmod hang_exit & sleep 1
insmod kstop_sleep.ko
rmmod kstop_sleep & sleep 1
sleep 260
cat /proc/sys/kernel/hung_task_warnings' real-hung-warnings

# every lesson's scenario: its commands, edits and Kconfig changes
for f in kmodgui/resources/lessons/*.toml; do
    n=$(basename "$f" .toml)
    lesson "lesson-$n" "$n"
done
rech 20 'insmod div_zero.ko; insmod div_zero.ko' real-second-insmod
rech 300 'insmod kthread_ssleep.ko
sleep 250' real-kthread-ssleep

# the device model's test modules (tests/kernel/data/devmodel/), built beside
# the samples they use (platdrv.c, kobjdemo.c, platdev.c, chardev.c)
dm=tests/kernel/data/devmodel
dmdir=$(mktemp -d)
trap 'rm -rf "$dmdir"' EXIT
cp "$dm"/*.c $S/platdrv.c $S/platdemo.h $S/platdev.c $S/kobjdemo.c $S/chardev.c "$dmdir"/
recd() {   # recd NAME COMMANDS
    pick "$1" || return 0
    "$PY" -m kmodgui.cli record --real -C "$dmdir" -c "$2" -o "$dm/$1.txt" || true
}
C=/sys/class/clsdemo
KS=/sys/kernel/ksetdemo
Q=/sys/kernel/uevent_seqnum
recd real-kobjleak 'insmod kobjleak.ko; cat /sys/kernel/kobjleak/hits; cat /sys/kernel/kobjleak/hits; rmmod kobjleak; ls /sys/kernel/kobjleak; insmod kobjleak.ko; lsmod; cat /sys/kernel/kobjleak/hits; dmesg'
recd real-platfail 'insmod platdrv.ko; insmod platfail.ko; ls /sys/bus/platform/drivers/platdemo; ls /sys/bus/platform/devices/platdemo; cat /sys/bus/platform/devices/platdemo.1/uevent; rmmod platfail; rmmod platdrv; dmesg'
recd real-clsattr "insmod clsattr.ko; ls $C; cat $C/version; echo 2 > $C/version; ls $C/clsdev0; cat $C/clsdev0/level; echo 9 > $C/clsdev0/level; cat $C/clsdev0/level; cat $C/clsdev0/uevent; ls /sys/devices/virtual/clsdemo; rmmod clsattr; ls $C; dmesg"
recd real-chardev-sysfs 'insmod chardev.ko; ls /sys/class/chardev; ls /sys/class/chardev/chardev; cat /sys/class/chardev/chardev/dev; cat /sys/class/chardev/chardev/uevent; ls /sys/dev/char; rmmod chardev; ls /sys/class/chardev; dmesg'
recd real-kset-uevent "cat $Q; insmod ksetdemo.ko; cat $Q; ls $KS; ls $KS/one; cat $KS/one/count; echo 5 > $KS/one/count; cat $KS/one/count; cat $KS/two/count; echo x > $KS/two/count; rmmod ksetdemo; cat $Q; ls $KS; insmod kobjdemo.ko; cat $Q; insmod platdrv.ko; cat $Q; insmod platdev.ko; cat $Q; rmmod platdev; cat $Q; insmod clsattr.ko; cat $Q; rmmod clsattr; cat $Q; rmmod platdrv; cat $Q; rmmod kobjdemo; cat $Q; dmesg"
recd real-platstatic 'insmod platdrv.ko; insmod platstatic.ko; ls /sys/bus/platform/drivers/platdemo; rmmod platstatic; ls /sys/bus/platform/drivers/platdemo; rmmod platdrv; dmesg'
