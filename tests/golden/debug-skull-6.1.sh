#! kmodsim --profile 6.1
# The debugger (debug, next, fail, print, where, back, list, continue) and the
# `resources` table are kmodsim's own interface: no real machine has them, so
# no recording can stand for them.  Their lines follow skull.c's source, line
# by line (kmodgui/modules/skull.c: 31-33, 36-39, then fail_that: 53-56), in
# gdb's output forms (`#0  my_init () at skull.c:53`, `$1 = -12`, `list`'s
# numbered lines with `=>` at the current one).  The kernel's and kmod's lines:
# - the load's taint lines: as recorded in tests/reference/real/module-hi.txt;
# - FAULT_INJECTION: fail_dump() in lib/fault-inject.c ("forcing a failure.",
#   then "name %pd, interval %lu, probability %lu, space %d, times %d"; the
#   attribute is kernel/fail_function.c's "fail_function") and dump_stack();
#   the frames between should_fail_ex() and the failing function are left
#   out (README, deliberate differences);
# - skull.c's own pr_info()/pr_err() lines; kmod 30's tools/insmod.c "could
#   not insert module %s: %s" with strerror(ENOMEM).
# Timestamps and the PID are kmodsim's (a real one differs: the normaliser hides them).
debug insmod skull.ko
next
next
next
next
fail register_that ENOMEM
next
print err
next
next
where
next
next
back
list
next
continue
echo $?
resources
dmesg
lsmod
