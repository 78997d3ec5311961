"""File-scope initialisers the kernel's headers expand to.

The expected values are C's (C11 6.7.9: members without an initializer
are zero; a designator moves the position; a name is in scope in its own
initializer, 6.2.1p7, which LIST_HEAD_INIT(name) relies on) and the
kernel's headers (include/linux/list.h LIST_HEAD_INIT, mutex.h
__MUTEX_INITIALIZER, wait.h __WAIT_QUEUE_HEAD_INITIALIZER, completion.h
COMPLETION_INITIALIZER, workqueue.h __WORK_INITIALIZER, interrupt.h
DECLARE_TASKLET).  The sizes are those of 6.1 on x86_64 without lock
debugging: the same static_asserts pass under the real kbuild.
"""
from __future__ import annotations

from pathlib import Path

from tests.engine_helpers import build_source, load

def run(tmp: Path, decls: str, fmt: str, *args: str) -> str:
    """Build decls plus an init printing fmt with args; return that line."""
    call = ", ".join([f'"{fmt}\\n"', *args])
    src = decls + f"static int __init t_init(void)\n{{\n\tpr_info({call});\n\treturn 0;\n}}\n" \
        "module_init(t_init);\n"
    _, ret, lines = load(tmp, src)
    assert ret == 0
    return lines[-1]


def test_nested_and_designated_struct_initialisers(tmp_path: Path) -> None:
    decls = """
struct inner { int a; int b; };
struct outer { struct inner x; int y; struct inner z; };
static struct outer o1 = { { 7 }, 2 };
static struct outer o2 = { .z = { .b = 9 }, .y = 1 };
static struct { int q; long r; } anon = { 4, 5 };
"""
    out = run(tmp_path, decls, "%d %d %d %d %d %d %d %d %ld",
              "o1.x.a", "o1.x.b", "o1.y", "o1.z.b", "o2.x.a", "o2.y", "o2.z.b",
              "anon.q", "anon.r")
    assert out == "7 0 2 0 0 1 9 4 5"


def test_compound_literal_as_static_initialiser(tmp_path: Path) -> None:
    decls = "typedef struct { int v; } box_t;\nstatic box_t b = (box_t){ .v = 3 };\n"
    assert run(tmp_path, decls, "%d", "b.v") == "3"


def test_list_head_points_at_itself(tmp_path: Path) -> None:
    decls = "static LIST_HEAD(lh);\n"
    assert run(tmp_path, decls, "%d %d", "lh.next == &lh", "list_empty(&lh)") == "1 1"


def test_kernel_object_initialisers_from_module_h_alone(tmp_path: Path) -> None:
    decls = """
static DEFINE_MUTEX(m);
static DEFINE_SPINLOCK(sl);
static DEFINE_RWLOCK(rw);
static DECLARE_WAIT_QUEUE_HEAD(wq);
static DECLARE_COMPLETION(c);
static atomic_t a = ATOMIC_INIT(5);
static void wf(struct work_struct *w) {}
static DECLARE_WORK(wk, wf);
static DECLARE_DELAYED_WORK(dwk, wf);
"""
    out = run(tmp_path, decls, "%d %d %d %d %d %d %d %d %d",
              "m.wait_list.next == &m.wait_list", "(int)m.owner.counter",
              "waitqueue_active(&wq)", "c.done", "wk.func == wf",
              "dwk.work.entry.next == &dwk.work.entry", "atomic_read(&a)",
              "rw.raw_lock.cnts.counter", "sl.rlock.raw_lock.val.counter")
    assert out == "1 0 0 0 1 1 5 0 0"


def test_lock_sizes_are_those_of_61(tmp_path: Path) -> None:
    out = run(tmp_path, "", "%d %d %d %d", "(int)sizeof(spinlock_t)",
              "(int)sizeof(struct mutex)", "(int)sizeof(rwlock_t)",
              "(int)sizeof(atomic64_t)")
    assert out == "4 32 8 8"


def test_scalar_for_struct_is_gccs_invalid_initializer(tmp_path: Path) -> None:
    res = build_source(tmp_path, "static atomic_t a = 3;\n")
    assert not res.ok
    assert "error: invalid initializer" in res.output
    assert "__anon" not in res.output
