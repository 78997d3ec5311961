#! kmodsim --profile 2.6.30
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
