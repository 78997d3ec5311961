#! kmodsim --profile 2.6.30
# No 2.6.30 kernel can be booted here, so nothing of this is recorded; the
# expected text follows 2.6.30's sources and module-init-tools 3.9 (the tools
# of that time), read by hand:
# - insmod.c: "insmod: error inserting '%s': %li %s" with moderror(errno)
#   (ENOENT: "Unknown symbol in module", EINVAL: "Invalid parameters",
#   else strerror());
# - lsmod.c: "%-19s %8s  %s" and " %s" of /proc/modules' fields, "-" shown as
#   "" (a trailing blank), a trailing comma stripped;
# - modinfo.c: "%-16s%s" with the file name as typed, each .modinfo tag, then
#   each parm with its parmtype as "%s%s (%s)";
# - kernel/params.c parse_one()/parse_args(): KERN_ERR "%s: `%s' invalid for
#   parameter `%s'" (-EINVAL) and "%s: Unknown parameter `%s'" (-ENOENT, which
#   fails the load: moderror() calls it "Unknown symbol in module").
# Timestamps, sizes, addresses and PIDs are kmodsim's (the normaliser hides them).
# hellop: module parameters (LDD3's "insmod hellop howmany=10 whom=Mom")
modinfo hellop.ko
insmod hellop.ko whom="Mom" howmany=3
echo $?
cat /sys/module/hellop/parameters/whom /sys/module/hellop/parameters/howmany
dmesg -r -c
rmmod hellop
insmod hellop.ko howmany=notanumber
echo $?
insmod hellop.ko nosuchparam=1
echo $?
dmesg -r -c
lsmod
