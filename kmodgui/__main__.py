"""`python -m kmodgui` starts the desktop app."""
from kmodgui.gui.app import main

raise SystemExit(main())
