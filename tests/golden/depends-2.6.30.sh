#! kmodsim --profile 2.6.30
# No 2.6.30 kernel can be booted here, so nothing of this is recorded; the
# expected text follows 2.6.30's sources and module-init-tools 3.9 (the tools
# of that time), read by hand:
# - insmod.c: "insmod: error inserting '%s': %li %s" with moderror(errno)
#   (ENOENT: "Unknown symbol in module", EINVAL: "Invalid parameters",
#   else strerror());
# - rmmod.c, through logging.c's error() ("ERROR: "): "Module %s does not
#   exist in /proc/modules", "Module %s is in use by %s", "Removing '%s': %s"
#   (delete_module()'s strerror); -f passes O_TRUNC;
# - lsmod.c: "%-19s %8s  %s" and " %s" of /proc/modules' fields, "-" shown as
#   "" (a trailing blank), a trailing comma stripped;
# - kernel/module.c m_show(): "%s %u", print_unload_info() (" %u ", the users
#   with commas, "[permanent]," or "-"), " %s" Live, " 0x%p" (no taint flags:
#   TAINT_OOT_MODULE and module signing came later);
# - simplify_symbols() in kernel/module.c: KERN_WARNING "%s: Unknown symbol %s"
#   for each missing export, then -ENOENT; a module in use by another is
#   refused by rmmod.c before delete_module() is called.
# Timestamps, sizes, addresses and PIDs are kmodsim's (the normaliser hides them).
# expo exports symbols, user uses them: load order, "Used by", unload order
insmod user.ko
echo $?
insmod expo.ko
insmod user.ko
lsmod
cat /proc/modules
rmmod expo
echo $?
rmmod user
rmmod expo
dmesg -r
lsmod
