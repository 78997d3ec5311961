#! kmodsim --profile 6.1
# A kernel built without MODULE_FORCE_UNLOAD: no real recording can show it
# (Debian's 6.1 has CONFIG_MODULE_FORCE_UNLOAD=y; the same module unloaded
# with rmmod -f there is recorded in tests/reference/real/lesson-09-permanent.txt
# and module-hi_permanent.txt).  The expected text follows the sources:
# - `kconfig SYM=n` reboots; `kconfig` (kmodsim's own command) lists the
#   prompts of the MODULES menu in kernel/module/Kconfig ("Forced module
#   loading", "Module unloading", "Forced module unloading", ...) with
#   Debian's values (/boot/config-6.1.0-56-amd64) and the one changed;
# - rmmod -f of a module with an init and no exit: SYSCALL_DEFINE2(delete_module)
#   in kernel/module/main.c calls try_force_unload(), which returns 0 without
#   CONFIG_MODULE_FORCE_UNLOAD, so the call fails with -EBUSY, the module
#   stays and nothing is tainted (no add_taint(TAINT_FORCED_RMMOD): the mask
#   stays 12288, OOT and unsigned, and kernel/panic.c's "Disabling lock
#   debugging due to kernel taint" is not printed);
# - kmod 30: with -f, do_rmmod() in tools/rmmod.c skips check_module_inuse();
#   kmod_module_remove_module() in libkmod/libkmod-module.c (line 856) logs
#   "could not remove '%s': %m", then do_rmmod() "could not remove module %s: %s";
# - the load's lines: as recorded in lesson-09-permanent.txt.
# Timestamps are kmodsim's clock (a real one differs: the normaliser hides it).
kconfig MODULE_FORCE_UNLOAD=n
kconfig
insmod hi_permanent.ko
rmmod -f hi_permanent
echo $?
lsmod
cat /proc/sys/kernel/tainted
dmesg -r
