#! kmodsim --profile 2.6.30
# No 2.6.30 kernel can be booted here, so nothing of this is recorded; the
# expected text follows 2.6.30's sources and module-init-tools 3.9 (the tools
# of that time), read by hand:
# - rmmod.c, through logging.c's error() ("ERROR: "): "Module %s does not
#   exist in /proc/modules", "Module %s is in use by %s", "Removing '%s': %s"
#   (delete_module()'s strerror); -f passes O_TRUNC;
# - lsmod.c: "%-19s %8s  %s" and " %s" of /proc/modules' fields, "-" shown as
#   "" (a trailing blank), a trailing comma stripped;
# - kernel/module.c m_show(): "%s %u", print_unload_info() (" %u ", the users
#   with commas, "[permanent]," or "-"), " %s" Live, " 0x%p" (no taint flags:
#   TAINT_OOT_MODULE and module signing came later);
# - sys_delete_module() in kernel/module.c: a module with init and no exit
#   needs try_force_unload(), which with CONFIG_MODULE_FORCE_UNLOAD adds
#   TAINT_FORCED_RMMOD (mask 8) and kernel/panic.c add_taint() prints
#   "Disabling lock debugging due to kernel taint"; without it, -EBUSY;
# - `kconfig` (kmodsim's own) lists the prompts of init/Kconfig's "Enable
#   loadable module support" menu.
# Timestamps, sizes, addresses and PIDs are kmodsim's (the normaliser hides them).
# init without exit: [permanent]; rmmod says busy; rmmod -f needs MODULE_FORCE_UNLOAD
insmod hi_permanent.ko
lsmod
cat /proc/modules
rmmod hi_permanent
echo $?
rmmod -f hi_permanent
echo $?
lsmod
dmesg -r -c
cat /proc/sys/kernel/tainted
kconfig MODULE_FORCE_UNLOAD=n
kconfig
insmod hi_permanent.ko
rmmod -f hi_permanent
echo $?
lsmod
dmesg -r
