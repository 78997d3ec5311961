#! kmodsim --profile 6.1
insmod leak.ko
resources
rmmod leak
resources
cat /sys/kernel/debug/kmemleak
