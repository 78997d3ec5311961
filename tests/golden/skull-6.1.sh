#! kmodsim --profile 6.1
# skull.c includes <linux/skull.h>, a header only kmodsim has, and each failure
# is injected: no real kernel can record this (Debian's 6.1 has no
# CONFIG_FAULT_INJECTION).  The same ladder with real kernel calls, made to
# fail by a parameter, is recorded: tests/reference/real/module-skull_param.txt
# and skull-param.txt.  The expected text follows the sources:
# - skull.c's goto ladder (kmodgui/modules/skull.c, my_init(): a failing
#   register_those() unwinds that, then this; its pr_info()/pr_err() lines);
# - the load's taint lines (printed once per boot): as recorded in module-hi.txt;
# - FAULT_INJECTION: fail_dump() in lib/fault-inject.c ("forcing a failure.",
#   "name %pd, interval %lu, probability %lu, space %d, times %d", the
#   attribute kernel/fail_function.c's "fail_function") and dump_stack()'s
#   header and trace (frames between should_fail_ex() and the function left
#   out: README, deliberate differences);
# - kmod 30's tools/insmod.c "could not insert module %s: %s", strerror(EBUSY)
#   and strerror(ENODEV).
# Timestamps and PIDs are kmodsim's (a real one differs: the normaliser hides them).
# skull: make each of the three registrations fail in turn and watch the unwind
inject register_this EBUSY
insmod skull.ko
echo $?
dmesg -r -c
inject register_that
insmod skull.ko
echo $?
dmesg -r -c
inject register_those ENODEV
insmod skull.ko
echo $?
dmesg -r -c
lsmod
insmod skull.ko
rmmod skull
dmesg -r -c
