#! kmodsim --profile 2.6.30
# No 2.6.30 kernel can be booted here, so nothing of this is recorded; the
# expected text follows 2.6.30's sources and module-init-tools 3.9 (the tools
# of that time), read by hand:
# - insmod.c: "insmod: error inserting '%s': %li %s" with moderror(errno)
#   (ENOENT: "Unknown symbol in module", EINVAL: "Invalid parameters",
#   else strerror());
# - lsmod.c: "%-19s %8s  %s" and " %s" of /proc/modules' fields, "-" shown as
#   "" (a trailing blank), a trailing comma stripped;
# - leak.c's own printk lines; lib/fault-inject.c fail_dump(): KERN_NOTICE
#   "FAULT_INJECTION: forcing a failure" (no period in 2.6.30).  kmodsim prints
#   it without the dump_stack() that FAULT_ATTR_INITIALIZER's verbose = 2
#   would add, and fails a GFP_KERNEL kmalloc() that mm/failslab.c's default
#   ignore_gfp_wait = 1 would let through (README, deliberate differences).
# Timestamps, sizes, addresses and PIDs are kmodsim's (the normaliser hides them).
# leak: init kmalloc()s, exit forgets to kfree()
insmod leak.ko
lsmod
rmmod leak
echo $?
dmesg -r -c
lsmod
inject kmalloc
insmod leak.ko
echo $?
dmesg -r -c
