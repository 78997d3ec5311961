"""The C subset beginner modules use, checked by running it in the kernel.

Each case is an init body that printk()s results; the expected text is
what gcc-compiled code prints on x86_64.
"""
from __future__ import annotations

import pytest

from tests.engine_helpers import load, module_lines

CASES = {
    "integer widths and wrap": (
        """static int __init t_init(void) {
            unsigned char c = 250; signed char s = 127; short h = 32767;
            unsigned int u = 0; long l = 1L << 40; int i = 2147483647;
            c += 10; s++; h++; u--; i++;
            printk(KERN_INFO "%u %d %d %u %ld %d\\n", c, s, h, u, l, i);
            return 0; }""",
        ["4 -128 -32768 4294967295 1099511627776 -2147483648"]),
    "division truncates toward zero": (
        """static int __init t_init(void) {
            int a = -7, b = 2;
            printk(KERN_INFO "%d %d %d %d\\n", a / b, a % b, 7 / -2, 7 % -2);
            return 0; }""",
        ["-3 -1 -3 1"]),
    "unsigned comparison and conversion": (
        """static int __init t_init(void) {
            unsigned int u = 1; int i = -1;
            printk(KERN_INFO "%d %d %lu\\n", i < u, (int)(u > 0), (unsigned long)i);
            return 0; }""",
        ["0 1 18446744073709551615"]),
    "pointers arrays and strings": (
        """static int arr[5] = {1, 2, 3};
        static char name[] = "skull";
        static int __init t_init(void) {
            int *p = arr, sum = 0, k;
            char *q = name;
            for (k = 0; k < 5; k++) sum += *(p + k);
            p[4] = 40;
            printk(KERN_INFO "%d %d %zu %d %c %s %d\\n", sum, arr[4], sizeof(arr),
                   (int)ARRAY_SIZE(name), q[1], q + 2, (int)(&arr[3] - &arr[0]));
            return 0; }""",
        ["6 40 20 6 k ull 3"]),
    "structs, designated initializers, function pointers": (
        """struct ops { int (*op)(int, int); const char *name; int scale; };
        static int add(int a, int b) { return a + b; }
        static int mul(int a, int b) { return a * b; }
        static struct ops table[] = { { .op = add, .name = "add" },
                                      { .name = "mul", .op = mul, .scale = 3 } };
        static int __init t_init(void) {
            int i; struct ops local = { .op = mul, .name = "local", .scale = 2 };
            struct ops *o = &local;
            for (i = 0; i < 2; i++)
                printk(KERN_INFO "%s=%d/%d\\n", table[i].name, table[i].op(6, 7), table[i].scale);
            printk(KERN_INFO "%s=%d\\n", o->name, o->op(o->scale, 5));
            return 0; }""",
        ["add=13/0", "mul=42/3", "local=10"]),
    "switch with fallthrough, do-while, continue, break": (
        """static int __init t_init(void) {
            int i = 0, n = 0, acc = 0;
            do { n++; } while (n < 3);
            for (i = 0; i < 10; i++) { if (i % 2) continue; if (i > 6) break; acc += i; }
            switch (n) { case 1: acc += 100; case 3: acc += 1000; case 4: acc += 10000; break; default: acc = -1; }
            printk(KERN_INFO "%d %d\\n", n, acc);
            return 0; }""",
        ["3 11012"]),
    "goto ladder runs the labels below the target": (
        """static int step(int i, int fail) { return i == fail ? -ENOMEM : 0; }
        static int __init t_init(void) {
            int err;
            err = step(1, 2); if (err) goto fail1;
            err = step(2, 2); if (err) goto fail2;
            return 0;
        fail2: printk(KERN_INFO "undo 1\\n");
        fail1: printk(KERN_INFO "unwound\\n");
            return err; }""",
        ["undo 1", "unwound"], -12),
    "ternary, logical short-circuit, bitwise, shifts": (
        """static int calls;
        static int hit(void) { calls++; return 1; }
        static int __init t_init(void) {
            int a = 0 && hit(), b = 1 || hit(), c = (5 > 3) ? 0x10 : 0x20;
            unsigned int m = 0xF0F0; int neg = -16;
            printk(KERN_INFO "%d %d %d %d %x %x %d %#x\\n", a, b, calls, c, m & 0xFF, ~m, neg >> 2, m << 4);
            return 0; }""",
        ["0 1 0 16 f0 ffff0f0f -4 0xf0f00"]),
    "enum, typedef, union, sizeof of types": (
        """enum color { RED, GREEN = 5, BLUE };
        typedef struct { char c; long l; } pair_t;
        union u { int i; unsigned char b[4]; };
        static int __init t_init(void) {
            union u x; pair_t p; enum color col = BLUE;
            x.i = 0x11223344;
            printk(KERN_INFO "%d %zu %zu %x %zu\\n", col, sizeof(pair_t), sizeof(p.c), x.b[0], sizeof(union u));
            return 0; }""",
        ["6 16 1 44 4"]),
    "printk formats": (
        """static int __init t_init(void) {
            printk(KERN_INFO "[%5d] [%-5d] [%05d] [%x] [%X] [%lld] [%llu] [%hd] [%hu] [%c] [%s] [%.3s] [%%]\\n",
                   42, 42, 42, 255, 255, -5LL, 5ULL, (short)-2, (unsigned short)65535, 'A', "str", "abcdef");
            return 0; }""",
        ["[   42] [42   ] [00042] [ff] [FF] [-5] [5] [-2] [65535] [A] [str] [abc] [%]"]),
    "static locals keep their value; recursion": (
        """static int counter(void) { static int n; return ++n; }
        static int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
        static int __init t_init(void) {
            counter(); counter();
            printk(KERN_INFO "%d %d\\n", counter(), fact(10));
            return 0; }""",
        ["3 3628800"]),
    "kmalloc'd struct through a pointer, memset, strcpy": (
        """struct item { int id; char name[16]; };
        static int __init t_init(void) {
            struct item *it = kmalloc(sizeof(*it), GFP_KERNEL);
            if (!it) return -ENOMEM;
            memset(it, 0, sizeof(*it));
            it->id = 7; strcpy(it->name, "seven");
            printk(KERN_INFO "%d %s %zu\\n", it->id, it->name, strlen(it->name));
            kfree(it);
            return 0; }""",
        ["7 seven 5"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_c_subset(tmp_path, name):
    body, expected, *rest = CASES[name]
    k, ret, _ = load(tmp_path, body + "\nmodule_init(t_init);\n")
    assert ret == (rest[0] if rest else 0), module_lines(k)
    assert module_lines(k) == expected


@pytest.mark.parametrize("snippet, message", [
    ("static int __init t_init(void) { double d = 1.5; return 0; }",
     "not supported: floating point"),
    ("struct b { int x : 3; };\nstatic int __init t_init(void) { return 0; }",
     "not supported: bit-field"),
    ("static int __init t_init(void) { return undefined_thing; }",
     "'undefined_thing' undeclared"),
    ("static int __init t_init(void) { goto nowhere; }", "label 'nowhere' used but not defined"),
    ("static int __init t_init(void) { return nosuchfn(1); }",
     "implicit declaration of function 'nosuchfn'"),
])
def test_unsupported_or_wrong_code_is_a_clean_diagnostic(tmp_path, snippet, message):
    from tests.engine_helpers import build_source
    res = build_source(tmp_path, snippet + "\nmodule_init(t_init);\n")
    assert not res.ok
    assert message in res.output
    assert "t.c:" in res.output and "Traceback" not in res.output
