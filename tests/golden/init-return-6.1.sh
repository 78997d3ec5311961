#! kmodsim --profile 6.1
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
