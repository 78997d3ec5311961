#! kmodsim --profile 2.6.30
# hi.c: init prints, exit prints; load, look, unload
insmod hi.ko
echo $?
lsmod
cat /proc/modules
cat /proc/sys/kernel/tainted
cat /sys/module/hi/initstate
rmmod hi
echo $?
dmesg -r
lsmod
cat /proc/modules
rmmod hi
echo $?
