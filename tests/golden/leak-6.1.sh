#! kmodsim --profile 6.1
# kmalloc() failing inside leak_init(): fault injection, which no real
# recording can show (Debian's 6.1 is built without CONFIG_FAULT_INJECTION
# and CONFIG_FAILSLAB; the module's life without a fault is recorded in
# tests/reference/real/module-leak.txt).  The expected text follows the sources:
# - the load's taint lines: as recorded in module-leak.txt;
# - fail_dump() in lib/fault-inject.c: KERN_NOTICE "FAULT_INJECTION: forcing a
#   failure.\nname %pd, interval %lu, probability %lu, space %d, times %d\n"
#   (the failslab attribute of mm/failslab.c, `times 1` as kmodsim's inject
#   arms it), then dump_stack() since verbose is 2: dump_stack_lvl() in
#   lib/dump_stack.c, the "CPU: .. PID: .. Comm:" header of
#   dump_stack_print_info() and the trace up from should_fail_ex() (6.1.192
#   declares it in include/linux/fault-inject.h) and should_failslab();
#   the frames between should_failslab() and the module are left out
#   (README, deliberate differences);
# - leak_init() returns -ENOMEM, do_init_module() in kernel/module/main.c
#   frees the module; kmod 30's tools/insmod.c prints "could not insert
#   module %s: %s" with strerror(ENOMEM).
# Timestamps and the PID are kmodsim's (a real one differs: the normaliser hides them).
inject kmalloc
insmod leak.ko
echo $?
dmesg -r -c
lsmod
