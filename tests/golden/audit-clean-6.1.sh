#! kmodsim --profile 6.1
# The unwind audit's report is kmodsim's own: no real kernel or tool prints it
# (and Debian's 6.1 has no fault injection to walk the error paths with), so no
# recording can stand for it.  What it must find follows from the samples'
# sources (kmodgui/modules), read by hand:
# - skull.c: the goto ladder of my_init() undoes exactly what succeeded, in
#   reverse (fail_those: 49 unregisters that at 51, fail_that: 52 this at 54);
# - skull_cleanup.c: my_cleanup() (35) frees what is set, whichever kmalloc()
#   (58, 59) or register_stuff() (66) failed; kmalloc()'s failure is NULL,
#   which init turns into -ENOMEM.
# Exit status 0 when every path is clean (README, "The unwind audit").
audit skull.c
echo $?
audit skull_cleanup.c
echo $?
