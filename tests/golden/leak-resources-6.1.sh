#! kmodsim --profile 6.1
# `resources` is kmodsim's own table (what each module holds, acquired at
# leak.c:28 by kmalloc(BUF_SIZE = 128)), and Debian's 6.1 has no
# CONFIG_DEBUG_KMEMLEAK: no recording can stand for either (the real
# machine's silence, no /sys/kernel/debug/kmemleak, is recorded in
# tests/kernel/data/real-hacking.txt).  With kmemleak on, a scan at least
# MSECS_MIN_AGE (5 s) after the allocation logs kmemleak_scan()'s
# "%d new suspected memory leaks (see /sys/kernel/debug/kmemleak)" and the
# file follows print_unreferenced() in mm/kmemleak.c of 6.1:
# "unreferenced object 0x%08lx (size %zu):", "  comm \"%s\", pid %d, jiffies %lu
# (age %d.%03ds)", hex_dump_object()'s "  hex dump (first %zu bytes):" (at most
# HEX_MAX_LINES 2 rows of HEX_ROW_SIZE 16 bytes, hex_dump_to_buffer() with
# ASCII), "  backtrace:" and "    [<%p>] %pS" frames.  The bytes past the
# string are zeroes (init_on_alloc: tests/kernel/data/real-fresh.txt).  kmodsim's
# backtrace is short (README, deliberate differences).
cat /sys/kernel/debug/kmemleak
kconfig DEBUG_KMEMLEAK=y
insmod leak.ko
resources
rmmod leak
resources
cat /sys/kernel/debug/kmemleak
sleep 5
echo scan > /sys/kernel/debug/kmemleak
dmesg -r -c | tail -1
cat /sys/kernel/debug/kmemleak
