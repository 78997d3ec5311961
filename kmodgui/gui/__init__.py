"""The desktop app: the only package that imports PySide6 or pyqtgraph.

    app.py          entry point `kmodgui` (options, screenshot mode)
    bridge.py       the one QObject between the engine and the panels
    jobs.py         runs commands in slices from a timer (never blocks)
    mainwindow.py   window, docks, layout persistence
    actions.py      toolbar and menus
    panels/         Modules, Kconfig, dmesg, Timeline, Shell, Resources
    source/         the central C source view
    theme.py        light / dark / high-contrast colours
    zoom.py         one zoom factor for every pane
"""
