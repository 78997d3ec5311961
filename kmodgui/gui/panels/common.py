"""Small widgets shared by the panels (they live in the workbench)."""
from kmodgui.gui.workbench.widgets import HintTree

__all__ = ["HintTree"]
