"""The C type model: x86_64 LP64 sizes and alignment, as gcc lays them out.

Integers are Python ints wrapped to their width on every store and
arithmetic result; pointers are 64-bit unsigned addresses.  There is no
floating point: kernel code does not use the FPU (and neither may modules).
"""
from __future__ import annotations

from dataclasses import dataclass, field


class CType:
    size: int
    align: int

    @property
    def is_scalar(self) -> bool:
        return isinstance(self, (IntType, PointerType))

    @property
    def complete(self) -> bool:
        return True


@dataclass(eq=False)
class VoidType(CType):
    size: int = 1          # gcc: sizeof(void) == 1, pointer arithmetic on void *
    align: int = 1

    def __str__(self) -> str:
        return "void"


@dataclass(eq=False)
class IntType(CType):
    name: str
    size: int
    signed: bool
    is_bool: bool = False

    @property
    def align(self) -> int:  # type: ignore[override]
        return self.size

    def wrap(self, v: int) -> int:
        """Truncate to the type's width, as a store or a cast does."""
        if self.is_bool:
            return 1 if v else 0
        bits = 8 * self.size
        v &= (1 << bits) - 1
        if self.signed and v >> (bits - 1):
            v -= 1 << bits
        return v

    def __str__(self) -> str:
        return self.name


@dataclass(eq=False)
class PointerType(CType):
    target: CType
    size: int = 8
    align: int = 8

    @staticmethod
    def wrap(v: int) -> int:
        return v & 0xFFFFFFFFFFFFFFFF

    def __str__(self) -> str:
        return f"{self.target} *"


@dataclass(eq=False)
class ArrayType(CType):
    elem: CType
    length: int | None

    @property
    def size(self) -> int:  # type: ignore[override]
        return self.elem.size * (self.length or 0)

    @property
    def align(self) -> int:  # type: ignore[override]
        return self.elem.align

    @property
    def complete(self) -> bool:
        return self.length is not None

    def __str__(self) -> str:
        return f"{self.elem}[{'' if self.length is None else self.length}]"


@dataclass(eq=False)
class Field:
    name: str
    ctype: CType
    offset: int


@dataclass(eq=False)
class StructType(CType):
    tag: str
    union: bool = False
    fields: list[Field] = field(default_factory=list)
    size: int = 0
    align: int = 1
    defined: bool = False
    #: the typedef that names an untagged struct (`typedef struct {...} kuid_t;`)
    typedef: str | None = None

    @property
    def complete(self) -> bool:
        return self.defined

    def layout(self, members: list[tuple[str, CType]]) -> None:
        """Lay members out like gcc: natural alignment, tail padding."""
        off = 0
        align = 1
        for name, ct in members:
            a = max(ct.align, 1)
            align = max(align, a)
            if self.union:
                self.fields.append(Field(name, ct, 0))
                off = max(off, ct.size)
            else:
                off = (off + a - 1) // a * a
                self.fields.append(Field(name, ct, off))
                off += ct.size
        self.align = align
        self.size = (off + align - 1) // align * align
        self.defined = True

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
            if f.name.startswith("__anon") and isinstance(f.ctype, StructType):
                sub = f.ctype.field(name)
                if sub is not None:
                    return Field(sub.name, sub.ctype, f.offset + sub.offset)
        return None

    def __str__(self) -> str:
        return f"{'union' if self.union else 'struct'} {self.tag}"


@dataclass(eq=False)
class FuncType(CType):
    ret: CType
    params: list[CType]
    variadic: bool = False
    size: int = 1
    align: int = 1
    #: where each parameter is declared (gcc's "expected 'T'" notes point there)
    param_coords: list[object] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.ret} (*)({', '.join(map(str, self.params))})"


VOID = VoidType()
BOOL = IntType("_Bool", 1, False, is_bool=True)
CHAR = IntType("char", 1, True)
SCHAR = IntType("signed char", 1, True)
UCHAR = IntType("unsigned char", 1, False)
SHORT = IntType("short", 2, True)
USHORT = IntType("unsigned short", 2, False)
INT = IntType("int", 4, True)
UINT = IntType("unsigned int", 4, False)
LONG = IntType("long", 8, True)
ULONG = IntType("unsigned long", 8, False)
LLONG = IntType("long long", 8, True)
ULLONG = IntType("unsigned long long", 8, False)
_GCC_NAMES = {"short": "short int", "unsigned short": "short unsigned int",
              "long": "long int", "unsigned long": "long unsigned int",
              "long long": "long long int", "unsigned long long": "long long unsigned int"}


def type_name(t: CType) -> str:
    """A type as gcc's diagnostics name it: an untagged struct by its
    typedef ('kuid_t'), an integer type in gcc's words."""
    if isinstance(t, StructType) and t.typedef is not None:
        return t.typedef
    if isinstance(t, PointerType):
        inner = type_name(t.target)
        return f"{inner} *"
    return gcc_name(t)


def gcc_name(t: CType) -> str:
    """An integer type as gcc's diagnostics name it ('long unsigned int')."""
    return _GCC_NAMES.get(str(t), str(t))


#: gcc's widest_integer_literal_type_node: the type of a constant too large
#: for any other (no declaration can name it here)
INT128 = IntType("__int128", 16, True)
CHAR_PTR = PointerType(CHAR)
VOID_PTR = PointerType(VOID)

# pycparser gives base types as a list of words, in any order.
_BASE = {
    ("void",): VOID, ("_Bool",): BOOL, ("char",): CHAR,
    ("char", "signed"): SCHAR, ("char", "unsigned"): UCHAR,
    ("short",): SHORT, ("int", "short"): SHORT, ("short", "signed"): SHORT,
    ("int", "short", "signed"): SHORT, ("short", "unsigned"): USHORT,
    ("int", "short", "unsigned"): USHORT,
    ("int",): INT, ("signed",): INT, ("int", "signed"): INT,
    ("unsigned",): UINT, ("int", "unsigned"): UINT,
    ("long",): LONG, ("int", "long"): LONG, ("long", "signed"): LONG,
    ("int", "long", "signed"): LONG, ("long", "unsigned"): ULONG,
    ("int", "long", "unsigned"): ULONG,
    ("long", "long"): LLONG, ("int", "long", "long"): LLONG,
    ("long", "long", "signed"): LLONG, ("int", "long", "long", "signed"): LLONG,
    ("long", "long", "unsigned"): ULLONG, ("int", "long", "long", "unsigned"): ULLONG,
}


def base_type(words: list[str]) -> CType | None:
    return _BASE.get(tuple(sorted(words)))


def decay(t: CType) -> CType:
    """Array-to-pointer and function-to-pointer conversion."""
    if isinstance(t, ArrayType):
        return PointerType(t.elem)
    if isinstance(t, FuncType):
        return PointerType(t)
    return t


def promote(t: CType) -> CType:
    """Integer promotion: anything narrower than int becomes int."""
    if isinstance(t, IntType) and t.size < 4:
        return INT
    return t


def arith_result(a: CType, b: CType) -> IntType:
    """The usual arithmetic conversions for two integer operands."""
    a2, b2 = promote(a), promote(b)
    if not isinstance(a2, IntType) or not isinstance(b2, IntType):
        return LONG
    if a2.size != b2.size:
        big, small = (a2, b2) if a2.size > b2.size else (b2, a2)
        return big
    if a2.signed and not b2.signed:
        return b2
    return a2


def same_type(a: CType, b: CType) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, IntType):
        return a.size == b.size and a.signed == b.signed and a.is_bool == b.is_bool
    if isinstance(a, PointerType):
        return same_type(a.target, b.target)
    return False
