"""Per-profile wording of the tools, read from resources/profiles/<p>/tools.toml.

The profile's `tools` dict names the tool suite (`suite = "kmod"` for
Debian 12's kmod 30, `"module-init-tools"` for 3.9 of 2009) and holds every
message template; templates use str.format fields ({name}, {error}, ...).
"""
from __future__ import annotations

from typing import Any

from kmodgui.userspace import errnos


class Dialect:
    def __init__(self, tools: dict[str, Any]) -> None:
        self.data = tools

    @property
    def suite(self) -> str:
        return str(self.data["suite"])

    def raw(self, key: str) -> Any:
        """A value by dotted key, e.g. 'kmod.remove_module_site'."""
        node: Any = self.data
        for part in key.split("."):
            node = node[part]
        return node

    def text(self, key: str, **fields: Any) -> str:
        return str(self.raw(key)).format(**fields)

    def moderror(self, err: int) -> str:
        """insmod's mod_strerror()/moderror(): four errnos get module wording."""
        table: dict[str, str] = self.data.get("moderror", {})
        return table.get(errnos.errno_name(err), errnos.strerror(err))


def dialect(ctx: Any) -> Dialect:
    return Dialect(ctx.profile.tools)
