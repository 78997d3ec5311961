"""modpost: the checks scripts/mod/modpost.c runs on a freshly linked module.

- missing MODULE_LICENSE(): an error since 5.x (6.1 refuses to build),
  a warning in 2.6.30 (the module then taints the kernel at load);
- undefined symbols: neither the kernel nor a module of this folder exports
  them (6.1: error; 2.6.30: warning, the load then fails);
- section mismatches: code or data outside .init referencing __init code,
  e.g. an __exit function calling an __init helper.
Wording comes from the profile's kernel catalogue.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kmodgui.kbuild.diagnostics import Diagnostic
from kmodgui.kbuild.program import KoObject
from kmodgui.kernel.kapi import DATA, load_all

# symbols the kernel itself provides besides functions (kapi registry)
KERNEL_DATA = {"jiffies", "__this_module", "jiffies_64"}


@dataclass
class ModpostReport:
    lines: list[str] = field(default_factory=list)
    errors: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def check(ko: KoObject, mod, profile, symvers: dict[str, str], objname: str) -> ModpostReport:
    msgs = profile.kernel["modpost"]
    rep = ModpostReport()
    if ko.license is None:
        _say(rep, msgs["missing_license"].format(obj=objname),
             msgs["missing_license_is_error"])
    kernel_syms = set(load_all()) | KERNEL_DATA | set(DATA)
    depends = []
    for sym in ko.undefined:
        if sym in kernel_syms:
            continue
        if sym in symvers:
            if symvers[sym] not in depends and symvers[sym] != ko.name:
                depends.append(symvers[sym])
            continue
        _say(rep, msgs["undefined"].format(sym=sym, ko=ko.filename),
             msgs["undefined_is_error"])
    ko.modinfo = [(k, ",".join(depends) if k == "depends" else v) for k, v in ko.modinfo]
    mismatches = list(section_mismatches(ko))
    if mismatches:
        if msgs.get("mismatch_summary_only"):
            rep.lines.extend(msgs["mismatch_summary"].format(n=len(mismatches)).splitlines())
        else:
            for frm, fsec, to, tsec in mismatches:
                rep.lines.append(msgs["mismatch"].format(
                    obj=objname, fromsym=frm, fromsec=fsec, tosym=to, tosec=tsec))
    for frm, fsec, to, tsec in mismatches:
        fn = ko.functions.get(frm)
        rep.diagnostics.append(Diagnostic(fn.file if fn else "?", fn.line if fn else 0, 0,
                                          "warning", f"section mismatch: {frm} ({fsec}) "
                                          f"references {to} ({tsec})"))
    return rep


def _say(rep: ModpostReport, line: str, is_error: bool) -> None:
    rep.lines.append(line)
    if is_error:
        rep.errors += 1


def section_mismatches(ko: KoObject):
    """(from symbol, from section, to symbol, to section) references into
    .init.text/.init.data from anything that outlives init."""
    init_secs = (".init.text", ".init.data", ".init.rodata")
    for fn in ko.functions.values():
        if fn.section in init_secs:
            continue
        for callee in sorted(fn.calls):
            target = ko.functions.get(callee)
            if target is not None and target.section in init_secs:
                yield fn.name, fn.section, callee, target.section
    for g in ko.globals:
        if g.section in init_secs:
            continue
        for _off, slot, _add in g.relocs:
            kind, obj = ko.slots[slot]
            sec = getattr(obj, "section", None)
            if sec in init_secs and kind in ("func", "var"):
                yield g.name, g.section, obj.name, sec
