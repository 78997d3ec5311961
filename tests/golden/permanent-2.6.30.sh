#! kmodsim --profile 2.6.30
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
