#! kmodsim --profile 6.1
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
