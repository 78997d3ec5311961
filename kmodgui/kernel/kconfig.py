"""The Kconfig model of the "Enable loadable module support" menu.

Mirrors what scripts/kconfig does for these bool symbols: a symbol whose
`depends on` is not met is invisible and has the value n (sym_calc_value),
and mconf draws an entry that depends on the entry above it as its child
(menu_finalize), which is why "Forced module unloading" sits indented under
"Module unloading".  The data (prompts, help, dependencies, the profile's
defaults) comes from resources/profiles/<p>/kconfig.toml.  A profile may
add a second screen, "Kernel hacking" (lib/Kconfig.debug): its symbols
name their menu and the mconf submenu they sit in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from kmodgui.kernel.profile import Profile, load_profile


@dataclass(frozen=True, slots=True)
class Symbol:
    name: str
    prompt: str
    help: str
    depends: tuple[str, ...]
    indent: int            # mconf depth: 0 = the menu itself, 1 = its entries, ...
    default: bool
    menuconfig: bool = False
    shown: bool = True     # drawn on this menu's screen (EXPERIMENTAL is not)
    menu: str = ""         # the screen it is on ("" = the module menu)
    submenu: str = ""      # the mconf submenu within that screen


def canonical(name: str) -> str:
    """'CONFIG_MODULE_UNLOAD' or 'module_unload' -> 'MODULE_UNLOAD'."""
    name = name.strip().upper()
    return name[len("CONFIG_"):] if name.startswith("CONFIG_") else name


class Kconfig:
    def __init__(self, symbols: list[Symbol], menu: str) -> None:
        self.symbols = symbols
        self.menu = menu
        self._by_name = {s.name: s for s in symbols}
        #: the screens in order: the module menu, then e.g. "Kernel hacking"
        self.menus = [menu] + list(dict.fromkeys(s.menu for s in symbols
                                                 if s.menu and s.menu != menu))

    def in_menu(self, menu: str) -> list[Symbol]:
        """The symbols drawn on one screen, in Kconfig order."""
        return [s for s in self.symbols if (s.menu or self.menu) == menu]

    # -- construction -------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Kconfig":
        syms = [Symbol(name=s["name"], prompt=s["prompt"],
                       help=s.get("help", "").strip(),
                       depends=tuple(s.get("depends", [])),
                       indent=int(s.get("depth", 0)),
                       default=bool(s.get("default", False)),
                       menuconfig=bool(s.get("menuconfig", False)),
                       shown=bool(s.get("shown", True)),
                       menu=s.get("menu", ""), submenu=s.get("submenu", ""))
                for s in data["symbol"]]
        return cls(syms, data.get("menu", "Enable loadable module support"))

    @classmethod
    def for_profile(cls, profile: Profile) -> "Kconfig":
        return cls.from_dict(profile.kconfig)

    @classmethod
    def load(cls, profile_name: str) -> "Kconfig":
        return cls.from_dict(load_profile(profile_name).kconfig)

    # -- values -------------------------------------------------------------
    def symbol(self, name: str) -> Symbol:
        sym = self._by_name.get(canonical(name))
        if sym is None:
            raise ValueError(f"unknown config symbol '{name}'")
        return sym

    def defaults(self) -> dict[str, bool]:
        return self._resolve({s.name: s.default for s in self.symbols})

    def visible(self, name: str, config: Mapping[str, bool]) -> bool:
        """All of the symbol's dependencies are y (expr_calc_value)."""
        return all(config.get(d, False) for d in self.symbol(name).depends)

    def normalize(self, config: Mapping[str, bool] | None) -> dict[str, bool]:
        """Fill in missing symbols with defaults and force unmet ones to n.
        Unknown names are rejected."""
        merged = {s.name: s.default for s in self.symbols}
        for name, value in (config or {}).items():
            merged[self.symbol(name).name] = bool(value)
        return self._resolve(merged)

    def apply(self, config: Mapping[str, bool],
              changes: Mapping[str, bool]) -> dict[str, bool]:
        """Set symbols as a user would in menuconfig.

        A symbol whose dependency is switched off becomes n.  A symbol that
        becomes visible again (its dependency switched back on) and is not
        set in the same change takes its default, as after loading the
        profile's defconfig.
        """
        old = self.normalize(config)
        wanted = {self.symbol(n).name: bool(v) for n, v in changes.items()}
        new = dict(old)
        new.update(wanted)
        for sym in self.symbols:          # symbols come after their dependencies
            was = self.visible(sym.name, old)
            now = self.visible(sym.name, new)
            if now and not was and sym.name not in wanted:
                new[sym.name] = sym.default
        return self._resolve(new)

    def ignored(self, config: Mapping[str, bool],
                changes: Mapping[str, bool]) -> list[str]:
        """Symbols asked to be y that apply() leaves at n (unmet depends)."""
        result = self.apply(config, changes)
        return [self.symbol(n).name for n, v in changes.items()
                if v and not result[self.symbol(n).name]]

    def _resolve(self, values: dict[str, bool]) -> dict[str, bool]:
        out = dict(values)
        for sym in self.symbols:
            if not all(out.get(d, False) for d in sym.depends):
                out[sym.name] = False
        return out

    # -- rendering ----------------------------------------------------------
    def menuconfig_text(self, config: Mapping[str, bool]) -> str:
        """The mconf screens: the main-menu entry, then the submenu as
        scripts/kconfig/mconf.c build_conf() draws it ("---%*c%s" for the
        menu's own symbol, "[%c]" + indent for its entries).  Entries whose
        dependencies are not met are not drawn, as in mconf."""
        cfg = self.normalize(config)
        head = next(s for s in self.symbols if s.menuconfig)
        on = cfg[head.name]
        arrow = "--->" if on else "----"
        lines = [f"[{'*' if on else ' '}] {head.prompt}  {arrow}", ""]
        lines.append(f"--- {head.prompt}")
        for sym in self.in_menu(self.menu):
            if sym is head or not sym.shown or not self.visible(sym.name, cfg):
                continue
            mark = "*" if cfg[sym.name] else " "
            lines.append(f"[{mark}]{' ' * (2 * sym.indent + 1)}{sym.prompt}")
        return "\n".join(lines) + "\n"

    def hacking_text(self, config: Mapping[str, bool]) -> str:
        """The other screens ("Kernel hacking"): each submenu as mconf
        lists it ("Memory Debugging  --->"), then its entries."""
        cfg = self.normalize(config)
        lines: list[str] = []
        for menu in self.menus[1:]:
            lines += [f"    {menu}  --->", ""]
            sub = None
            for sym in self.in_menu(menu):
                if not sym.shown or not self.visible(sym.name, cfg):
                    continue
                if sym.submenu != sub:
                    sub = sym.submenu
                    if sub:
                        lines.append(f"    {sub}  --->")
                mark = "*" if cfg[sym.name] else " "
                depth = sym.indent + (1 if sym.submenu else 0)
                lines.append(f"[{mark}]{' ' * (2 * depth + 1)}{sym.prompt}")
            lines.append("")
        return "\n".join(lines)

    def dotconfig_text(self, config: Mapping[str, bool]) -> str:
        """The symbols as scripts/kconfig writes them to .config."""
        cfg = self.normalize(config)
        return "".join(f"CONFIG_{s.name}=y\n" if cfg[s.name]
                       else f"# CONFIG_{s.name} is not set\n"
                       for s in self.symbols)
