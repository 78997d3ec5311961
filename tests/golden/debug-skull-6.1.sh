#! kmodsim --profile 6.1
debug insmod skull.ko
next
next
next
next
fail register_that ENOMEM
next
print err
next
next
where
next
next
back
list
next
continue
echo $?
resources
dmesg
lsmod
