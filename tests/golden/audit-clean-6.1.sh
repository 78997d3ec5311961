#! kmodsim --profile 6.1
audit skull.c
echo $?
audit skull_cleanup.c
echo $?
