#! kmodsim --profile 6.1
audit skull_leaky.c
echo $?
audit skull_wrong_order.c
echo $?
audit skull_double.c
echo $?
audit hi_permanent.c
echo $?
