#! kmodsim --profile 6.1
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
