#! kmodsim --profile 2.6.30
# No 2.6.30 kernel can be booted here, so nothing of this is recorded; the
# expected text follows 2.6.30's sources and module-init-tools 3.9 (the tools
# of that time), read by hand:
# - insmod.c: "insmod: error inserting '%s': %li %s" with moderror(errno)
#   (ENOENT: "Unknown symbol in module", EINVAL: "Invalid parameters",
#   else strerror());
# - lsmod.c: "%-19s %8s  %s" and " %s" of /proc/modules' fields, "-" shown as
#   "" (a trailing blank), a trailing comma stripped;
# - skull.c's goto ladder and its printk lines (kmodgui/modules/skull.c;
#   register_this() and friends are kmodsim's simulated functions);
# - lib/fault-inject.c fail_dump(): "FAULT_INJECTION: forcing a failure",
#   without the dump_stack() of verbose = 2 (README, deliberate differences).
# Timestamps, sizes, addresses and PIDs are kmodsim's (the normaliser hides them).
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
