"""kmodsim's own commands (beyond the userspace tools): the debugger, the
unwind audit, lessons.  Importing this package registers them."""
from kmodgui.commands import audit, debug, resources  # noqa: F401
