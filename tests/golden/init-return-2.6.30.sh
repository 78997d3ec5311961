#! kmodsim --profile 2.6.30
# No 2.6.30 kernel can be booted here, so nothing of this is recorded; the
# expected text follows 2.6.30's sources and module-init-tools 3.9 (the tools
# of that time), read by hand:
# - insmod.c: "insmod: error inserting '%s': %li %s" with moderror(errno)
#   (ENOENT: "Unknown symbol in module", EINVAL: "Invalid parameters",
#   else strerror());
# - lsmod.c: "%-19s %8s  %s" and " %s" of /proc/modules' fields, "-" shown as
#   "" (a trailing blank), a trailing comma stripped;
# - kernel/module.c m_show(): "%s %u", print_unload_info() (" %u ", the users
#   with commas, "[permanent]," or "-"), " %s" Live, " 0x%p" (no taint flags:
#   TAINT_OOT_MODULE and module signing came later);
# - sys_init_module() in kernel/module.c: init < 0 fails the load with it; > 0
#   prints KERN_WARNING "%s: '%s'->init suspiciously returned %d, it should
#   follow 0/-E convention" and "%s: loading module anyway..." (__func__ is
#   sys_init_module), then dump_stack(): arch/x86/kernel/dumpstack.c's "Pid: %d,
#   comm: %.20s %s %s %.*s" (print_tainted() "Not tainted", release, version)
#   and show_trace()'s " [<%p>] %pS" frames.
# Timestamps, sizes, addresses and PIDs are kmodsim's (the normaliser hides them).
# init returning -1 (-EPERM), -EIO, and 42 (positive: suspicious, loads anyway)
insmod hi_eperm.ko
echo $?
insmod hi_eio.ko
echo $?
lsmod
dmesg -r -c
insmod hi_42.ko
echo $?
dmesg -r -c
lsmod
cat /proc/modules
rmmod hi_42
dmesg -r -c
cat /proc/sys/kernel/tainted
