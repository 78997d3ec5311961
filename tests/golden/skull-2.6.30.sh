#! kmodsim --profile 2.6.30
# skull: make each of the three registrations fail in turn and watch the unwind
inject register_this EBUSY
insmod skull.ko
echo $?
dmesg -r -c
inject register_that
insmod skull.ko
echo $?
dmesg -r -c
inject register_those ENODEV
insmod skull.ko
echo $?
dmesg -r -c
lsmod
insmod skull.ko
rmmod skull
dmesg -r -c
