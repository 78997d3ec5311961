#! kmodsim --profile 6.1
# The unwind audit's report is kmodsim's own: no real kernel or tool prints it
# (and Debian's 6.1 has no fault injection to walk the error paths with), so no
# recording can stand for it.  What it must find follows from the samples'
# sources (kmodgui/modules), read by hand:
# - skull_leaky.c: fail_those: and fail_that: are one place (lines 47-48), so
#   when register_those() (38) fails, unregister_that() (46) is skipped: that
#   (acquired at 33) leaks, and this is released (50) while that is still held;
#   that's name stays registered, so the next insmod fails with -EBUSY
#   (strerror: "Device or resource busy");
# - skull_wrong_order.c: my_exit() releases this (60) and that (61) before
#   those (62), not in the reverse of init's order (29, 34, 39);
# - skull_double.c: fail_those: (45) releases that and this (47, 48), then
#   falls through fail_that: into unregister_this() (51) again: released twice;
# - hi_permanent.c calls nothing that can fail: 0 fault points.
# A failing register_*() returns -EBUSY, kmodsim's default for `inject`.
audit skull_leaky.c
echo $?
audit skull_wrong_order.c
echo $?
audit skull_double.c
echo $?
audit hi_permanent.c
echo $?
